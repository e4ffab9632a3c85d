package grant

import (
	"math/big"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"narvard/internal/alloc"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/money"
)

func itoa(i int) string { return strconv.Itoa(i) }

// checkPeriod checks a period given as two dates against the agreement's.
func checkPeriod(bad fault.Fields, fromText, toText string, periodFrom, periodTo time.Time) {
	from, errFrom := time.Parse(time.DateOnly, fromText)
	to, errTo := time.Parse(time.DateOnly, toText)
	if errFrom != nil {
		bad.Add("period_from", "Ange periodens första dag som ÅÅÅÅ-MM-DD.")
	}
	if errTo != nil {
		bad.Add("period_to", "Ange periodens sista dag som ÅÅÅÅ-MM-DD.")
	}
	if errFrom != nil || errTo != nil {
		return
	}
	switch {
	case to.Before(from):
		bad.Add("period_to", "Periodens slut ligger före dess början.")
	case from.Before(periodFrom) || to.After(periodTo):
		bad.Add("period_from", "Perioden ska ligga inom överenskommelsens period %s–%s.", periodFrom.Format(time.DateOnly), periodTo.Format(time.DateOnly))
	}
}

// CheckMoneyDate checks the date of a money event (a payment, a
// repayment): it happened, so it lies neither after today in Stockholm
// (now is the app's clock, which may stand still for a rehearsal) nor
// before the first day of the agreement's year (the year of its
// periodFrom). The refusal is Invalid on field; what names the date in a
// sentence ("Betalningsdagen").
func CheckMoneyDate(field, what string, date, now, periodFrom time.Time) error {
	y, m, d := date.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	today := clock.Today(now)
	first := time.Date(periodFrom.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	bad := fault.Fields{}
	switch {
	case date.IsZero():
		bad.Add(field, "Ange %s som ÅÅÅÅ-MM-DD.", strings.ToLower(what))
	case day.After(today):
		bad.Add(field, "%s %s ligger efter dagens datum %s.", what, day.Format(time.DateOnly), today.Format(time.DateOnly))
	case day.Before(first):
		bad.Add(field, "%s %s ligger före överenskommelsens år %d.", what, day.Format(time.DateOnly), first.Year())
	}
	return bad.Err()
}

// checkContact checks the contact and reference fields every Bilaga 1
// document carries.
func checkContact(bad fault.Fields, c Contact, agreementDnr, decisionDnr string) {
	required := []struct{ field, value, msg string }{
		{"contact.name", c.Name, "Ange kontaktperson."},
		{"contact.phone", c.Phone, "Ange telefonnummer inklusive riktnummer."},
		{"agreement_dnr", agreementDnr, "Ange Regeringskansliets diarienummer för överenskommelsen."},
		{"payment_decision_dnr", decisionDnr, "Ange Regeringskansliets diarienummer för beslutet om utbetalning."},
	}
	for _, r := range required {
		if r.value == "" {
			bad.Add(r.field, "%s", r.msg)
		}
	}
	if _, err := mail.ParseAddress(c.Email); err != nil || !strings.Contains(c.Email, "@") {
		bad.Add("contact.email", "Ange en giltig e-postadress.")
	}
}

type claim struct {
	code   string
	weight money.Kr
}

// apportion splits amount by the weights with the product's one rounding
// rule, returning the parts in the claims' order.
func apportion(amount money.Kr, claims []claim) ([]money.Kr, error) {
	cs := make([]alloc.Claim, len(claims))
	for i, c := range claims {
		cs[i] = alloc.Claim{Code: c.code, Weight: big.NewRat(int64(c.weight), 1)}
	}
	shares, err := alloc.LargestRemainder(amount, cs)
	if err != nil {
		return nil, err
	}
	byCode := map[string]money.Kr{}
	for _, s := range shares {
		byCode[s.Code] = s.Amount
	}
	out := make([]money.Kr, len(claims))
	for i, c := range claims {
		out[i] = byCode[c.code]
	}
	return out, nil
}
