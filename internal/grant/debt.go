package grant

import (
	"slices"
	"time"

	"narvard/internal/money"
)

// DebtKind says why money is due back.
type DebtKind string

// The kinds of debt: unspent or earmarked money a filed financial report
// makes due (återbetalning), and a reclaim decision (återkrav).
const (
	DebtRepayment DebtKind = "repayment"
	DebtReclaim   DebtKind = "reclaim"
)

// Swedish names the kind as the decision letter does.
func (k DebtKind) Swedish() string {
	if k == DebtReclaim {
		return "Återkravsbeslut"
	}
	return "Återbetalningsbesked"
}

// Debt is one amount a recipient owes the paying agency, with the OCR
// reference it is paid with (unique per debt) and the day it is due.
// A repayment debt follows its financial report: a corrected report
// changes its amount, never its reference.
type Debt struct {
	ID        string
	OCR       string
	Agreement string
	Recipient string
	Kind      DebtKind
	Agency    string   // the paying agency the money is due to
	Source    string   // the financial report's or the reclaim's id
	Amount    money.Kr // what the source made due
	DueOn     time.Time
	Reason    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Outstanding is what is left of each debt (by id) after the repayments:
// a repayment made with a debt's reference goes to that debt first; what
// exceeds it, and repayments with no debt, go to the debts oldest first
// (by due day, then creation). The sum of what is left is the total due
// less the total repaid, never below zero per debt.
func Outstanding(debts []Debt, repayments []Repayment) map[string]money.Kr {
	left := make(map[string]money.Kr, len(debts))
	for _, d := range debts {
		left[d.ID] = d.Amount
	}
	var pool money.Kr
	for _, p := range repayments {
		amount := p.Amount
		if rest, ok := left[p.Debt]; ok {
			take := min(rest, amount)
			left[p.Debt] -= take
			amount -= take
		}
		pool += amount
	}
	order := slices.Clone(debts)
	slices.SortStableFunc(order, func(a, b Debt) int {
		if c := a.DueOn.Compare(b.DueOn); c != 0 {
			return c
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	for _, d := range order {
		take := min(left[d.ID], pool)
		left[d.ID] -= take
		pool -= take
	}
	return left
}
