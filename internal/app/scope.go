package app

import (
	"context"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/store"
)

// Every agreement stands alone: each use case works on one agreement, and
// a request that names none is given one by ResolveAgreement.

// TakesPart lists the agreements the organisation takes part in, newest
// first: for a recipient those that allocate it money, for any other
// organisation (the paying agencies, the ministry, SKR's own staff as
// readers) every agreement.
func (a *App) TakesPart(orgID string) []*agreement.Agreement {
	var mine []*agreement.Agreement
	for _, ag := range a.Agreements.All() {
		if _, ok := a.allocations[ag.ID][orgID]; ok {
			mine = append(mine, ag)
		}
	}
	if len(mine) == 0 {
		mine = a.Agreements.All()
	}
	slices.SortStableFunc(mine, func(x, y *agreement.Agreement) int {
		if x.Year != y.Year {
			return y.Year - x.Year
		}
		return strings.Compare(x.ID, y.ID)
	})
	return mine
}

// Live reports whether the agreement is still running for the
// organisation: some deadline of the agreement is still ahead, or (after
// the last one) the organisation still owes money under it or is flagged
// for reclaim with no reclaim decided yet. For an organisation that reads every recipient, any
// recipient still owing or flagged keeps the agreement live.
func (a *App) Live(ctx context.Context, ag *agreement.Agreement, orgID string) (bool, error) {
	now := a.Clock.Now()
	for _, d := range ag.Deadlines {
		if !clock.Passed(d.Date.Time, now) {
			return true, nil
		}
	}
	recipients := []string{orgID}
	if _, ok := a.allocations[ag.ID][orgID]; !ok {
		recipients = sortedKeys(a.allocations[ag.ID])
	}
	live := false
	err := a.db.View(ctx, func(tx *store.Tx) error {
		sts, err := a.statuses(tx, ag, recipients)
		for _, st := range sts {
			live = live || st.Due > 0 || (st.Reclaim && st.Reclaimed == 0)
		}
		return err
	})
	return live, err
}

// ResolveAgreement returns the agreement a request works on: the one it
// names, or, when it names none, the organisation's only agreement, or
// its only live one among several. When several are live (or none is,
// among several) it refuses with 422 and names them, so that the caller
// says which.
//
// It tells which agreement, not whether the organisation may see it: the
// use case called with the id checks that.
func (a *App) ResolveAgreement(ctx context.Context, orgID, id string) (string, error) {
	if id = strings.TrimSpace(id); id != "" {
		return id, nil // the use case refuses an unknown one, as it always has
	}
	mine := a.TakesPart(orgID)
	if len(mine) == 1 {
		return mine[0].ID, nil
	}
	var live []*agreement.Agreement
	for _, ag := range mine {
		ok, err := a.Live(ctx, ag, orgID)
		if err != nil {
			return "", err
		}
		if ok {
			live = append(live, ag)
		}
	}
	if len(live) == 1 {
		return live[0].ID, nil
	}
	if len(live) == 0 {
		live = mine
	}
	ids := make([]string, len(live))
	for i, ag := range live {
		ids[i] = ag.ID
	}
	return "", &fault.Error{Code: fault.Invalid,
		Message: "Ange vilken överenskommelse det gäller: organisationen har flera pågående (" + strings.Join(ids, ", ") + ").",
		Fields:  map[string]string{"agreement": "Ange en av " + strings.Join(ids, ", ") + ", till exempel ?agreement=" + ids[0] + "."}}
}

// AgreementState is one agreement as an organisation sees it: whether it
// is still running for the organisation and its next deadline.
type AgreementState struct {
	*agreement.Agreement
	Live bool
	Next *agreement.Deadline // the next deadline of the agreement, if any is ahead
}

// AgreementStates lists the agreements the organisation takes part in,
// newest first, with whether each is live for it.
func (a *App) AgreementStates(ctx context.Context, orgID string) ([]AgreementState, error) {
	now := a.Clock.Now()
	var out []AgreementState
	for _, ag := range a.TakesPart(orgID) {
		live, err := a.Live(ctx, ag, orgID)
		if err != nil {
			return nil, err
		}
		s := AgreementState{Agreement: ag, Live: live}
		for i, d := range ag.Deadlines {
			if !clock.Passed(d.Date.Time, now) && (s.Next == nil || d.Date.Time.Before(s.Next.Date.Time)) {
				s.Next = &ag.Deadlines[i]
			}
		}
		out = append(out, s)
	}
	return out, nil
}
