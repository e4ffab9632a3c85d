package app

import (
	"context"
	"slices"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/store"
)

// Deadline states.
const (
	DeadlineDone   = "done"
	DeadlineOpen   = "open"
	DeadlineMissed = "missed"
)

// DeadlineState is one of the agreement's deadlines as it stands for a
// recipient.
type DeadlineState struct {
	ID    agreement.DeadlineID
	Name  string
	Date  time.Time
	State string
}

// Status is where a recipient stands under an agreement. The amounts are
// derived from the ledger's postings.
type Status struct {
	Agreement     string
	Recipient     string
	Name          string
	Allocation    money.Kr
	Requisitioned money.Kr // signed, whether paid or not
	Paid          money.Kr // everything paid out, whatever became due later
	LapsedAmount  money.Kr
	Lapsed        bool // the right to the grant has lapsed
	Requisition   *grant.Requisition
	Report        *grant.FinancialReport
	Costs         money.Kr // from the filed financial report
	Unspent       money.Kr // paid − costs, never negative
	Repaid        money.Kr // received back
	Due           money.Kr // still to repay: unspent or reclaimed, less what was repaid
	Reclaimed     money.Kr // reclaim decisions
	Reclaim       bool     // flagged for reclaim: deadline passed, paid, and no filed report or money still due
	Deadlines     []DeadlineState
	Next          *DeadlineState
	Components    []grant.ComponentAmount
}

// RecipientStatus returns the recipient's status, to its own organisation
// and to those who read everything.
func (a *App) RecipientStatus(ctx context.Context, actor auth.Actor, agreementID, recipient string) (Status, error) {
	if !grant.CanRead(actor, recipient) {
		return Status{}, fault.New(fault.Forbidden, "Du kan bara se din egen organisations status.")
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return Status{}, err
	}
	if _, ok := a.Allocation(agreementID, recipient); !ok {
		return Status{}, fault.New(fault.NotFound, "Mottagaren %s har ingen tilldelning i %s.", recipient, agreementID)
	}
	var st Status
	err = a.Store.View(ctx, func(tx *store.Tx) error {
		all, err := a.statuses(tx, ag, []string{recipient})
		if len(all) == 1 {
			st = all[0]
		}
		return err
	})
	return st, err
}

// Matrix returns every recipient's status under the agreement, for those
// who read everything (payer, analyst, auditor, admin, follow-up).
func (a *App) Matrix(ctx context.Context, actor auth.Actor, agreementID string) ([]Status, error) {
	if !actor.ReadsEverything() {
		return nil, fault.New(fault.Forbidden, "Den nationella översikten är för Kammarkollegiet, analytiker och granskare.")
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, err
	}
	var out []Status
	err = a.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = a.statuses(tx, ag, sortedKeys(a.allocations[agreementID]))
		return err
	})
	return out, err
}

