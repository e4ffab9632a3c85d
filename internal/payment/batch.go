package payment

import "time"

// Batch is a payment batch: approved requisitions paid together from the
// paying agency's account, made by one payer and confirmed when paid.
type Batch struct {
	ID          string
	Agreement   string
	CreatedBy   string
	CreatedAt   time.Time
	ExecuteOn   time.Time
	ConfirmedBy string
	ConfirmedAt time.Time
	PaidOn      time.Time
}
