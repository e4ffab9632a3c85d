package plan

import (
	"testing"
	"time"

	"narvard/internal/money"
	"narvard/internal/outcome"
)

func kr(k money.Kr) *money.Kr { return &k }

// A cost object carrying several components splits its outcome by their
// budgets on it; the components sum to the objects exactly, a credit
// included.
func TestComponentOutcome(t *testing.T) {
	frames := []Frame{{Component: "a", Label: "A", Amount: 100}, {Component: "b", Label: "B", Amount: 200, Earmarked: true},
		{Component: "c", Label: "C", Amount: 50}}
	p := Plan{Measures: []Measure{
		{Component: "a", Measure: "x", CostObject: "1", Amount: kr(40)},
		{Component: "a", Measure: "y", CostObject: "2", Amount: kr(60)},
		{Component: "b", Measure: "z", CostObject: "2"},
		{Component: "c", Measure: "w", CostObject: "3"},
	}}
	rows, err := Check(frames, p.Measures)
	if err != nil {
		t.Fatal(err)
	}
	jan := outcome.Month{Year: 2023, Month: time.January}
	out := outcome.Outcome{Cells: map[outcome.Cell]money.Ore{
		{CostObject: "1", Month: jan}: 1050,  // 10,50 → 11 kr, all a's
		{CostObject: "2", Month: jan}: 2600,  // 26 kr: a 60 and b 200 of budget → 6, 20
		{CostObject: "3", Month: jan}: -1049, // a credit: −10,49 → −10 kr, all c's
	}}
	got, err := ComponentOutcome(p, rows, out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]money.Kr{"a": 11 + 6, "b": 20, "c": -10}
	var sum money.Kr
	for _, c := range got {
		sum += c.Amount
		if c.Amount != want[c.Component] {
			t.Errorf("%s: %s, want %s", c.Component, c.Amount, want[c.Component])
		}
	}
	if len(got) != 3 || sum != 11+26-10 {
		t.Errorf("%+v sums to %s", got, sum)
	}
}