// statuses derives the recipients' statuses from one snapshot of the
// ledger and the requisitions.
func (a *App) statuses(tx *store.Tx, ag *agreement.Agreement, recipients []string) ([]Status, error) {
	only, prefix := "", "mottagare:" // one recipient reads only its own rows
	if len(recipients) == 1 {
		only = recipients[0]
		prefix += only + ":"
	}
	bal, err := tx.Balances(prefix)
	if err != nil {
		return nil, err
	}
	reqs, err := tx.Requisitions(store.RequisitionFilter{Agreement: ag.ID, Recipient: only})
	if err != nil {
		return nil, err
	}
	live := map[string]grant.Requisition{}
	for _, r := range reqs {
		if r.Status.Live() {
			live[r.Recipient] = r
		}
	}
	lapses, err := tx.Lapses(ag.ID)
	if err != nil {
		return nil, err
	}
	reports, err := tx.Reports(store.ReportFilter{Agreement: ag.ID, Recipient: only})
	if err != nil {
		return nil, err
	}
	byRecipient := map[string]grant.FinancialReport{}
	for _, r := range reports {
		byRecipient[r.Recipient] = r
	}
	kinds, err := tx.KindTotals(ag.ID, only)
	if err != nil {
		return nil, err
	}
	names, err := organisationNames(tx, only)
	if err != nil {
		return nil, err
	}
	now := a.Clock.Now()
	out := make([]Status, 0, len(recipients))
	for _, id := range recipients {
		al := a.allocations[ag.ID][id]
		paidEver := kinds[id][ledger.KindPayment]
		st := Status{Agreement: ag.ID, Recipient: id, Name: names[id], Components: al.Components,
			Allocation: kinds[id][ledger.KindAllocation], Paid: paidEver, LapsedAmount: bal[ledger.Lapsed(id)]}
		st.Requisitioned = st.Paid + bal[ledger.Requisitioned(id)]
		if r, ok := live[id]; ok {
			st.Requisition = &r
		}
		st.Repaid, st.Reclaimed, st.Due = kinds[id][ledger.KindRepayment], kinds[id][ledger.KindReclaim], bal[ledger.Debt(id)]
		if r, ok := byRecipient[id]; ok {
			st.Report = &r
			if r.Status.Filed() {
				acc, err := grant.Tally(al, paidEver, r.ReportForm)
				if err != nil {
					return nil, err
				}
				st.Costs, st.Unspent = acc.Costs, acc.Unspent
			}
		}
		_, recorded := lapses[id]
		st.Deadlines = deadlines(ag, id, st, paidEver, now)
		st.Lapsed = recorded || stateOf(st.Deadlines, agreement.DeadlineRequisition) == DeadlineMissed
		reportMissed := stateOf(st.Deadlines, agreement.DeadlineFinancialReport) == DeadlineMissed || stateOf(st.Deadlines, agreement.DeadlineRepayment) == DeadlineMissed
		st.Reclaim = !st.Lapsed && paidEver > 0 && reportMissed
		for i := range st.Deadlines {
			if st.Deadlines[i].State == DeadlineOpen {
				st.Next = &st.Deadlines[i]
				break
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// tracked are the deadlines whose duties the product itself records.
var tracked = []agreement.DeadlineID{agreement.DeadlineRequisition, agreement.DeadlineFinancialReport, agreement.DeadlineRepayment}

// deadlines lists the tracked deadlines that concern the recipient's kind,
// each done, open or missed. A recipient whose right lapsed before anything
// was paid has nothing to report or repay.
func deadlines(ag *agreement.Agreement, recipient string, st Status, paidEver money.Kr, now time.Time) []DeadlineState {
	kind, _, _ := org.Parse(recipient)
	r, rep := st.Requisition, st.Report
	var out []DeadlineState
	for _, d := range ag.Deadlines {
		if !slices.Contains(d.Who, kind) || !slices.Contains(tracked, d.ID) {
			continue
		}
		var done bool
		switch d.ID {
		case agreement.DeadlineRequisition:
			done = r != nil && r.Status != grant.Draft && r.Status != grant.Rejected
		case agreement.DeadlineFinancialReport:
			done = rep != nil && rep.Status.Filed()
		case agreement.DeadlineRepayment:
			done = rep != nil && rep.Status.Filed() && st.Due <= 0
		}
		if d.ID != agreement.DeadlineRequisition && paidEver == 0 && stateOf(out, agreement.DeadlineRequisition) == DeadlineMissed {
			continue // lapsed before anything was paid: nothing to report or repay
		}
		ds := DeadlineState{ID: d.ID, Name: d.Name, Date: d.Date.Time, State: DeadlineOpen}
		switch {
		case done:
			ds.State = DeadlineDone
		case clock.Passed(d.Date.Time, now):
			ds.State = DeadlineMissed
		}
		out = append(out, ds)
	}
	return out
}

func stateOf(ds []DeadlineState, id agreement.DeadlineID) string {
	for _, d := range ds {
		if d.ID == id {
			return d.State
		}
	}
	return ""
}

// organisationNames maps ids to names: of one organisation, or ("") all.
func organisationNames(tx *store.Tx, only string) (map[string]string, error) {
	names := map[string]string{}
	if only != "" {
		o, err := tx.Organisation(only)
		names[o.ID] = o.Name
		return names, err
	}
	orgs, err := tx.Organisations()
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return names, err
}
