package grant

import (
	"slices"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/money"
)

// ReportStatus is where a financial report (ekonomisk redovisning) is.
type ReportStatus string

// The statuses of a financial report. The order is enforced: the CFO
// reviews a draft, a signatory signs a reviewed report, Kammarkollegiet
// accepts or returns a submitted one; a returned report is corrected as a
// draft and reviewed again.
const (
	ReportDraft     ReportStatus = "draft"
	ReportReviewed  ReportStatus = "reviewed"
	ReportSubmitted ReportStatus = "submitted"
	ReportAccepted  ReportStatus = "accepted"
	ReportReturned  ReportStatus = "returned"
)

var reportStatusNames = map[ReportStatus]string{
	ReportDraft: "utkast", ReportReviewed: "granskad av ekonomichef", ReportSubmitted: "inskickad",
	ReportAccepted: "godkänd", ReportReturned: "återsänd",
}

// Swedish names the status in Swedish.
func (s ReportStatus) Swedish() string {
	if n, ok := reportStatusNames[s]; ok {
		return n
	}
	return string(s)
}

// ReportFilter narrows a listing of financial reports; empty fields match
// everything.
type ReportFilter struct {
	Agreement string
	Recipient string
	Status    ReportStatus
}

// Filed reports whether the report has been submitted (and not returned).
func (s ReportStatus) Filed() bool { return s == ReportSubmitted || s == ReportAccepted }

// CostLine is one major cost item. Component names the agreement component
// the cost belongs to; it is required for earmarked money and optional for
// the rest.
type CostLine struct {
	Item      string   `json:"item"`
	Component string   `json:"component,omitempty"`
	Amount    money.Kr `json:"amount_kr"`
}

// ReportForm is what the recipient fills in: Bilaga 1's financial report.
type ReportForm struct {
	Agreement          string     `json:"agreement"`
	Recipient          string     `json:"recipient"`
	PeriodFrom         string     `json:"period_from"`
	PeriodTo           string     `json:"period_to"`
	Costs              []CostLine `json:"costs"`
	Contact            Contact    `json:"contact"`
	AgreementDnr       string     `json:"agreement_dnr"`
	PaymentDecisionDnr string     `json:"payment_decision_dnr"`
}

// Review is the CFO's (ekonomichefens) review of point 3: Alternative 1,
// the report is correct; 2, it is not, with the deviations and actions.
type Review struct {
	Alternative int       `json:"alternative"`
	Deviations  string    `json:"deviations,omitempty"`
	Actions     string    `json:"actions,omitempty"`
	Name        string    `json:"name"`
	Title       string    `json:"title"`
	Phone       string    `json:"phone"`
	Email       string    `json:"email"`
	At          time.Time `json:"-"`
}

// FinancialReport is a recipient's account of how the grant was used.
type FinancialReport struct {
	ID string
	ReportForm
	Status       ReportStatus
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Review       *Review
	SignedBy     string
	SignedByUser string
	SignedAt     time.Time
	DecidedBy    string
	DecidedAt    time.Time
	ReturnReason string
}

// TotalCosts sums the cost lines.
func (f ReportForm) TotalCosts() (money.Kr, error) {
	var sum money.Kr
	for _, c := range f.Costs {
		var err error
		if sum, err = money.Add(sum, c.Amount); err != nil {
			return 0, err
		}
	}
	return sum, nil
}

// Normalize trims the form's text.
func (f *ReportForm) Normalize() {
	for _, s := range []*string{&f.Agreement, &f.Recipient, &f.PeriodFrom, &f.PeriodTo, &f.Contact.Name,
		&f.Contact.Email, &f.Contact.Phone, &f.AgreementDnr, &f.PaymentDecisionDnr} {
		*s = strings.TrimSpace(*s)
	}
	for i := range f.Costs {
		f.Costs[i].Item = strings.TrimSpace(f.Costs[i].Item)
		f.Costs[i].Component = strings.TrimSpace(f.Costs[i].Component)
	}
}

