package grant

import (
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/money"
	"narvard/internal/org"
)

// CoordinatingRSS is the RSS that may report VFU for a recipient on its
// behalf: the RSS of a municipality's county; "" for any other recipient.
func CoordinatingRSS(recipient string) string {
	kind, code, ok := org.Parse(recipient)
	if !ok || kind != org.KindKommun {
		return ""
	}
	m, ok := geo.Kommun(code)
	if !ok {
		return ""
	}
	return org.RSSID(m.County)
}

// VFUStatus is where a VFU report is in its life.
type VFUStatus string

// The statuses of a VFU report. Every report is live: one per recipient
// and agreement.
const (
	VFUDraft     VFUStatus = "draft"     // written, not yet signed
	VFUSubmitted VFUStatus = "submitted" // signed and sent to the paying agency
	VFUReturned  VFUStatus = "returned"  // returned by the paying agency with a reason; corrected and signed again
)

var vfuStatusNames = map[VFUStatus]string{VFUDraft: "utkast", VFUSubmitted: "inskickad", VFUReturned: "återsänd"}

// Swedish names the status in Swedish.
func (s VFUStatus) Swedish() string {
	if n, ok := vfuStatusNames[s]; ok {
		return n
	}
	return string(s)
}

// VFUFigures are a recipient's reported VFU weeks and places in the
// agreement's base period (carried out) and current period (estimated).
type VFUFigures struct {
	WeeksBase     int64
	PlacesBase    int64
	WeeksCurrent  int64
	PlacesCurrent int64
}

// Increase is the increase in weeks; negative for a decrease.
func (f VFUFigures) Increase() int64 { return f.WeeksCurrent - f.WeeksBase }

// VFUReport is a region's or municipality's VFU report to the paying
// agency, written by the recipient or, for a municipality, by its county's
// RSS (ReportedFor says which).
type VFUReport struct {
	ID        string
	Agreement string
	Recipient string
	VFUFigures
	Status       VFUStatus
	ReportedBy   string // the writer's e-mail
	ReportedFor  string // the organisation the writer acted for: the recipient or its RSS
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SignedBy     string // the signatory's name
	SignedByUser string // the signatory's e-mail
	SignedAt     time.Time
	ReturnedBy   string
	ReturnedAt   time.Time
	ReturnReason string
}

// VFURecipient checks that the recipient reports VFU under the agreement:
// a region or municipality of the agreement's counties when it has a VFU
// component.
func VFURecipient(ag *agreement.Agreement, recipient string) error {
	if _, ok := VFUComponent(ag); !ok {
		return fault.New(fault.Invalid, "%s har inga VFU-medel.", ag.ID)
	}
	kind, code, ok := org.Parse(recipient)
	switch {
	case ok && kind == org.KindRegion:
		for _, c := range ag.Counties {
			if c.Code == code {
				return nil
			}
		}
	case ok && kind == org.KindKommun:
		if _, found := geo.Kommun(code); found {
			return nil
		}
	}
	return fault.Fields{"recipient": "Ange en region eller kommun som mottagare av VFU-medlen (region-25, kommun-2510)."}.Err()
}

// VFUComponent is the agreement's component whose key is the VFU increase.
func VFUComponent(ag *agreement.Agreement) (agreement.Component, bool) {
	for _, c := range ag.Components {
		for _, p := range c.Parts {
			if p.Key == agreement.KeyVFUIncrease {
				return c, true
			}
		}
	}
	return agreement.Component{}, false
}

// ValidateVFU checks the figures: whole non-negative numbers, fields named
// after the agreement's periods.
func ValidateVFU(v agreement.VFUPeriods, f VFUFigures) error {
	bad := fault.Fields{}
	for _, c := range []struct {
		field string
		n     int64
	}{{"weeks_" + v.BasePeriod, f.WeeksBase}, {"places_" + v.BasePeriod, f.PlacesBase},
		{"weeks_" + v.CurrentPeriod, f.WeeksCurrent}, {"places_" + v.CurrentPeriod, f.PlacesCurrent}} {
		if c.n < 0 {
			bad.Add(c.field, "Ange ett helt tal, noll eller större.")
		}
	}
	return bad.Err()
}

// CorrectVFU replaces a draft's or returned report's figures; a submitted
// one is refused.
func (r *VFUReport) CorrectVFU(actor auth.Actor, f VFUFigures, now time.Time) error {
	if r.Status == VFUSubmitted {
		return fault.New(fault.Conflict, "VFU-redovisningen %s är redan inskickad; Socialstyrelsen kan återsända den för rättelse.", r.ID)
	}
	r.VFUFigures, r.ReportedBy, r.ReportedFor, r.UpdatedAt = f, actor.Email, actor.Org, now
	return nil
}

// SignVFU submits a draft or returned report; after the deadline it is
// refused (DeadlinePassed).
func (r *VFUReport) SignVFU(actor auth.Actor, now, deadline time.Time, passed bool) error {
	if r.Status == VFUSubmitted {
		return fault.New(fault.Conflict, "VFU-redovisningen %s är redan inskickad.", r.ID)
	}
	if passed {
		return fault.New(fault.DeadlinePassed, "Sista dag för VFU-redovisningen var %s.", deadline.Format(time.DateOnly))
	}
	r.Status, r.SignedBy, r.SignedByUser, r.SignedAt, r.UpdatedAt = VFUSubmitted, actor.Name, actor.Email, now, now
	return nil
}

// ReturnVFU sends a submitted report back with a reason.
func (r *VFUReport) ReturnVFU(actor auth.Actor, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fault.Fields{"reason": "Ange varför redovisningen återsänds."}.Err()
	}
	if r.Status != VFUSubmitted {
		return fault.New(fault.Conflict, "Bara en inskickad VFU-redovisning kan återsändas; %s är %s.", r.ID, r.Status.Swedish())
	}
	r.Status, r.ReturnedBy, r.ReturnedAt, r.ReturnReason, r.UpdatedAt = VFUReturned, actor.Email, now, reason, now
	return nil
}

// VFURound is an agreement's VFU round: open while reports come in, closed
// when the paying agency fixes the allocation from the submitted reports.
type VFURound struct {
	Agreement string
	Status    string // VFUOpen or VFUClosed
	ClosedBy  string
	ClosedAt  time.Time
	Rows      []VFURow
	BatchID   string // the payout batch, once made
}

// The statuses of a VFU round.
const (
	VFUOpen   = "open"
	VFUClosed = "closed"
)

// VFURow is one reporter's line of the closed round: its increase in
// weeks and the amount it receives (zero for those who do not increase).
type VFURow struct {
	Recipient string   `json:"recipient"`
	Okning    int64    `json:"okning"`
	Amount    money.Kr `json:"amount_kr"`
}
