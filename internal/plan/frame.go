package plan

import (
	"fmt"
	"slices"
	"strings"

	"narvard/internal/fault"
	"narvard/internal/money"
)

// Frame is one component of the recipient's allocation: the binding
// amount the plan may plan within.
type Frame struct {
	Component string
	Label     string
	Amount    money.Kr
	Earmarked bool
}

// Row is one component of the plan against its frame.
type Row struct {
	Component   string   `json:"component"`
	Label       string   `json:"label"`
	Earmarked   bool     `json:"earmarked"`
	Frame       money.Kr `json:"frame_kr"`
	Planned     money.Kr `json:"planned_kr"`
	Unassigned  money.Kr `json:"unassigned_kr"` // frame − planned: ej fördelat
	Measures    int      `json:"measures"`
	CostObjects []string `json:"cost_objects"`
}

// Limits on what a plan holds.
const (
	MaxMeasures = 500
	maxText     = 2000
)

// Check checks the measures against the frames and returns one row per
// component: every measure names one of the recipient's components and a
// cost object, its amount is not negative, and no component is planned
// beyond its frame, so earmarked money is planned on its own component
// and nowhere else. Field names are measures[i].field.
func Check(frames []Frame, measures []Measure) ([]Row, error) {
	bad := fault.Fields{}
	if len(measures) > MaxMeasures {
		bad.Add("measures", "En plan kan ha högst %d insatser.", MaxMeasures)
		return nil, bad.Err()
	}
	rows, index := frameRows(frames)
	for i, m := range measures {
		checkMeasure(bad, i, m, index)
		r, ok := index[m.Component]
		if !ok {
			continue
		}
		r.Measures++
		if m.CostObject != "" && !slices.Contains(r.CostObjects, m.CostObject) {
			r.CostObjects = append(r.CostObjects, m.CostObject)
		}
		if m.Amount != nil && *m.Amount > 0 {
			r.Planned += *m.Amount
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Unassigned = r.Frame - r.Planned
		if r.Unassigned < 0 {
			bad.Add("measures", "%s: insatserna planerar %s men ramen är %s.%s",
				r.Label, r.Planned, r.Frame, earmarkHint(frames, r.Component))
		}
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}

func frameRows(frames []Frame) ([]Row, map[string]*Row) {
	rows := make([]Row, len(frames))
	index := make(map[string]*Row, len(frames))
	for i, f := range frames {
		rows[i] = Row{Component: f.Component, Label: f.Label, Earmarked: f.Earmarked, Frame: f.Amount, CostObjects: []string{}}
		index[f.Component] = &rows[i]
	}
	return rows, index
}

func checkMeasure(bad fault.Fields, i int, m Measure, index map[string]*Row) {
	field := func(name string) string { return fmt.Sprintf("measures[%d].%s", i, name) }
	if _, ok := index[m.Component]; !ok {
		bad.Add(field("component"), "Insats %d: %q är ingen av mottagarens delar av överenskommelsen.", i+1, m.Component)
	}
	if strings.TrimSpace(m.Measure) == "" {
		bad.Add(field("measure"), "Insats %d: beskriv insatsen.", i+1)
	}
	if strings.TrimSpace(m.CostObject) == "" {
		bad.Add(field("cost_object"), "Insats %d: ange kostnadsobjektet som insatsen bokförs på.", i+1)
	}
	if m.Amount != nil && *m.Amount < 0 {
		bad.Add(field("amount_kr"), "Insats %d: beloppet kan inte vara negativt.", i+1)
	}
	for name, text := range map[string]string{"area": m.Area, "goal": m.Goal, "measure": m.Measure, "purpose": m.Purpose, "responsible": m.Responsible, "cost_object": m.CostObject} {
		if len(text) > maxText {
			bad.Add(field(name), "Insats %d: texten är längre än %d tecken.", i+1, maxText)
		}
	}
}

// earmarkHint explains, when a component is planned beyond its frame,
// that the recipient's earmarked money cannot be planned there.
func earmarkHint(frames []Frame, component string) string {
	var earmarked []string
	for _, f := range frames {
		if f.Earmarked && f.Component != component {
			earmarked = append(earmarked, f.Label)
		}
	}
	if len(earmarked) == 0 {
		return ""
	}
	return " Öronmärkta medel (" + strings.Join(earmarked, ", ") + ") får bara planeras på sin egen del."
}

// Totals sums the rows: the frame, what is planned and what is not.
func Totals(rows []Row) (frame, planned, unassigned money.Kr) {
	for _, r := range rows {
		frame += r.Frame
		planned += r.Planned
		unassigned += r.Unassigned
	}
	return frame, planned, unassigned
}
