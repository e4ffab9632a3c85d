package grant

import (
	"testing"
	"time"

	"narvard/internal/money"
)

func TestOutstanding(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	debts := []Debt{
		{ID: "reclaim", Amount: 300, DueOn: day("2024-06-30")},
		{ID: "report", Amount: 1000, DueOn: day("2024-03-31")},
	}
	for _, c := range []struct {
		name            string
		repayments      []Repayment
		report, reclaim money.Kr
	}{
		{"nothing repaid", nil, 1000, 300},
		{"untargeted goes to the oldest first", []Repayment{{Amount: 1100}}, 0, 200},
		{"targeted goes to its debt", []Repayment{{Amount: 300, Debt: "reclaim"}}, 1000, 0},
		{"a targeted excess goes on", []Repayment{{Amount: 400, Debt: "reclaim"}}, 900, 0},
		{"unknown debt is untargeted", []Repayment{{Amount: 50, Debt: "x"}}, 950, 300},
		{"more than all is due", []Repayment{{Amount: 5000}}, 0, 0},
		{"mixed", []Repayment{{Amount: 100}, {Amount: 250, Debt: "reclaim"}, {Amount: 900, Debt: "report"}}, 0, 50},
	} {
		got := Outstanding(debts, c.repayments)
		if got["report"] != c.report || got["reclaim"] != c.reclaim {
			t.Errorf("%s: report %d, reclaim %d; want %d, %d", c.name, got["report"], got["reclaim"], c.report, c.reclaim)
		}
	}
}
