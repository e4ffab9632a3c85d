// Package mail is the product's e-mail: what a mail in the outbox is, its
// Swedish text, how long to wait before trying a failed one again, and the
// sender that hands it to an SMTP server. It knows nothing of the
// database; internal/app writes the outbox and drains it.
package mail

import (
	"time"
)

// Status is where a mail in the outbox stands.
type Status string

// Statuses of a mail.
const (
	Pending  Status = "pending"  // to be sent at NextAt
	Held     Status = "held"     // waits for its recipient's daily digest
	Digested Status = "digested" // went out in a digest
	Sent     Status = "sent"
	Failed   Status = "failed" // given up after MaxAttempts
)

// Kind names what a mail is about.
type Kind string

// The kinds of mail.
const (
	KindSignRequisition Kind = "requisition.sign"   // a requisition waits for the signatory
	KindRejected        Kind = "requisition.reject" // returned with a reason
	KindApproved        Kind = "requisition.approve"
	KindPaid            Kind = "requisition.paid"
	KindReviewReport    Kind = "report.review" // a report waits for the CFO's review
	KindSignReport      Kind = "report.sign"   // a reviewed report waits for the signatory
	KindReportReturned  Kind = "report.return"
	KindReportAccepted  Kind = "report.accept"
	KindReportDue       Kind = "report.due" // the report is due within the reminder's days and not begun
	KindVFUReturned     Kind = "vfu.return"
	KindDocRequest      Kind = "document_request.create"
	KindDocAnswered     Kind = "document_request.answer" // the recipient answered: to the one who asked
	KindSurveyCloses    Kind = "survey.closes"           // a survey closes within days and the invited has not submitted
	KindSurveyReminder  Kind = "survey.remind"           // the survey's runner reminds the invited who has not submitted
	KindMunicipalSigned Kind = "municipal_report.sign"   // a municipality's report waits for its RSS
	KindMunicipalReturn Kind = "municipal_report.return" // returned to the municipality with a reason
	KindSignVFU         Kind = "vfu.sign"                // a VFU report waits for the signatory
	KindDigest          Kind = "digest"
)

// Message is one mail to one address, as the outbox keeps it. Key is
// unique: the event's kind, its object, the address and the day, so a
// mail is written once however often the event or reminder runs.
type Message struct {
	Key       string
	Kind      Kind
	Object    string
	To        string
	Subject   string
	Body      string
	Status    Status
	Attempts  int
	NextAt    time.Time
	CreatedAt time.Time
	SentAt    time.Time
	LastError string
}

// Key returns the outbox key of a mail about object to the address on the
// day (Stockholm).
func Key(kind Kind, object, to string, day time.Time) string {
	return string(kind) + "|" + object + "|" + to + "|" + day.Format(time.DateOnly)
}

// MaxAttempts is how many times a mail is tried before it is marked failed.
const MaxAttempts = 8

// Backoff is how long to wait after the attempts-th failed try: a minute,
// doubling, at most six hours.
func Backoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}
