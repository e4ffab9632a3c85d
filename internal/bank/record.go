package bank

import "time"

// LineKind is what became of one transaction of an imported notification.
type LineKind string

// The kinds of line. Repayment and payment lines are matched; excess and
// unmatched lines are for the payer to handle by hand.
const (
	LineRepayment LineKind = "repayment" // a credit with a known OCR: a repayment was recorded
	LinePayment   LineKind = "payment"   // a debit matching a batch's transaction: the payment is confirmed
	LineExcess    LineKind = "excess"    // what a credit paid beyond its debt
	LineUnmatched LineKind = "unmatched" // nothing narvard knows, or refused (the note says why)
)

// Matched reports whether the line was recorded against a debt or a
// payment.
func (k LineKind) Matched() bool { return k == LineRepayment || k == LinePayment }

// Import is a notification as it was imported, once per message id.
type Import struct {
	ID         string
	MessageID  string
	SHA256     string // of the file, to tell a resend from another file with the same id
	Created    time.Time
	ImportedBy string
	ImportedAt time.Time
	Lines      []Line
}

// Line is one transaction of an imported notification and what became of
// it.
type Line struct {
	N         int // 1-based within the import
	Entry     int // the entry's number in the file
	Kind      LineKind
	Direction Direction
	Amount    Ore
	Currency  string
	BookedOn  time.Time
	Reference string // the OCR, end-to-end id or payment information id read
	Recipient string // the recipient the line concerns, if known
	Object    string // the repayment or requisition recorded
	Note      string // in Swedish: what was done, or why nothing was
}
