package plan

import (
	"time"

	"narvard/internal/money"
	"narvard/internal/outcome"
)

// Budget is the plan against the books, one line per cost object.
type Budget struct {
	Lines      []BudgetLine
	Unassigned money.Kr // frames of components spread over several cost objects and not planned on any
	Months     []outcome.Month
	Elapsed    int // months of the period the books cover so far
	Total      int // months of the period
	forecasts  map[string]money.Kr
}

// BudgetLine is one cost object: what the plan gives it, what the books
// say was spent, month by month, and where it is heading.
type BudgetLine struct {
	CostObject  string
	Components  []string // labels of the components it carries
	Earmarked   bool     // it carries earmarked money
	Budget      money.Kr
	Outcome     money.Ore
	ByMonth     map[outcome.Month]money.Ore
	Forecast    money.Ore // the officer's, else straight-line: the outcome so far over the months so far, times the period's months
	OwnForecast bool      // the forecast is the officer's
	BehindPace  bool      // earmarked money the forecast leaves unused at the period's end
}

// Remaining is the budget less the outcome so far.
func (l BudgetLine) Remaining() money.Ore { return money.Ore(l.Budget)*100 - l.Outcome }

// Tertial is the outcome in one tertial (1–3) of a year.
func (l BudgetLine) Tertial(year, tertial int) money.Ore {
	var sum money.Ore
	for m, o := range l.ByMonth {
		if m.Year == year && m.Tertial() == tertial {
			sum += o
		}
	}
	return sum
}

// MakeBudget sets the plan's rows (from Check) against the books. A
// component's frame is budgeted on its cost objects: each gets what its
// measures plan, and the part not planned goes to the component's cost
// object when it has only one (the seed's "insatser registreras på objekt
// 9916"), else it is Unassigned. asOf is the last day the books cover.
func MakeBudget(p Plan, rows []Row, out outcome.Outcome, from, to, asOf time.Time) Budget {
	b := Budget{Months: months(from, to), forecasts: p.Forecasts}
	b.Total = len(b.Months)
	b.Elapsed = elapsed(b.Months, asOf)
	lines := map[string]*BudgetLine{}
	line := func(object string) *BudgetLine {
		if l, ok := lines[object]; ok {
			return l
		}
		l := &BudgetLine{CostObject: object, ByMonth: map[outcome.Month]money.Ore{}}
		lines[object] = l
		b.Lines = append(b.Lines, BudgetLine{CostObject: object})
		return l
	}
	for _, r := range rows {
		for _, m := range p.Measures {
			if m.Component == r.Component && m.Amount != nil {
				line(m.CostObject).Budget += *m.Amount
			}
		}
		b.placeUnassigned(r, line)
	}
	for i := range b.Lines {
		l := lines[b.Lines[i].CostObject]
		l.fill(out, b)
		b.Lines[i] = *l
	}
	return b
}

func (b *Budget) placeUnassigned(r Row, line func(string) *BudgetLine) {
	for _, o := range r.CostObjects {
		l := line(o)
		l.Components = append(l.Components, r.Label)
		l.Earmarked = l.Earmarked || r.Earmarked
	}
	if len(r.CostObjects) == 1 {
		line(r.CostObjects[0]).Budget += r.Unassigned
		return
	}
	b.Unassigned += r.Unassigned
}

func (l *BudgetLine) fill(out outcome.Outcome, b Budget) {
	for c, o := range out.Cells {
		if c.CostObject == l.CostObject {
			l.ByMonth[c.Month] += o
			l.Outcome += o
		}
	}
	if b.Elapsed > 0 {
		l.Forecast = l.Outcome * money.Ore(b.Total) / money.Ore(b.Elapsed)
	}
	if own, ok := b.forecasts[l.CostObject]; ok {
		l.Forecast, l.OwnForecast = money.Ore(own)*100, true
	}
	l.BehindPace = l.Earmarked && b.Elapsed > 0 && b.Elapsed < b.Total && l.Forecast < money.Ore(l.Budget)*100
}

// months lists the months from from to to.
func months(from, to time.Time) []outcome.Month {
	var out []outcome.Month
	for m := outcome.MonthOf(from); !after(m, outcome.MonthOf(to)); m = next(m) {
		out = append(out, m)
	}
	return out
}

// elapsed counts the period's months up to and including asOf's.
func elapsed(ms []outcome.Month, asOf time.Time) int {
	n := 0
	for _, m := range ms {
		if !after(m, outcome.MonthOf(asOf)) {
			n++
		}
	}
	return n
}

func after(a, b outcome.Month) bool {
	return a.Year > b.Year || (a.Year == b.Year && a.Month > b.Month)
}

func next(m outcome.Month) outcome.Month {
	if m.Month == time.December {
		return outcome.Month{Year: m.Year + 1, Month: time.January}
	}
	return outcome.Month{Year: m.Year, Month: m.Month + 1}
}
