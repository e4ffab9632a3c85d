package grant

import (
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/ident"
	"narvard/internal/money"
)

// Status is where a requisition is in its life.
type Status string

// The statuses. A requisition is live unless withdrawn; at most one live
// requisition per recipient and agreement.
const (
	Draft     Status = "draft"     // being written by the recipient
	Submitted Status = "submitted" // signed by an authorised signatory, sent to Kammarkollegiet
	Approved  Status = "approved"  // approved by Kammarkollegiet, waiting for payment
	Rejected  Status = "rejected"  // returned by Kammarkollegiet; may be corrected and signed again
	Paid      Status = "paid"      // paid, once, ever
	Withdrawn Status = "withdrawn" // withdrawn by the recipient before approval
)

var statusNames = map[Status]string{
	Draft: "utkast", Submitted: "inskickad", Approved: "godkänd", Rejected: "avslagen",
	Paid: "utbetald", Withdrawn: "återkallad",
}

// Swedish names the status in Swedish.
func (s Status) Swedish() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return string(s)
}

// RequisitionFilter narrows a listing of requisitions; empty fields match
// everything.
type RequisitionFilter struct {
	Agreement string
	Recipient string
	Status    Status
	Batch     string
}

// Live reports whether the requisition still counts as the recipient's one
// requisition.
func (s Status) Live() bool { return s != Withdrawn }

// Account is where the money is paid: a bankgiro or plusgiro number.
type Account struct {
	Type   string `json:"type"` // "bankgiro" or "plusgiro"
	Number string `json:"number"`
}

// Contact is the recipient's contact person (Bilaga 1, point 1).
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Form is what a recipient fills in: the fields of Bilaga 1's requisition.
type Form struct {
	Agreement          string   `json:"agreement"`
	Recipient          string   `json:"recipient"`
	Amount             money.Kr `json:"amount_kr"`
	PeriodFrom         string   `json:"period_from"`
	PeriodTo           string   `json:"period_to"`
	Account            Account  `json:"account"`
	PaymentReference   string   `json:"payment_reference"`
	Contact            Contact  `json:"contact"`
	AgreementDnr       string   `json:"agreement_dnr"`
	PaymentDecisionDnr string   `json:"payment_decision_dnr"`
}

// Requisition is a recipient's request to Kammarkollegiet to pay its
// allocation (rekvisition).
type Requisition struct {
	ID string
	Form
	Status       Status
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SignedBy     string // the signatory's name (namnförtydligande)
	SignedByUser string // the signatory's e-mail
	SignedAt     time.Time
	DecidedBy    string
	DecidedAt    time.Time
	RejectReason string
	BatchID      string
	PaidOn       time.Time // the payment date, set when the batch is confirmed
}

// Normalize trims the form's text and puts identifiers in their usual form.
func (f *Form) Normalize() {
	for _, s := range []*string{&f.Agreement, &f.Recipient, &f.PeriodFrom, &f.PeriodTo, &f.Account.Type, &f.Account.Number,
		&f.PaymentReference, &f.Contact.Name, &f.Contact.Email, &f.Contact.Phone, &f.AgreementDnr, &f.PaymentDecisionDnr} {
		*s = strings.TrimSpace(*s)
	}
	f.Account.Type = strings.ToLower(f.Account.Type)
}

// Validate checks the form against Bilaga 1 and the recipient's allocation,
// which the caller looked up for f.Recipient under f.Agreement with
// period the agreement's period. It returns a fault: Invalid with a
// message per field, or OverAllocation.
func (f *Form) Validate(allocation money.Kr, periodFrom, periodTo time.Time) error {
	f.Normalize()
	bad := fault.Fields{}
	if f.Amount <= 0 {
		bad.Add("amount_kr", "Ange ett belopp i hela kronor större än noll.")
	}
	checkPeriod(bad, f.PeriodFrom, f.PeriodTo, periodFrom, periodTo)
	switch f.Account.Type {
	case "bankgiro":
		if n, err := ident.Bankgiro(f.Account.Number); err != nil {
			bad.Add("account.number", "Bankgironumret är inte giltigt: %v.", err)
		} else {
			f.Account.Number = n
		}
	case "plusgiro":
		if n, err := ident.Plusgiro(f.Account.Number); err != nil {
			bad.Add("account.number", "Plusgironumret är inte giltigt: %v.", err)
		} else {
			f.Account.Number = n
		}
	default:
		bad.Add("account.type", "Välj bankgiro eller plusgiro.")
	}
	if f.PaymentReference == "" {
		bad.Add("payment_reference", "Ange önskad betalningsreferens.")
	}
	checkContact(bad, f.Contact, f.AgreementDnr, f.PaymentDecisionDnr)
	if len(f.PaymentReference) > 35 {
		bad.Add("payment_reference", "Betalningsreferensen får vara högst 35 tecken.")
	}
	if f.Amount > allocation && len(bad) > 0 {
		// Said with the other messages, so that the user corrects all at once.
		bad.Add("amount_kr", "Beloppet %s är större än mottagarens tilldelning %s; högst %s.", f.Amount, allocation, allocation)
	}
	if err := bad.Err(); err != nil {
		return err
	}
	if f.Amount > allocation {
		return &fault.Error{Code: fault.OverAllocation,
			Message: "Beloppet " + f.Amount.String() + " är större än mottagarens tilldelning " + allocation.String() + ".",
			Fields:  map[string]string{"amount_kr": "Högst " + allocation.String() + "."}}
	}
	return nil
}

