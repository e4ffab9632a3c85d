package grant

import (
	"time"

	"narvard/internal/money"
)

// Repayment is money a recipient paid back to the paying agency.
type Repayment struct {
	ID         string
	Agreement  string
	Recipient  string
	Amount     money.Kr
	ReceivedOn time.Time
	Reference  string
	Debt       string // the debt whose OCR reference the payment carried, if any
	RecordedBy string
	RecordedAt time.Time
}

// Reclaim is a decision to reclaim (återkräva) a grant.
type Reclaim struct {
	ID        string
	Agreement string
	Recipient string
	Amount    money.Kr
	Reason    string
	OCR       string // the reference of the debt it makes (kept with the debt)
	DecidedBy string
	DecidedAt time.Time
}
