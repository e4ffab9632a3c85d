package grant

import (
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/money"
)

// MunicipalStatus is where a municipality's report to its RSS is.
type MunicipalStatus string

// The statuses of a municipal report: the municipality's officer drafts,
// its signatory signs (submitted to the RSS), the RSS returns it with a
// reason (corrected and signed again) or accepts it.
const (
	MunicipalDraft     MunicipalStatus = "draft"
	MunicipalSubmitted MunicipalStatus = "submitted"
	MunicipalReturned  MunicipalStatus = "returned"
	MunicipalAccepted  MunicipalStatus = "accepted"
)

var municipalStatusNames = map[MunicipalStatus]string{MunicipalDraft: "utkast", MunicipalSubmitted: "inskickad",
	MunicipalReturned: "återsänd", MunicipalAccepted: "godkänd"}

// Swedish names the status in Swedish.
func (s MunicipalStatus) Swedish() string {
	if n, ok := municipalStatusNames[s]; ok {
		return n
	}
	return string(s)
}

// MunicipalReport is a municipality's account to its county's RSS of what
// it spent, per component, of the money the RSS passed on: the cost lines
// of the financial report, each on a component of the RSS's allocation.
type MunicipalReport struct {
	ID           string
	Agreement    string
	Kommun       string // the municipality's organisation, kommun-<code>
	RSS          string // the RSS it reports to (CoordinatingRSS)
	Costs        []CostLine
	Status       MunicipalStatus
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SignedBy     string // the signatory's name
	SignedByUser string // the signatory's e-mail
	SignedAt     time.Time
	DecidedBy    string // the RSS's officer who returned or accepted it
	DecidedAt    time.Time
	ReturnReason string
}

// ByComponent sums the report's costs per component.
func (r MunicipalReport) ByComponent() map[string]money.Kr {
	out := map[string]money.Kr{}
	for _, c := range r.Costs {
		out[c.Component] += c.Amount
	}
	return out
}

// ValidateMunicipalCosts checks a municipal report's cost lines: at least
// one, each on a component of the RSS's allocation (required: the RSS
// accounts per component), a non-negative whole amount; the text is
// optional. It trims the lines in place.
func ValidateMunicipalCosts(costs []CostLine, al Allocation) error {
	bad := fault.Fields{}
	known := map[string]bool{}
	for _, c := range al.Components {
		known[c.ID] = true
	}
	if len(costs) == 0 {
		bad.Add("costs", "Redovisa minst en kostnad per del av överenskommelsen.")
	}
	var sum money.Kr
	for i := range costs {
		c := &costs[i]
		c.Item, c.Component = strings.TrimSpace(c.Item), strings.TrimSpace(c.Component)
		key := "costs[" + itoa(i) + "]"
		switch {
		case c.Component == "":
			bad.Add(key+".component", "Ange vilken del av överenskommelsen kostnaden hör till.")
		case !known[c.Component]:
			bad.Add(key+".component", "Okänd komponent %q; RSS:ens komponenter gäller.", c.Component)
		case c.Amount < 0:
			bad.Add(key+".amount_kr", "Kostnader kan inte vara negativa.")
		}
		var err error
		if sum, err = money.Add(sum, max(c.Amount, 0)); err != nil {
			bad.Add("costs", "Kostnaderna är för stora.")
			break
		}
	}
	return bad.Err()
}

// CorrectMunicipal replaces a draft's or returned report's costs; it is a
// draft again.
func (r *MunicipalReport) CorrectMunicipal(costs []CostLine, now time.Time) error {
	if r.Status != MunicipalDraft && r.Status != MunicipalReturned {
		return conflict("En kommunredovisning som är %s kan inte ändras.", r.Status.Swedish())
	}
	r.Costs, r.Status, r.UpdatedAt = costs, MunicipalDraft, now
	return nil
}

// SignMunicipal submits a draft (or a returned report, as it stands) to
// the RSS on a signatory's word.
func (r *MunicipalReport) SignMunicipal(a auth.Actor, now time.Time) error {
	if r.Status != MunicipalDraft && r.Status != MunicipalReturned {
		return conflict("Kommunredovisningen %s är %s och kan inte skrivas under.", r.ID, r.Status.Swedish())
	}
	r.Status, r.SignedBy, r.SignedByUser, r.SignedAt, r.UpdatedAt = MunicipalSubmitted, a.Name, a.Email, now, now
	return nil
}

// ReturnMunicipal sends a submitted report back to the municipality with a
// reason.
func (r *MunicipalReport) ReturnMunicipal(a auth.Actor, reason string, now time.Time) error {
	if reason = strings.TrimSpace(reason); reason == "" {
		return fault.Fields{"reason": "Ange skälet till att redovisningen skickas tillbaka."}.Err()
	}
	if r.Status != MunicipalSubmitted {
		return conflict("Bara en inskickad kommunredovisning kan skickas tillbaka; %s är %s.", r.ID, r.Status.Swedish())
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.ReturnReason, r.UpdatedAt = MunicipalReturned, a.Email, now, reason, now
	return nil
}

// AcceptMunicipal accepts a submitted report: its costs count in the RSS's
// financial report.
func (r *MunicipalReport) AcceptMunicipal(a auth.Actor, now time.Time) error {
	if r.Status != MunicipalSubmitted {
		return conflict("Bara en inskickad kommunredovisning kan godkännas; %s är %s.", r.ID, r.Status.Swedish())
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.UpdatedAt = MunicipalAccepted, a.Email, now, now
	return nil
}

// ComponentUse is one component of a municipality's (or the RSS's own)
// money: what it received, what it reported spent, and the difference.
type ComponentUse struct {
	Component string   `json:"component"`
	Received  money.Kr `json:"received_kr"`
	Reported  money.Kr `json:"reported_kr"`
}

// Left is what is left of the money: received − reported; negative when
// more was reported than received (the rest paid with the municipality's
// own money, shown as a warning, never refused).
func (u ComponentUse) Left() money.Kr { return u.Received - u.Reported }

// Over reports whether more was reported than received.
func (u ComponentUse) Over() bool { return u.Reported > u.Received }

// Counted is what of the reported costs counts against the money
// received: at most what was received, since costs above it were paid
// with the municipality's own money and cannot cover another's.
func (u ComponentUse) Counted() money.Kr { return min(u.Reported, u.Received) }

// SplitReceived splits an amount a municipality received on the
// components in proportion to what the decision gave it of each (largest
// remainder), in the order given.
func SplitReceived(amount money.Kr, components []string, decided []money.Kr) ([]money.Kr, error) {
	claims := make([]claim, len(components))
	var total money.Kr
	for i, c := range components {
		claims[i] = claim{c, decided[i]}
		total += decided[i]
	}
	if total == 0 || amount == 0 {
		return make([]money.Kr, len(components)), nil
	}
	return apportion(amount, claims)
}

// RSSShare is one component of an RSS's financial report split on who
// used the money: the RSS's own part (what it kept of what it was paid,
// and its own cost lines on the component), one row per municipality of
// its county (what the RSS passed on to it, and the costs of its accepted
// report) and the total. Derived on every read, never stored.
type RSSShare struct {
	Component string
	Label     string
	Own       ComponentUse
	Kommuner  []KommunShare
	Total     ComponentUse
}

// KommunShare is one municipality's row of a component.
type KommunShare struct {
	Kommun string // kommun-<code>
	Name   string
	Status MunicipalStatus // its report's; "" when it has none
	ComponentUse
}
