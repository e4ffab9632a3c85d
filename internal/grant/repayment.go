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
	DecidedBy string
	DecidedAt time.Time
}
