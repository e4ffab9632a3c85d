package grant

import (
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/questionnaire"
)

// ActivityStatus is where an activity report is in its life.
type ActivityStatus string

// The statuses of an activity report.
const (
	ActivityDraft     ActivityStatus = "draft"     // written, not yet signed
	ActivitySubmitted ActivityStatus = "submitted" // signed and sent to the receiver
	ActivityReturned  ActivityStatus = "returned"  // returned by the receiver with a reason; corrected and signed again
	ActivityAccepted  ActivityStatus = "accepted"  // accepted by the receiver; final
)

// ActivityStatuses are the valid statuses.
var ActivityStatuses = []ActivityStatus{ActivityDraft, ActivitySubmitted, ActivityReturned, ActivityAccepted}

var activityStatusNames = map[ActivityStatus]string{ActivityDraft: "utkast", ActivitySubmitted: "inskickad",
	ActivityReturned: "återsänd", ActivityAccepted: "godkänd"}

// Swedish names the status in Swedish.
func (s ActivityStatus) Swedish() string {
	if n, ok := activityStatusNames[s]; ok {
		return n
	}
	return string(s)
}

// ActivityReport is a recipient's answers to a question template
// (verksamhetsrapport, delrapport), sent to the template's receiver.
type ActivityReport struct {
	ID        string
	Template  string
	Agreement string
	Recipient string
	Receiver  string // the organisation that returns or accepts it
	Answers   questionnaire.Answers
	Status    ActivityStatus
	// Late: first signed after the template's deadline; accepted, but
	// marked.
	Late         bool
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedBy    string
	UpdatedAt    time.Time
	SignedBy     string // the signatory's name
	SignedByUser string // the signatory's e-mail
	SignedAt     time.Time
	ReturnedBy   string
	ReturnedAt   time.Time
	ReturnReason string
	AcceptedBy   string
	AcceptedAt   time.Time
}

func (r *ActivityReport) editable() bool {
	return r.Status == ActivityDraft || r.Status == ActivityReturned
}

// TakesAttachments reports whether files may be added to the report: a
// draft, or one returned for correction.
func (r *ActivityReport) TakesAttachments() error {
	if !r.editable() {
		return fault.New(fault.Conflict, "Verksamhetsrapporten %s är %s; filer kan bara bifogas ett utkast eller en återsänd rapport.", r.ID, r.Status.Swedish())
	}
	return nil
}

// Correct replaces the answers of a draft or returned report.
func (r *ActivityReport) Correct(actor auth.Actor, answers questionnaire.Answers, now time.Time) error {
	if !r.editable() {
		return fault.New(fault.Conflict, "Verksamhetsrapporten %s är %s och kan inte ändras.", r.ID, r.Status.Swedish())
	}
	r.Answers, r.UpdatedBy, r.UpdatedAt = answers, actor.Email, now
	return nil
}

// Sign submits a draft or returned report with its checked answers. A
// report first signed after the deadline is late; one returned and signed
// again keeps what it was.
func (r *ActivityReport) Sign(actor auth.Actor, answers questionnaire.Answers, now time.Time, passed bool) error {
	if !r.editable() {
		return fault.New(fault.Conflict, "Verksamhetsrapporten %s är redan %s.", r.ID, r.Status.Swedish())
	}
	if r.Status == ActivityDraft {
		r.Late = passed
	}
	r.Answers, r.Status, r.SignedBy, r.SignedByUser, r.SignedAt, r.UpdatedAt = answers, ActivitySubmitted, actor.Name, actor.Email, now, now
	return nil
}

// Return sends a submitted report back with a reason.
func (r *ActivityReport) Return(actor auth.Actor, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fault.Fields{"reason": "Ange varför rapporten återsänds."}.Err()
	}
	if r.Status != ActivitySubmitted {
		return fault.New(fault.Conflict, "Bara en inskickad verksamhetsrapport kan återsändas; %s är %s.", r.ID, r.Status.Swedish())
	}
	r.Status, r.ReturnedBy, r.ReturnedAt, r.ReturnReason, r.UpdatedAt = ActivityReturned, actor.Email, now, reason, now
	return nil
}

// Accept accepts a submitted report; it is final.
func (r *ActivityReport) Accept(actor auth.Actor, now time.Time) error {
	if r.Status != ActivitySubmitted {
		return fault.New(fault.Conflict, "Bara en inskickad verksamhetsrapport kan godkännas; %s är %s.", r.ID, r.Status.Swedish())
	}
	r.Status, r.AcceptedBy, r.AcceptedAt, r.UpdatedAt = ActivityAccepted, actor.Email, now, now
	return nil
}
