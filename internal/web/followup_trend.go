package web

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"narvard/internal/followup"
)

// The trend shows one group's figures period by period against each goal
// of the agreement's follow-up: the named-GP shares against their levels
// and the continuity against its increase since the first period, as SVG
// lines and, with the same figures, a table. A suppressed figure is left
// out of both (the line breaks there).

// trendGoal is one goal: the column followed and the level to reach (a
// share, or an increase for a change since the first period).
type trendGoal struct {
	col  string
	goal float64
}

// trendGoals are the goals the engine measures against.
var trendGoals = []trendGoal{
	{"andel_fast_lakare", followup.GoalNamedGP},
	{"andel_fast_lakare_sabo", followup.GoalNamedGPSabo},
	{"forandring_coc_lakare_procent", followup.GoalCOCIncrease},
	{"forandring_coc_alla_procent", followup.GoalCOCIncrease},
	{"forandring_coc_lakare_sabo_procent", followup.GoalCOCIncrease},
}

type trendView struct {
	Group, GroupKey string
	Groups          []mapOption // the groups to choose from
	Periods         []string
	Charts          []trendChart
	Query           string
}

type trendChart struct {
	ID, Title, Desc, Goal string
	Cells                 []cell // per period, for the table
	Lines                 []string
	Points                []trendPoint
	XLabels               []trendPoint
	GoalY                 int
	Width, Height         int
}

type trendPoint struct {
	X, Y int
	Text string
}

const (
	trendW, trendH                  = 340, 190
	trendLeft, trendRight, trendTop = 16, 16, 26
	trendBottom                     = 28
	trendPlotW, trendPlotH          = trendW - trendLeft - trendRight, trendH - trendTop - trendBottom
	trendFirstPeriod                = "utgångsläge"
)

// trend is the group's trend against the goals (riket unless another
// group is chosen), nil when the run has no figure for any goal.
func trend(res *followup.Result, by []string, chosen string) *trendView {
	v := &trendView{Periods: res.Periods, GroupKey: followup.ByRiket}
	seen := map[string]bool{}
	for _, r := range res.Rows {
		if !seen[r.Group] {
			seen[r.Group] = true
			v.Groups = append(v.Groups, mapOption{Name: r.Group, Label: groupName(by, r.Group)})
		}
	}
	if seen[chosen] {
		v.GroupKey = chosen
	}
	for i := range v.Groups {
		v.Groups[i].Selected = v.Groups[i].Name == v.GroupKey
	}
	v.Group = groupName(by, v.GroupKey)
	var rows []followup.Row
	for _, r := range res.Rows {
		if r.Group == v.GroupKey {
			rows = append(rows, r)
		}
	}
	for _, g := range trendGoals {
		if c, ok := trendChartOf(g, rows); ok {
			c.ID = fmt.Sprintf("trend-%d", len(v.Charts))
			v.Charts = append(v.Charts, c)
		}
	}
	if len(v.Charts) == 0 {
		return nil
	}
	return v
}

// trendChartOf draws one goal's line over the group's rows, one per
// period; false when no period has a figure.
func trendChartOf(g trendGoal, rows []followup.Row) (trendChart, bool) {
	col := colByName(g.col)
	c := trendChart{Width: trendW, Height: trendH, Title: col.label, Goal: pct(g.goal)}
	if col.base {
		c.Goal = "+" + c.Goal
	}
	values, shown := trendValues(&c, col, rows)
	if !slices.Contains(shown, true) {
		return c, false
	}
	goal := 100 * g.goal
	lo, hi := math.Min(0, goal), goal
	for p, ok := range shown {
		if ok {
			lo, hi = math.Min(lo, values[p]), math.Max(hi, values[p])
		}
	}
	hi += (hi - lo) * 0.15
	y := func(v float64) int { return trendTop + int(math.Round(float64(trendPlotH)*(hi-v)/(hi-lo))) }
	x := func(p int) int {
		if len(rows) == 1 {
			return trendLeft + trendPlotW/2
		}
		return trendLeft + 20 + p*(trendPlotW-40)/(len(rows)-1)
	}
	c.draw(values, shown, x, y)
	for p, r := range rows {
		c.XLabels = append(c.XLabels, trendPoint{X: x(p), Y: trendH - 8, Text: r.Period})
	}
	c.GoalY = y(goal)
	c.Desc = trendDesc(c, rows)
	return c, true
}

// trendValues sets the chart's cells, one per period, and returns the
// figures to draw (per cents) and which periods have one: none that is
// suppressed, and for a change the first period as 0 % only when a later
// period has a change to start from.
func trendValues(c *trendChart, col colSpec, rows []followup.Row) ([]float64, []bool) {
	i := slices.Index(followup.Columns, col.name)
	values := make([]float64, len(rows))
	shown := make([]bool, len(rows))
	for p, r := range rows {
		raw := followup.DisplayCells(r)[i]
		ce := col.cellOf(r, raw)
		if col.base && p == 0 && r.Base == nil {
			ce = firstPeriod(col, r)
		}
		c.Cells = append(c.Cells, ce)
		if ce.Text == "" || ce.Suppressed {
			continue
		}
		shown[p], values[p] = true, mapValue(col, r, raw)
		if col.kind == kindShare {
			values[p] *= 100
		}
	}
	if col.base && len(rows) > 0 && rows[0].Base == nil && !slices.Contains(shown[1:], true) {
		shown[0] = false
		if !c.Cells[0].Suppressed {
			c.Cells[0] = cell{Num: true}
		}
	}
	return values, shown
}

// draw puts the points and the lines between them on the chart, the line
// broken where a period has no figure.
func (c *trendChart) draw(values []float64, shown []bool, x func(int) int, y func(float64) int) {
	var line []string
	flush := func() {
		if len(line) > 1 {
			c.Lines = append(c.Lines, strings.Join(line, " "))
		}
		line = nil
	}
	for p, ok := range shown {
		if !ok {
			flush()
			continue
		}
		line = append(line, fmt.Sprintf("%d,%d", x(p), y(values[p])))
		c.Points = append(c.Points, trendPoint{X: x(p), Y: y(values[p]), Text: c.Cells[p].Text})
	}
	flush()
}

// firstPeriod is a change's cell in the first period: 0 %, the starting
// point, unless the figure it starts from is withheld.
func firstPeriod(col colSpec, r followup.Row) cell {
	for _, d := range col.deps {
		if r.IsSuppressed(d) {
			return cell{Num: true, Suppressed: true}
		}
	}
	return cell{Text: "0 % (" + trendFirstPeriod + ")", Num: true}
}

// trendDesc says in words what the chart shows, for screen readers.
func trendDesc(c trendChart, rows []followup.Row) string {
	var parts []string
	for p, r := range rows {
		text := c.Cells[p].Text
		if c.Cells[p].Suppressed {
			text = "undertryckt"
		} else if text == "" {
			text = "saknas"
		}
		parts = append(parts, r.Period+": "+text)
	}
	return fmt.Sprintf("%s per period, mot målet %s. %s.", c.Title, c.Goal, strings.Join(parts, "; "))
}