// Validate checks the report form: the fields of Bilaga 1, cost lines
// with a text and a non-negative whole amount, components that belong to
// the recipient, and a component on every line when the recipient has
// earmarked money.
func (f *ReportForm) Validate(al Allocation, periodFrom, periodTo time.Time) error {
	f.Normalize()
	bad := fault.Fields{}
	checkPeriod(bad, f.PeriodFrom, f.PeriodTo, periodFrom, periodTo)
	components := map[string]bool{}
	earmarked := false
	for _, c := range al.Components {
		components[c.ID] = true
		earmarked = earmarked || c.Earmarked
	}
	if len(f.Costs) == 0 {
		bad.Add("costs", "Redovisa minst en kostnadspost.")
	}
	for i, c := range f.Costs {
		key := "costs[" + itoa(i) + "]"
		switch {
		case c.Item == "":
			bad.Add(key+".item", "Beskriv kostnadsposten.")
		case c.Amount < 0:
			bad.Add(key+".amount_kr", "Kostnader kan inte vara negativa.")
		case c.Component != "" && !components[c.Component]:
			bad.Add(key+".component", "Okänd komponent %q för mottagaren.", c.Component)
		case c.Component == "" && earmarked:
			bad.Add(key+".component", "Ange vilken del av överenskommelsen kostnaden hör till; öronmärkta medel redovisas för sig.")
		}
	}
	if _, err := f.TotalCosts(); err != nil {
		bad.Add("costs", "Kostnaderna är för stora.")
	}
	checkContact(bad, f.Contact, f.AgreementDnr, f.PaymentDecisionDnr)
	return bad.Err()
}

// Accounting is what a report derives and never asks for.
type Accounting struct {
	Granted    money.Kr // total grant in the agreement
	Paid       money.Kr // paid out, from the ledger
	Costs      money.Kr // total costs
	Unspent    money.Kr // paid − costs, never negative
	OverGrant  money.Kr // costs above what was paid, shown as such
	Due        money.Kr // to repay: unspent, and earmarked money not used for its purpose in full
	Components []ComponentAccount
}

// ComponentAccount is one component's part of the accounting.
type ComponentAccount struct {
	ComponentAmount
	Paid   money.Kr // the component's share of what was paid
	Costs  money.Kr // costs booked on the component
	Unused money.Kr // paid − costs when positive
}

// Tally computes the report's derived figures. What was paid is split on
// the components in proportion to the allocation (largest remainder, so
// the parts sum to the whole). Earmarked money (Vidareutbildning,
// Karriärtjänster) may be used for nothing else: its unused part is due in
// full. Costs above an earmarked component's share count against the
// rest, which is within the agreement's purposes; unearmarked costs never
// cover earmarked money.
func Tally(al Allocation, paid money.Kr, f ReportForm) (Accounting, error) {
	return TallyApart(al, paid, nil, f)
}

// PaidApart is a component paid apart from the requisitioned grant, by
// its own agency without requisition (VFU): its amount and what was paid
// of it.
type PaidApart struct {
	ComponentAmount
	Paid money.Kr
}

// TallyApart is Tally with components paid apart: each counts with what
// was paid of it, after the components of the allocation, and its unused
// money is due as any other (VFU is not earmarked).
func TallyApart(al Allocation, paid money.Kr, apart []PaidApart, f ReportForm) (Accounting, error) {
	costs, err := f.TotalCosts()
	if err != nil {
		return Accounting{}, err
	}
	shares, err := splitPaid(al, paid)
	if err != nil {
		return Accounting{}, err
	}
	acc := Accounting{Granted: al.Total(), Paid: paid, Costs: costs}
	for _, p := range apart {
		al.Components = append(slices.Clip(al.Components), p.ComponentAmount)
		shares = append(shares, p.Paid)
		acc.Granted += p.Amount
		acc.Paid += p.Paid
	}
	if costs > acc.Paid {
		acc.OverGrant = costs - acc.Paid
	} else {
		acc.Unspent = acc.Paid - costs
	}
	byComp := map[string]money.Kr{}
	var general money.Kr
	for _, c := range f.Costs {
		if c.Component == "" {
			general += c.Amount
			continue
		}
		byComp[c.Component] += c.Amount
	}
	var earmarkedUnused, generalPaid, generalCosts money.Kr
	for i, c := range al.Components {
		ca := ComponentAccount{ComponentAmount: c, Paid: shares[i], Costs: byComp[c.ID]}
		if ca.Paid > ca.Costs {
			ca.Unused = ca.Paid - ca.Costs
		}
		acc.Components = append(acc.Components, ca)
		if c.Earmarked {
			earmarkedUnused += ca.Unused
			if ca.Costs > ca.Paid {
				generalCosts += ca.Costs - ca.Paid
			}
			continue
		}
		generalPaid += ca.Paid
		generalCosts += ca.Costs
	}
	generalCosts += general
	acc.Due = earmarkedUnused
	if generalPaid > generalCosts {
		acc.Due += generalPaid - generalCosts
	}
	return acc, nil
}

