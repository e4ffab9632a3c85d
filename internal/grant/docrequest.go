package grant

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"narvard/internal/clock"

	"narvard/internal/fault"
)

// A document request (begäran om underlag): a paying agency or the ministry
// may ask any recipient for copies of its accounts and other underlag
// (the agreement's section on follow-up); the recipient's officer answers
// with attachments and a text.

// DocRequestStatus is where a document request is. Overdue is not stored:
// it is an open request whose due date has passed (Status).
type DocRequestStatus string

// The statuses of a document request.
const (
	DocRequestOpen     DocRequestStatus = "open"     // asked, not yet answered
	DocRequestOverdue  DocRequestStatus = "overdue"  // open after its due date (derived)
	DocRequestAnswered DocRequestStatus = "answered" // answered by the recipient
	DocRequestClosed   DocRequestStatus = "closed"   // closed by the requester
)

var docRequestStatusNames = map[DocRequestStatus]string{
	DocRequestOpen: "öppen", DocRequestOverdue: "försenad", DocRequestAnswered: "besvarad", DocRequestClosed: "stängd",
}

// Swedish names the status in Swedish.
func (s DocRequestStatus) Swedish() string {
	if n, ok := docRequestStatusNames[s]; ok {
		return n
	}
	return string(s)
}

// ParseDocRequestStatus reads a status people ask a list for.
func ParseDocRequestStatus(s string) (DocRequestStatus, error) {
	st := DocRequestStatus(s)
	if _, ok := docRequestStatusNames[st]; !ok {
		return "", fault.Fields{"status": fmt.Sprintf("Okänd status %q: välj open, overdue, answered eller closed.", s)}.Err()
	}
	return st, nil
}

// DocRequest is one request for underlag.
type DocRequest struct {
	ID           string
	Agreement    string
	Recipient    string
	RequesterOrg string // the agency or ministry that asks
	RequestedBy  string // e-mail
	Text         string
	DueDate      time.Time // a date, Stockholm
	Stored       DocRequestStatus
	CreatedAt    time.Time
	AnswerText   string
	AnsweredBy   string
	AnsweredAt   time.Time
	ClosedBy     string
	ClosedAt     time.Time
}

// Status is the request's status now: an open request whose due date has
// passed (the whole due date counts, in Stockholm) is overdue.
func (r DocRequest) Status(now time.Time) DocRequestStatus {
	if r.Stored == DocRequestOpen && now.In(clock.Stockholm).Format(time.DateOnly) > r.DueDate.Format(time.DateOnly) {
		return DocRequestOverdue
	}
	return r.Stored
}

// MaxRequestText is the longest text of a request or an answer.
const MaxRequestText = 10000

// CheckDocRequest checks a request's text and due date (YYYY-MM-DD, today
// or later in Stockholm), per field.
func CheckDocRequest(text, due string, today time.Time) (string, time.Time, error) {
	bad := fault.Fields{}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		bad.Add("text", "Skriv vilket underlag som begärs.")
	case utf8.RuneCountInString(text) > MaxRequestText:
		bad.Add("text", "Texten får vara högst %d tecken.", MaxRequestText)
	}
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(due), today.Location())
	switch {
	case err != nil:
		bad.Add("due_date", "Ange sista dag som ÅÅÅÅ-MM-DD, till exempel 2024-04-30.")
	case d.Format(time.DateOnly) < today.In(clock.Stockholm).Format(time.DateOnly):
		bad.Add("due_date", "Sista dag %s har redan passerat.", d.Format(time.DateOnly))
	}
	return text, d, bad.Err()
}

// Answer records the recipient's answer; only an open (or overdue)
// request with at least one attachment is answered.
func (r *DocRequest) Answer(by, text string, attachments int, now time.Time) error {
	if r.Stored != DocRequestOpen {
		return fault.New(fault.Conflict, "Begäran %s är %s och kan inte besvaras.", r.ID, r.Status(now).Swedish())
	}
	if attachments == 0 {
		return fault.New(fault.Invalid, "Bifoga minst en fil innan du besvarar begäran %s.", r.ID)
	}
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > MaxRequestText {
		return fault.Fields{"text": fmt.Sprintf("Svaret får vara högst %d tecken.", MaxRequestText)}.Err()
	}
	r.Stored, r.AnsweredBy, r.AnsweredAt, r.AnswerText = DocRequestAnswered, by, now, text
	return nil
}

// Close records that the requester closed the request, answered or not.
func (r *DocRequest) Close(by string, now time.Time) error {
	if r.Stored == DocRequestClosed {
		return fault.New(fault.Conflict, "Begäran %s är redan stängd.", r.ID)
	}
	r.Stored, r.ClosedBy, r.ClosedAt = DocRequestClosed, by, now
	return nil
}

// AttachmentsOpen refuses a new attachment to a request that is no longer
// open.
func (r DocRequest) AttachmentsOpen(now time.Time) error {
	if r.Stored != DocRequestOpen {
		return fault.New(fault.Conflict, "Begäran %s är %s; filer kan inte längre bifogas.", r.ID, r.Status(now).Swedish())
	}
	return nil
}

// Owner kinds of attachments: what an attachment belongs to. The table of
// attachments is keyed by (owner kind, owner id), so that another kind of
// document (activity reports) takes attachments by naming its kind here.
const (
	OwnerDocRequest = "document_request"
	OwnerReport     = "financial_report"
	OwnerActivity   = "activity_report"
)

// Attachment is a file attached to a document request or a report, its
// type decided from its content (package filetype).
type Attachment struct {
	OwnerKind   string
	OwnerID     string
	N           int // 1, 2, … within the owner
	Name        string
	ContentType string
	Size        int64
	SHA256      string // hex
	AddedBy     string
	AddedAt     time.Time
}

// ID is the attachment's key in the books: kind:owner:n.
func (a Attachment) ID() string { return fmt.Sprintf("%s:%s:%d", a.OwnerKind, a.OwnerID, a.N) }

// ReportTakesAttachments refuses an attachment to a financial report that
// is neither a draft nor returned for correction.
func ReportTakesAttachments(r FinancialReport) error {
	if r.Status != ReportDraft && r.Status != ReportReturned {
		return fault.New(fault.Conflict, "Redovisningen %s är %s; filer kan bara bifogas ett utkast eller en återsänd redovisning.", r.ID, r.Status.Swedish())
	}
	return nil
}
