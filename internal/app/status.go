package app

import (
	"context"
	"errors"
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
	Allocation    money.Kr // binding: what the ledger holds, the agreement file's binding amount
	Computed      money.Kr // the exact computation from the keys
	Departure     money.Kr // Allocation − Computed
	Requisitioned money.Kr // signed, whether paid or not
	Paid          money.Kr // everything paid out, whatever became due later
	VFU           money.Kr // VFU money fixed by the closed VFU round, paid without requisition
	VFUPaid       money.Kr // of it, paid
	// Activity is where the recipient is with its activity reports, one
	// per template it answers (the national matrix only).
	Activity     []ActivityState
	LapsedAmount money.Kr
	Lapsed       bool // the right to the grant has lapsed
	Requisition  *grant.Requisition
	Report       *grant.FinancialReport
	Costs        money.Kr // from the filed financial report
	Unspent      money.Kr // paid − costs, never negative
	Repaid       money.Kr // received back
	Due          money.Kr // still to repay: unspent or reclaimed, less what was repaid
	Reclaimed    money.Kr // reclaim decisions
	Reclaim      bool     // flagged for reclaim: deadline passed, paid, and no filed report or money still due
	Deadlines    []DeadlineState
	Next         *DeadlineState
	Components   []grant.ComponentAmount
	Dues         []Due // what is owed, debt by debt: why, by when, the OCR reference and where to pay
}

// RecipientStatus returns the recipient's status, to its own organisation
// and to those who read everything.
func (a *App) RecipientStatus(ctx context.Context, actor auth.Actor, agreementID, recipient string) (Status, error) {
	if err := grant.CanRead(actor, recipient); err != nil {
		return Status{}, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return Status{}, err
	}
	_, allocated := a.Allocation(agreementID, recipient)
	var st Status
	err = a.db.View(ctx, func(tx *store.Tx) error {
		if !allocated {
			vfu, err := vfuRecipients(tx, ag.ID)
			if err != nil {
				return err
			}
			if !slices.Contains(vfu, recipient) {
				return fault.New(fault.NotFound, "Mottagaren %s har ingen tilldelning i %s.", recipient, agreementID)
			}
		}
		all, err := a.statuses(tx, ag, []string{recipient})
		if len(all) == 1 {
			st = all[0]
		}
		return err
	})
	return st, err
}

// Matrix returns every recipient's status under the agreement, for those
// who read everything (payer, analyst, auditor, admin, follow-up): those
// with an allocation, then those with VFU money only (municipalities).
func (a *App) Matrix(ctx context.Context, actor auth.Actor, agreementID string) ([]Status, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return nil, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, err
	}
	var out []Status
	err = a.db.View(ctx, func(tx *store.Tx) error {
		recipients := sortedKeys(a.allocations[agreementID])
		vfu, err := vfuRecipients(tx, ag.ID)
		if err != nil {
			return err
		}
		for _, id := range vfu {
			if _, ok := a.allocations[agreementID][id]; !ok {
				recipients = append(recipients, id)
			}
		}
		if out, err = a.statuses(tx, ag, recipients); err != nil {
			return err
		}
		return a.fillActivity(tx, ag, out)
	})
	return out, err
}

// vfuRecipients are the recipients the closed VFU round gives money, in
// the round's order; none while it is open.
func vfuRecipients(tx *store.Tx, agreementID string) ([]string, error) {
	round, err := tx.VFURound(agreementID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range round.Rows {
		if r.Amount > 0 {
			out = append(out, r.Recipient)
		}
	}
	return out, nil
}

// statuses derives the recipients' statuses from one snapshot of the
// ledger and the requisitions.
func (a *App) statuses(tx *store.Tx, ag *agreement.Agreement, recipients []string) ([]Status, error) {
	only := "" // one recipient reads only its own rows
	if len(recipients) == 1 {
		only = recipients[0]
	}
	snap, err := loadSnapshot(tx, ag.ID, only)
	if err != nil {
		return nil, err
	}
	now := a.Clock.Now()
	out := make([]Status, 0, len(recipients))
	for _, id := range recipients {
		st, err := snap.status(ag, a.allocations[ag.ID][id], id, now)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, fillDues(tx, ag.ID, only, out)
}

// snapshot is what the statuses are derived from, read in one transaction:
// for one recipient, or ("") all.
type snapshot struct {
	balances map[string]money.Kr                 // by account
	live     map[string]grant.Requisition        // the live requisition, by recipient
	lapses   map[string]time.Time                // recorded lapses, by recipient
	reports  map[string]grant.FinancialReport    // by recipient
	kinds    map[string]map[ledger.Kind]money.Kr // totals per kind of transaction, by recipient
	names    map[string]string                   // organisation names, by id
	posted   map[string]grant.PostedAllocation   // the allocations as posted, by recipient
}

func loadSnapshot(tx *store.Tx, agreementID, only string) (*snapshot, error) {
	prefix := ledger.RecipientAccounts(agreementID, only)
	s := &snapshot{live: map[string]grant.Requisition{}, reports: map[string]grant.FinancialReport{}}
	var err error
	if s.balances, err = tx.Balances(prefix); err != nil {
		return nil, err
	}
	reqs, err := tx.Requisitions(grant.RequisitionFilter{Agreement: agreementID, Recipient: only})
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		if r.Status.Live() {
			s.live[r.Recipient] = r
		}
	}
	if s.lapses, err = tx.Lapses(agreementID); err != nil {
		return nil, err
	}
	reports, err := tx.Reports(grant.ReportFilter{Agreement: agreementID, Recipient: only})
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		s.reports[r.Recipient] = r
	}
	if s.kinds, err = tx.KindTotals(agreementID, only); err != nil {
		return nil, err
	}
	if s.names, err = organisationNames(tx, only); err != nil {
		return nil, err
	}
	if s.posted, err = postedAllocations(tx, agreementID); err != nil {
		return nil, err
	}
	return s, nil
}