// splitPaid splits what was paid on the components in proportion to their
// allocation, exactly.
func splitPaid(al Allocation, paid money.Kr) ([]money.Kr, error) {
	total := al.Total()
	out := make([]money.Kr, len(al.Components))
	if total == 0 || paid == 0 {
		return out, nil
	}
	claims := make([]claim, len(al.Components))
	for i, c := range al.Components {
		claims[i] = claim{c.ID, c.Amount}
	}
	return apportion(paid, claims)
}

// CorrectReport replaces the form of a draft or returned report; the
// review must then be made again.
func (r *FinancialReport) CorrectReport(f ReportForm, now time.Time) error {
	if r.Status != ReportDraft && r.Status != ReportReviewed && r.Status != ReportReturned {
		return conflict("En redovisning som är %s kan inte ändras.", r.Status.Swedish())
	}
	f.Agreement, f.Recipient = r.Agreement, r.Recipient
	r.ReportForm, r.Status, r.Review, r.ReturnReason, r.UpdatedAt = f, ReportDraft, nil, "", now
	return nil
}

// ReviewReport records the CFO's review of a draft.
func (r *FinancialReport) ReviewReport(a auth.Actor, rv Review, now time.Time) error {
	bad := fault.Fields{}
	rv.Deviations, rv.Actions, rv.Title = strings.TrimSpace(rv.Deviations), strings.TrimSpace(rv.Actions), strings.TrimSpace(rv.Title)
	switch rv.Alternative {
	case 1:
		rv.Deviations, rv.Actions = "", ""
	case 2:
		if rv.Deviations == "" {
			bad.Add("deviations", "Beskriv avvikelserna (alternativ 2).")
		}
		if rv.Actions == "" {
			bad.Add("actions", "Beskriv åtgärderna (alternativ 2).")
		}
	default:
		bad.Add("alternative", "Välj alternativ 1 (korrekt) eller 2 (inte korrekt).")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	if r.Status != ReportDraft {
		return conflict("Bara ett utkast kan granskas; redovisningen är %s.", r.Status.Swedish())
	}
	rv.Name, rv.Email, rv.At = a.Name, a.Email, now
	if rv.Title == "" {
		rv.Title = "Ekonomichef"
	}
	r.Review, r.Status, r.UpdatedAt = &rv, ReportReviewed, now
	return nil
}

// SignReport submits a reviewed report on a signatory's word.
func (r *FinancialReport) SignReport(a auth.Actor, now time.Time) error {
	if r.Status != ReportReviewed {
		return conflict("Redovisningen måste granskas av ekonomichefen innan den skrivs under; den är %s.", r.Status.Swedish())
	}
	r.Status, r.SignedBy, r.SignedByUser, r.SignedAt, r.UpdatedAt = ReportSubmitted, a.Name, a.Email, now, now
	return nil
}

// AcceptReport accepts a submitted report (Kammarkollegiet).
func (r *FinancialReport) AcceptReport(a auth.Actor, now time.Time) error {
	if r.Status != ReportSubmitted {
		return conflict("Bara en inskickad redovisning kan godkännas; den är %s.", r.Status.Swedish())
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.UpdatedAt = ReportAccepted, a.Email, now, now
	return nil
}

// ReturnReport returns a submitted report with a reason.
func (r *FinancialReport) ReturnReport(a auth.Actor, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fault.Fields{"reason": "Ange skälet till att redovisningen skickas tillbaka."}.Err()
	}
	if r.Status != ReportSubmitted {
		return conflict("Bara en inskickad redovisning kan skickas tillbaka; den är %s.", r.Status.Swedish())
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.ReturnReason, r.UpdatedAt = ReportReturned, a.Email, now, reason, now
	return nil
}
