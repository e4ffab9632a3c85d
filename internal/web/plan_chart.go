package web

import (
	"narvard/internal/money"
	"narvard/internal/plan"
)

// budgetChart is the plan against the books as bars, one group per cost
// object: the budget, the outcome so far and the forecast to the
// period's end, drawn to one scale on the server (an SVG in the page, no
// script).
type budgetChart struct {
	Width, Height int
	Groups        []chartGroup
}

type chartGroup struct {
	Y                         int
	Label                     string
	Budget, Outcome, Forecast chartBar
	BehindPace                bool
}

type chartBar struct {
	Width int
	Kr    money.Kr
}

// Chart geometry in SVG user units.
const (
	chartLabel    = 150 // the cost object's name
	chartBars     = 420 // the longest bar
	chartBarHigh  = 12
	chartGroupGap = 14
)

func chartOf(lines []plan.BudgetLine) budgetChart {
	var most money.Kr
	for _, l := range lines {
		most = max(most, l.Budget, l.Outcome.Kronor(), l.Forecast.Kronor())
	}
	c := budgetChart{Width: chartLabel + chartBars + 10}
	y := 4
	for _, l := range lines {
		g := chartGroup{Y: y, Label: l.CostObject, BehindPace: l.BehindPace,
			Budget: barOf(l.Budget, most), Outcome: barOf(l.Outcome.Kronor(), most), Forecast: barOf(l.Forecast.Kronor(), most)}
		c.Groups = append(c.Groups, g)
		y += 3*chartBarHigh + chartGroupGap
	}
	c.Height = y
	return c
}

// barOf scales an amount to the longest bar; a negative amount (more
// credited than spent) draws nothing.
func barOf(k, most money.Kr) chartBar {
	if k <= 0 || most <= 0 {
		return chartBar{Kr: k}
	}
	return chartBar{Width: int(int64(k) * chartBars / int64(most)), Kr: k}
}