// status is one recipient's status: its amounts, its documents, its
// deadlines and what follows from them.
func (s *snapshot) status(ag *agreement.Agreement, al grant.Allocation, id string, now time.Time) (Status, error) {
	kinds := s.kinds[id]
	st := Status{Agreement: ag.ID, Recipient: id, Name: s.names[id], Components: al.Components,
		Allocation: s.posted[id].Total(), Computed: al.ComputedTotal(),
		Paid: kinds[ledger.KindPayment], LapsedAmount: s.balances[ledger.Lapsed(ag.ID, id)]}
	st.Departure = st.Allocation - st.Computed
	st.VFUPaid = s.balances[ledger.VFUPaid(ag.ID, id)]
	st.VFU = st.VFUPaid + s.balances[ledger.VFUAllocated(ag.ID, id)]
	st.Requisitioned = st.Paid + s.balances[ledger.Requisitioned(ag.ID, id)]
	if r, ok := s.live[id]; ok {
		st.Requisition = &r
	}
	st.Repaid, st.Reclaimed, st.Due = kinds[ledger.KindRepayment], kinds[ledger.KindReclaim], s.balances[ledger.Debt(ag.ID, id)]
	if r, ok := s.reports[id]; ok {
		st.Report = &r
		if r.Status.Filed() {
			acc, err := grant.Tally(al, st.Paid, r.ReportForm)
			if err != nil {
				return Status{}, err
			}
			st.Costs, st.Unspent = acc.Costs, acc.Unspent
		}
	}
	st.Deadlines = deadlines(ag, id, st, now)
	_, recorded := s.lapses[id]
	st.judge(recorded)
	return st, nil
}

// judge sets what follows from the deadlines: lapsed (recorded, or the
// requisition deadline missed), flagged for reclaim (paid, not lapsed, and
// the report or the repayment missed) and the next open deadline.
func (st *Status) judge(recordedLapse bool) {
	st.Lapsed = recordedLapse || stateOf(st.Deadlines, agreement.DeadlineRequisition) == DeadlineMissed
	reportMissed := stateOf(st.Deadlines, agreement.DeadlineFinancialReport) == DeadlineMissed ||
		stateOf(st.Deadlines, agreement.DeadlineRepayment) == DeadlineMissed
	st.Reclaim = !st.Lapsed && st.Paid > 0 && reportMissed
	for i := range st.Deadlines {
		if st.Deadlines[i].State == DeadlineOpen {
			st.Next = &st.Deadlines[i]
			break
		}
	}
}

// tracked are the deadlines whose duties the product itself records, and
// when each duty is done.
var tracked = map[agreement.DeadlineID]func(st Status) bool{
	agreement.DeadlineRequisition: func(st Status) bool {
		r := st.Requisition
		return r != nil && r.Status != grant.Draft && r.Status != grant.Rejected
	},
	agreement.DeadlineFinancialReport: func(st Status) bool {
		return st.Report != nil && st.Report.Status.Filed()
	},
	agreement.DeadlineRepayment: func(st Status) bool {
		return st.Report != nil && st.Report.Status.Filed() && st.Due <= 0
	},
}

// deadlines lists the tracked deadlines that concern the recipient's kind,
// in the agreement's order, each done, open or missed. A recipient whose
// right lapsed before anything was paid has nothing to report or repay.
func deadlines(ag *agreement.Agreement, recipient string, st Status, now time.Time) []DeadlineState {
	kind, _, _ := org.Parse(recipient)
	var out []DeadlineState
	for _, d := range ag.Deadlines {
		done, ok := tracked[d.ID]
		if !ok || !slices.Contains(d.Who, kind) {
			continue
		}
		if d.ID != agreement.DeadlineRequisition && st.Paid == 0 && stateOf(out, agreement.DeadlineRequisition) == DeadlineMissed {
			continue // lapsed before anything was paid: nothing to report or repay
		}
		ds := DeadlineState{ID: d.ID, Name: d.Name, Date: d.Date.Time, State: DeadlineOpen}
		switch {
		case done(st):
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
