package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/grant"
	"narvard/internal/org"
)

// TestOrganisationAdmin: the admin sets a paying agency's account on its
// page; a bad number is refused with the message named by the field's
// label and the form keeps what was typed; the list shows the account.
// Others may not see the page, and a form without the CSRF token is
// refused.
func TestOrganisationAdmin(t *testing.T) {
	h, _ := newHandler(t, nil)
	b := signedInAs(t, h, "admin@kk.se", "kammarkollegiet", auth.Admin)
	if page := b.do("GET", "/start", nil).Body.String(); !strings.Contains(page, `href="/admin/organisationer"`) {
		t.Error("no link to the organisations for the admin")
	}
	rec := b.do("GET", "/admin/organisationer", nil)
	if page := html.UnescapeString(rec.Body.String()); rec.Code != 200 || !strings.Contains(page, "Inget konto angivet") || !strings.Contains(page, "Socialstyrelsen") {
		t.Fatalf("list: %d\n%s", rec.Code, page)
	}
	const path = "/admin/organisationer/kammarkollegiet"
	token := b.csrf(path)
	form := url.Values{"csrf": {token}, "name": {"Kammarkollegiet"}, "org_nr": {"202100-0829"}, "address": {"Box 2218, 103 15 Stockholm"},
		"account.type": {"iban"}, "account.number": {"SE45 5000 0000 0583 9825 7467"}, "account.bic": {"ESS"}}
	rec = b.do("POST", path, form)
	page := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad account: %d\n%s", rec.Code, page)
	}
	for _, want := range []string{
		"Bankgironummer eller IBAN: IBAN är inte giltigt: kontrollsiffran stämmer inte.",
		"BIC (bankens kod, för IBAN): Ange bankens BIC",
		`value="SE45 5000 0000 0583 9825 7467"`, `value="ESS"`, `value="Box 2218, 103 15 Stockholm"`,
		`<option value="iban" selected>`, `aria-invalid="true"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	form.Set("account.number", "SE45 5000 0000 0583 9825 7466")
	form.Set("account.bic", "essesess")
	if rec := b.do("POST", path, form); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/organisationer?sparad=kammarkollegiet" {
		t.Fatalf("save: %d %s", rec.Code, rec.Body.String())
	}
	page = html.UnescapeString(b.do("GET", "/admin/organisationer?sparad=kammarkollegiet", nil).Body.String())
	if !strings.Contains(page, "IBAN SE4550000000058398257466 (BIC ESSESESS)") || !strings.Contains(page, "Uppgifterna för Kammarkollegiet är sparade.") {
		t.Errorf("list after saving:\n%s", page)
	}
	o, err := handlerApp.Organisation(context.Background(), "kammarkollegiet")
	if err != nil || o.Account.Number != "SE4550000000058398257466" || o.Address != "Box 2218, 103 15 Stockholm" {
		t.Errorf("stored: %+v, %v", o, err)
	}
	form.Del("csrf")
	if rec := b.do("POST", path, form); rec.Code != http.StatusForbidden {
		t.Errorf("without CSRF: %d", rec.Code)
	}
	// A region has a bankgiro only, where its VFU money is paid: no IBAN,
	// no BIC; a bad number is refused, a good one kept; the payer may not
	// see the page.
	if page := b.do("GET", "/admin/organisationer/region-25", nil).Body.String(); !strings.Contains(page, `name="account.number"`) ||
		strings.Contains(page, "account.bic") || strings.Contains(page, "account.type") || !strings.Contains(page, "Region Norrbotten") {
		t.Errorf("region's form:\n%s", page)
	}
	region := url.Values{"csrf": {b.csrf("/admin/organisationer/region-25")}, "name": {"Region Norrbotten"}, "account.number": {"5050-1056"}}
	if rec := b.do("POST", "/admin/organisationer/region-25", region); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Bankgironumret är inte giltigt") {
		t.Errorf("region with a bad bankgiro: %d", rec.Code)
	}
	region.Set("account.number", "5050-1055")
	if rec := b.do("POST", "/admin/organisationer/region-25", region); rec.Code != http.StatusSeeOther {
		t.Errorf("region's bankgiro: %d %s", rec.Code, rec.Body.String())
	}
	if o, err := handlerApp.Organisation(context.Background(), "region-25"); err != nil || o.Account != (org.Account{Type: org.AccountBankgiro, Number: "5050-1055"}) {
		t.Errorf("region's account: %+v, %v", o.Account, err)
	}
	payer := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)
	for _, p := range []string{"/admin/organisationer", path} {
		if rec := payer.do("GET", p, nil); rec.Code != http.StatusForbidden {
			t.Errorf("payer at %s: %d", p, rec.Code)
		}
	}
}

// TestAttestButton: the worklist shows a batch's maker and offers the
// "Attestera" button to another payer of the agency, not to the maker;
// the file link and the confirmation come after the attestation, which
// the page then shows.
func TestAttestButton(t *testing.T) {
	ctx := context.Background()
	h, _ := newHandler(t, nil)
	a := handlerApp
	maker := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)
	second := signedInAs(t, h, "attest@kk.se", "kammarkollegiet", auth.Payer)
	admin := signedInAs(t, h, "admin@kk.se", "kammarkollegiet", auth.Admin)
	officer, _ := a.AddUser(ctx, "o@nll.se", "", "region-25", auth.RecipientOfficer, "ett långt lösenord")
	signatory, _ := a.AddUser(ctx, "s@nll.se", "", "region-25", auth.Signatory, "ett långt lösenord")
	payer := auth.Actor{Email: "pay@kk.se", Org: "kammarkollegiet", Role: auth.Payer}
	f := grant.Form{Agreement: "gnv-2023", Recipient: "region-25", Amount: 1000, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := a.CreateRequisition(ctx, officer.Actor(), f)
	if err == nil {
		_, err = a.SignRequisition(ctx, signatory.Actor(), r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, payer, r.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	// Without an account the page says what to set, and making a batch
	// is refused with that.
	token := maker.csrf("/kammarkollegiet")
	if page := html.UnescapeString(maker.do("GET", "/kammarkollegiet", nil).Body.String()); !strings.Contains(page, "Kammarkollegiet har inget eget konto för utbetalningar angivet") {
		t.Errorf("no notice of the missing account:\n%s", page)
	}
	rec := maker.do("POST", "/betalningar", url.Values{"csrf": {token}, "rekvisition": {r.ID}})
	if page := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "/admin/organisationer/kammarkollegiet") {
		t.Errorf("batch without an account: %d\n%s", rec.Code, page)
	}
	atoken := admin.csrf("/admin/organisationer/kammarkollegiet")
	if rec := admin.do("POST", "/admin/organisationer/kammarkollegiet", url.Values{"csrf": {atoken}, "name": {"Kammarkollegiet"}, "org_nr": {"202100-0829"},
		"account.type": {"bankgiro"}, "account.number": {"5050-1055"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("set account: %d %s", rec.Code, rec.Body.String())
	}
	if rec := maker.do("POST", "/betalningar", url.Values{"csrf": {token}, "rekvisition": {r.ID}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("batch: %d %s", rec.Code, rec.Body.String())
	}
	batches, _ := a.Batches(ctx, payer)
	id := batches[0].ID

	page := html.UnescapeString(maker.do("GET", "/kammarkollegiet", nil).Body.String())
	if strings.Contains(page, "/betalningar/"+id+"/attestera") || strings.Contains(page, "/betalningar/"+id+"/pain.001") || strings.Contains(page, "/betalningar/"+id+"/bekrafta") ||
		!strings.Contains(page, "Väntar på attest av en annan utbetalare") || !strings.Contains(page, "pay@kk.se") {
		t.Errorf("the maker's page:\n%s", page)
	}
	if rec := maker.do("POST", "/betalningar/"+id+"/attestera", url.Values{"csrf": {token}}); rec.Code != http.StatusForbidden {
		t.Errorf("maker attests: %d", rec.Code)
	}
	if rec := maker.do("GET", "/betalningar/"+id+"/pain.001", nil); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("file before attestation: %d", rec.Code)
	}
	page = second.do("GET", "/kammarkollegiet", nil).Body.String()
	if !strings.Contains(page, `action="/betalningar/`+id+`/attestera"`) || !strings.Contains(page, ">Attestera</button>") {
		t.Errorf("no Attestera button for the second payer:\n%s", page)
	}
	if rec := second.do("POST", "/betalningar/"+id+"/attestera", url.Values{"csrf": {second.csrf("/kammarkollegiet")}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("attest: %d %s", rec.Code, rec.Body.String())
	}
	page = html.UnescapeString(maker.do("GET", "/kammarkollegiet", nil).Body.String())
	if !strings.Contains(page, "attest@kk.se") || !strings.Contains(page, "/betalningar/"+id+"/pain.001") || !strings.Contains(page, "/betalningar/"+id+"/bekrafta") {
		t.Errorf("after attestation:\n%s", page)
	}
	if rec := maker.do("GET", "/betalningar/"+id+"/pain.001", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "<Id>50501055</Id>") {
		t.Errorf("file after attestation: %d", rec.Code)
	}
	batch := maker.do("GET", "/betalningar/"+id, nil).Body.String()
	hasHistory(t, "the batch", batch, "batch.create", "batch.attest")
	if !strings.Contains(batch, "<td>Skapad</td>") || !strings.Contains(batch, "<td>Attesterad</td>") {
		t.Errorf("the batch's history does not say its own changes:\n%s", batch)
	}
}