func conflict(format string, args ...any) error { return fault.New(fault.Conflict, format, args...) }

// Correct replaces the form of a draft or rejected requisition, which
// becomes a draft again.
func (r *Requisition) Correct(f Form, now time.Time) error {
	if r.Status != Draft && r.Status != Rejected {
		return conflict("En rekvisition som är %s kan inte ändras.", r.Status.Swedish())
	}
	f.Agreement, f.Recipient = r.Agreement, r.Recipient
	r.Form, r.Status, r.UpdatedAt = f, Draft, now
	r.RejectReason = ""
	return nil
}

// Sign submits a draft on the signatory's word. After the deadline it
// refuses with DeadlinePassed (the caller records the lapse).
func (r *Requisition) Sign(a auth.Actor, now, deadline time.Time, passed bool) error {
	if r.Status != Draft {
		return conflict("Bara ett utkast kan skrivas under; rekvisitionen är %s.", r.Status.Swedish())
	}
	if passed {
		return fault.New(fault.DeadlinePassed, "Sista dag för rekvisition var %s; rätten till bidraget har förfallit.", deadline.Format(time.DateOnly))
	}
	r.Status, r.SignedBy, r.SignedByUser, r.SignedAt, r.UpdatedAt = Submitted, a.Name, a.Email, now, now
	return nil
}

// Approve approves a submitted requisition.
func (r *Requisition) Approve(a auth.Actor, now time.Time) error {
	if r.Status != Submitted {
		return conflict("Bara en inskickad rekvisition kan godkännas; den är %s.", r.Status.Swedish())
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.UpdatedAt = Approved, a.Email, now, now
	return nil
}

// Reject returns a submitted requisition with a reason.
func (r *Requisition) Reject(a auth.Actor, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fault.Fields{"reason": "Ange skälet till avslaget."}.Err()
	}
	if r.Status != Submitted {
		return conflict("Bara en inskickad rekvisition kan avslås; den är %s.", r.Status.Swedish())
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.RejectReason, r.UpdatedAt = Rejected, a.Email, now, reason, now
	return nil
}

// Withdraw takes back a requisition that is not yet approved, so that a new
// one may be written.
func (r *Requisition) Withdraw(now time.Time) error {
	if r.Status != Draft && r.Status != Rejected {
		return conflict("En rekvisition som är %s kan inte återkallas.", r.Status.Swedish())
	}
	r.Status, r.UpdatedAt = Withdrawn, now
	return nil
}

// AddToBatch puts an approved requisition in a payment batch.
func (r *Requisition) AddToBatch(batch string) error {
	if r.Status != Approved || r.BatchID != "" {
		return conflict("Rekvisitionen %s är inte godkänd och obetald.", r.ID)
	}
	r.BatchID = batch
	return nil
}

// MarkPaid records the payment. A requisition is paid once, ever.
func (r *Requisition) MarkPaid(batch string, on, now time.Time) error {
	if r.Status == Paid {
		return conflict("Rekvisitionen %s är redan utbetald.", r.ID)
	}
	if r.Status != Approved || r.BatchID != batch {
		return conflict("Rekvisitionen %s ingår inte som godkänd i betalningsomgången.", r.ID)
	}
	r.Status, r.PaidOn, r.UpdatedAt = Paid, on, now
	return nil
}
