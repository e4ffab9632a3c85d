package payment

import "time"

// Batch is a payment batch: approved requisitions paid together from the
// paying agency's own account, made by one payer, attested by another
// payer of the same agency and confirmed when paid. Only an attested batch
// gives a payment file and may be confirmed.
type Batch struct {
	ID             string
	Agreement      string
	Payer          string  // the paying agency's organisation id: the maker's
	DebtorAcct     Account // the agency's own account when the batch was made
	CreatedBy      string  // the maker's e-mail
	CreatedByName  string
	CreatedAt      time.Time
	ExecuteOn      time.Time
	AttestedBy     string // the attester's e-mail, another payer of the agency
	AttestedByName string
	AttestedAt     time.Time
	ConfirmedBy    string
	ConfirmedAt    time.Time
	PaidOn         time.Time
}

// Attested reports whether another payer has attested the batch.
func (b Batch) Attested() bool { return !b.AttestedAt.IsZero() }

// Confirmed reports whether the batch is recorded as paid.
func (b Batch) Confirmed() bool { return !b.ConfirmedAt.IsZero() }
