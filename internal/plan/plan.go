// Package plan is a recipient's own plan for its money under an
// agreement: the measures it decides per component and development area,
// each booked on a cost object in its accounts, within the components'
// binding amounts as the frame, with earmarked money kept to its own
// component. Drafted by the officer, decided by the signatory with the
// decision (body, date, paragraph); a new decision replaces the old one,
// which is kept. It knows neither HTTP nor SQL.
package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"narvard/internal/fault"
	"narvard/internal/money"
)

// Measure is one measure of the plan (insats).
type Measure struct {
	Component        string    `json:"component"`
	Area             string    `json:"area"`              // the development area or part of it
	Goal             string    `json:"goal"`              // the goal it serves (mål)
	Measure          string    `json:"measure"`           // what is done (insats)
	Purpose          string    `json:"purpose,omitempty"` // what the money pays for (medlen avser)
	Amount           *money.Kr `json:"amount_kr"`         // nil: ej fördelat, not yet assigned
	CostObject       string    `json:"cost_object"`       // the object in the recipient's accounts
	Responsible      string    `json:"responsible,omitempty"`
	PrivateProviders bool      `json:"private_providers"` // private providers take part
}

// Status is where a plan is in its life.
type Status string

// The statuses.
const (
	Draft    Status = "draft"
	Decided  Status = "decided"
	Replaced Status = "replaced" // a later decided plan is in force
)

// Swedish names the status for people.
func (s Status) Swedish() string {
	switch s {
	case Draft:
		return "utkast"
	case Decided:
		return "beslutad"
	case Replaced:
		return "ersatt"
	}
	return string(s)
}

// Decision is who decided the plan, and where it is recorded.
type Decision struct {
	Body      string `json:"body"`      // the board or committee, e.g. Regionstyrelsen
	Date      string `json:"date"`      // YYYY-MM-DD
	Paragraph string `json:"paragraph"` // the minutes' paragraph, e.g. § 123
}

// Plan is a recipient's plan under an agreement, one version of it.
type Plan struct {
	ID           string
	Agreement    string
	Recipient    string
	Version      int
	Status       Status
	Measures     []Measure
	SIEDimension int // the SIE dimension that carries the cost objects (1 unless set)
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DecidedBy    string
	DecidedAt    time.Time
	Decision     Decision
	ReplacedBy   string
	// Forecasts are the officer's own forecasts of a cost object's outcome
	// at the period's end, where the straight line is not the best guess;
	// they may be set in any status, and the budget uses them.
	Forecasts map[string]money.Kr
}

// DefaultSIEDimension is where the cost objects are in a SIE file unless
// the recipient says otherwise: dimension 1, cost centres (kostnadsställe).
const DefaultSIEDimension = 1

// CostObjects lists the plan's cost objects, each once, in the order the
// measures name them.
func (p Plan) CostObjects() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range p.Measures {
		if m.CostObject != "" && !seen[m.CostObject] {
			seen[m.CostObject] = true
			out = append(out, m.CostObject)
		}
	}
	return out
}

// SetForecast sets the officer's forecast for one of the plan's cost
// objects, or removes it (nil): the straight line is used again.
func (p *Plan) SetForecast(object string, amount *money.Kr) error {
	if !slices.Contains(p.CostObjects(), object) {
		return fault.Fields{"cost_object": fmt.Sprintf("Kostnadsobjektet %q finns inte i planen.", object)}.Err()
	}
	if amount == nil {
		delete(p.Forecasts, object)
		return nil
	}
	if *amount < 0 {
		return fault.Fields{"forecast_kr": "Prognosen kan inte vara negativ."}.Err()
	}
	if p.Forecasts == nil {
		p.Forecasts = map[string]money.Kr{}
	}
	p.Forecasts[object] = *amount
	return nil
}

// Edit replaces a draft's measures.
func (p *Plan) Edit(measures []Measure, at time.Time) error {
	if p.Status != Draft {
		return fault.New(fault.Conflict, "Planen %s är %s och kan inte ändras; gör en ny version.", p.ID, p.Status.Swedish())
	}
	p.Measures, p.UpdatedAt = measures, at
	return nil
}

// Decide records the signatory's decision of a draft.
func (p *Plan) Decide(by string, at time.Time, d Decision) error {
	if p.Status != Draft {
		return fault.New(fault.Conflict, "Planen %s är %s och kan inte beslutas igen; gör en ny version.", p.ID, p.Status.Swedish())
	}
	d = Decision{Body: strings.TrimSpace(d.Body), Date: strings.TrimSpace(d.Date), Paragraph: strings.TrimSpace(d.Paragraph)}
	bad := fault.Fields{}
	if d.Body == "" {
		bad.Add("body", "Ange vilket organ som beslutade planen, till exempel Regionstyrelsen.")
	}
	if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
		bad.Add("date", "Ange beslutsdatum som ÅÅÅÅ-MM-DD.")
	}
	if d.Paragraph == "" {
		bad.Add("paragraph", "Ange protokollets paragraf, till exempel § 123.")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	p.Status, p.DecidedBy, p.DecidedAt, p.Decision = Decided, by, at, d
	return nil
}
