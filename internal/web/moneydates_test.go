package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"narvard/internal/auth"
)

// TestKammarkollegietRefusesDatesAhead: the payment and repayment forms on
// Kammarkollegiet's page show why a date after today is refused.
func TestKammarkollegietRefusesDatesAhead(t *testing.T) {
	ctx := context.Background()
	h, _ := newHandler(t, nil)
	a := handlerApp
	actor := func(email, org string, role auth.Role) auth.Actor {
		u, err := a.AddUser(ctx, email, "", org, role, "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	officer, signatory := actor("o@nll.se", "region-25", auth.RecipientOfficer), actor("s@nll.se", "region-25", auth.Signatory)
	b := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)
	payer := auth.Actor{Email: "pay@kk.se", Org: "kammarkollegiet", Role: auth.Payer}
	_, batch := attestedBatch(t, a, officer, signatory, payer, auth.Actor{Email: "attest@kk.se", Org: "kammarkollegiet", Role: auth.Payer})

	token := b.csrf("/kammarkollegiet")
	rec := b.do("POST", "/betalningar/"+batch.ID+"/bekrafta", url.Values{"csrf": {token}, "paid_on": {"2023-11-16"}})
	if page := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "Betalningsdagen 2023-11-16 ligger efter dagens datum 2023-11-15.") {
		t.Errorf("payment tomorrow: %d\n%s", rec.Code, page)
	}
	rec = b.do("POST", "/aterbetalningar", url.Values{"csrf": {token}, "recipient": {"region-25"}, "amount_kr": {"100"}, "received_on": {"2022-12-31"}, "reference": {"OCR"}})
	if page := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "Inbetalningsdagen 2022-12-31 ligger före överenskommelsens år 2023.") {
		t.Errorf("repayment before the year: %d\n%s", rec.Code, page)
	}
	if rec := b.do("POST", "/betalningar/"+batch.ID+"/bekrafta", url.Values{"csrf": {token}, "paid_on": {"2023-11-15"}, "confirmed": {"ja"}}); rec.Code != http.StatusSeeOther {
		t.Errorf("payment today: %d %s", rec.Code, rec.Body.String())
	}
}
