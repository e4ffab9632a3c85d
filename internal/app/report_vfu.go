package app

import (
	"time"

	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/store"
)

// vfuApart is the agreement's VFU component as the recipient's financial
// report counts it: the amount the closed VFU round fixed for the
// recipient and what of it was paid (without requisition, by the agency
// that pays VFU); none when the recipient has no VFU money.
func (a *App) vfuApart(tx *store.Tx, agreementID, recipient string) ([]grant.PaidApart, error) {
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, nil
	}
	c, ok := grant.VFUComponent(ag)
	if !ok {
		return nil, nil
	}
	fixed, err := tx.KindTotal(ledger.VFUAllocated(agreementID, recipient), ledger.KindVFUAllocation)
	if err != nil {
		return nil, err
	}
	paid, err := tx.KindTotal(ledger.VFUPaid(agreementID, recipient), ledger.KindVFUPayment)
	if err != nil || fixed == 0 && paid == 0 {
		return nil, err
	}
	return []grant.PaidApart{{ComponentAmount: grant.ComponentAmount{ID: c.ID, Label: c.Label(), Amount: fixed, Computed: fixed,
		Earmarked: c.Earmarked}, Paid: paid}}, nil
}

// apartDue is the part of what the report makes due that is unused money
// paid apart (VFU): at most what is due.
func apartDue(acc grant.Accounting, apart []grant.PaidApart) money.Kr {
	var unused money.Kr
	for _, p := range apart {
		for _, c := range acc.Components {
			if c.ID == p.ID {
				unused += c.Unused
			}
		}
	}
	return min(unused, acc.Due)
}

// withApart is the allocation with the components paid apart, for what
// only looks at the components (the debt's agency).
func withApart(al grant.Allocation, apart []grant.PaidApart) grant.Allocation {
	out := grant.Allocation{Recipient: al.Recipient, Components: append([]grant.ComponentAmount(nil), al.Components...)}
	for _, p := range apart {
		out.Components = append(out.Components, p.ComponentAmount)
	}
	return out
}

// postDue makes what the report makes due equal to due: the part of it
// that is unused money paid apart (VFU) moved from the recipient's VFU
// paid account, the rest from its paid account, each posting the
// difference from what earlier filings moved.
func postDue(tx *store.Tx, r *grant.FinancialReport, due, apart money.Kr, now time.Time) error {
	if err := postDueFrom(tx, r, ledger.Paid(r.Agreement, r.Recipient), due-apart, now); err != nil {
		return err
	}
	return postDueFrom(tx, r, ledger.VFUPaid(r.Agreement, r.Recipient), apart, now)
}

func postDueFrom(tx *store.Tx, r *grant.FinancialReport, from string, due money.Kr, now time.Time) error {
	debt := ledger.Debt(r.Agreement, r.Recipient)
	out, err := tx.KindTotal(from, ledger.KindDue)
	if err != nil {
		return err
	}
	back, err := tx.KindTotal(from, ledger.KindDueReversal)
	if err != nil {
		return err
	}
	switch delta := due - (-out - back); {
	case delta > 0:
		_, err = tx.Post(ledger.Move(ledger.KindDue, r.Agreement, r.Recipient, r.ID, now, from, debt, delta))
	case delta < 0:
		_, err = tx.Post(ledger.Move(ledger.KindDueReversal, r.Agreement, r.Recipient, r.ID, now, debt, from, -delta))
	}
	return err
}
