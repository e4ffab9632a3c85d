package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/web"
)

// addUsers adds each (email, organisation, role) with the tests' password.
func addUsers(t *testing.T, a *app.App, users ...[3]string) map[string]auth.Actor {
	t.Helper()
	named := make([]testUser, len(users))
	for i, u := range users {
		named[i] = testUser{email: u[0], name: "Namn " + u[0], org: u[1], role: auth.Role(u[2])}
	}
	return addNamedUsers(t, a, named)
}

// setAccount has an admin give an organisation its bankgiro.
func setAccount(t *testing.T, a *app.App, id, bankgiro string) {
	t.Helper()
	ctx := context.Background()
	o, err := a.Organisation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	admin := auth.Actor{Email: "admin@kk.se", Org: org.Kammarkollegiet, Role: auth.Admin}
	if _, err := a.UpdateOrganisation(ctx, admin, id, app.OrganisationEdit{Name: o.Name, OrgNr: o.OrgNr, Host: o.Host, Address: o.Address, Bankgiro: bankgiro}); err != nil {
		t.Fatal(err)
	}
}

// payRSS has Kammarkollegiet pay the RSS amount kr, by the API's use
// cases: requisition, signature, approval, a batch made by one payer and
// attested by another, confirmed.
func payRSS(t *testing.T, a *app.App, officer, signatory, payer, attester auth.Actor, rss string, amount int64) {
	t.Helper()
	ctx := context.Background()
	f := grant.Form{Agreement: "gnv-2023", Recipient: rss, Amount: money.Kr(amount), PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "063-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := a.CreateRequisition(ctx, officer, f)
	if err == nil {
		_, err = a.SignRequisition(ctx, signatory, r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, payer, r.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	setAccount(t, a, org.Kammarkollegiet, "5050-1055")
	b, err := a.CreateBatch(ctx, payer, "gnv-2023", []string{r.ID})
	if err == nil {
		_, err = a.AttestBatch(ctx, attester, b.ID)
	}
	if err == nil {
		_, err = a.ConfirmBatch(ctx, payer, b.ID, time.Time{})
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestBrowserOnward walks Jämtland's RSS's onward money through the pages
// in Chromium: its officer drafts an equal split of every component
// (computed, then saved), its signatory decides it, the officer records a
// payment to Östersund alone and has its pain.001 file (refused while a
// bankgiro is missing, then from the RSS's bankgiro to Östersund's), and
// Östersund's officer sees what was decided for it and what it received.
func TestBrowserOnward(t *testing.T) {
	a := newBrowserApp(t)
	u := addUsers(t, a,
		[3]string{"o@rss-jamtland.se", "rss-23", string(auth.RecipientOfficer)},
		[3]string{"s@rss-jamtland.se", "rss-23", string(auth.Signatory)},
		[3]string{"o@ostersund.se", "kommun-2380", string(auth.RecipientOfficer)},
		[3]string{"pay@kk.se", org.Kammarkollegiet, string(auth.Payer)},
		[3]string{"attest@kk.se", org.Kammarkollegiet, string(auth.Payer)})
	payRSS(t, a, u["o@rss-jamtland.se"], u["s@rss-jamtland.se"], u["pay@kk.se"], u["attest@kk.se"], "rss-23", 1_000_000)
	al, _ := a.Allocation("gnv-2023", "rss-23")
	p := newPilot(t, browsertest.Serve(t, web.New(a, nil, web.Options{})))

	p.signIn("o@rss-jamtland.se")
	p.open("/start", "[data-rss-onward]")
	if got := p.attr("[data-rss-onward] [data-received]", "data-received"); got != "1000000" {
		t.Errorf("the RSS's start page: received %s", got)
	}
	p.submit("[data-onward-link]", "h1")
	p.open("/vidareformedling/ny?agreement=gnv-2023", "form.form")
	var total int64
	for _, c := range al.Components {
		p.set("#key-"+c.ID, "equal")
		total += int64(c.Amount)
	}
	p.submit("button[value=preview]", "[data-preview]")
	if n := p.count("[data-preview] [data-sum='" + strconv.FormatInt(total, 10) + "']"); n == 0 {
		t.Errorf("the preview does not sum to the RSS's allocation %d", total)
	}
	p.submit("button[value=save]", "span[data-status=draft]")
	decision := p.location()
	if p.count("form[data-decide]") != 0 {
		t.Error("the officer is offered to decide")
	}
	p.signOut()

	p.signIn("s@rss-jamtland.se")
	p.open(decision, "form[data-decide]")
	p.set("#f-decision_date", "2023-11-15", "#f-reference", "RSS Jämtland 2023/9")
	p.submit("form[data-decide] button", "span[data-status=decided]")
	p.signOut()

	p.signIn("o@rss-jamtland.se")
	p.open(decision, "form[data-pay]")
	for _, m := range app.OnwardKommuner("rss-23") {
		amount := "0"
		if m.Code == "2380" {
			amount = "100 000"
		}
		p.set("#pay-"+m.Code, amount)
	}
	p.set("#f-paid_on", "2023-11-15")
	p.submit("form[data-pay] button", "[data-onward-payments] [data-pain001]")
	if got := p.attr("[data-onward-funds] [data-passed-on]", "data-passed-on"); got != "100000" {
		t.Errorf("passed on %s, want 100000", got)
	}
	file := p.attr("[data-onward-payments] [data-pain001]", "href")
	if st, body := p.fetch(file); st != 422 || !strings.Contains(body, "inget eget konto") {
		t.Errorf("the file without the RSS's account: %d %.300s", st, body)
	}
	setAccount(t, a, "rss-23", "5402-9681")
	if st, body := p.fetch(file); st != 422 || !strings.Contains(body, "kommun-2380") {
		t.Errorf("the file without Östersund's bankgiro: %d %.300s", st, body)
	}
	setAccount(t, a, "kommun-2380", "991-2346")
	st, body := p.fetch(file)
	if st != 200 || !strings.Contains(body, "<CtrlSum>100000.00</CtrlSum>") || !strings.Contains(body, "<Id>54029681</Id>") || !strings.Contains(body, "<Id>9912346</Id>") {
		t.Errorf("the file: %d %.2000s", st, body)
	}
	p.signOut()

	p.signIn("o@ostersund.se")
	p.open("/start", "[data-vidare]")
	if got := p.attr("[data-vidare] [data-received]", "data-received"); got != "100000" {
		t.Errorf("Östersund received %s", got)
	}
	if p.count("[data-vidare-rows] tr[data-component]") != len(al.Components) || p.count("[data-vidare-payments] tbody tr") != 1 {
		t.Errorf("Östersund's start page: %q", p.text("main"))
	}
	if p.count("[data-pain001]") != 0 {
		t.Error("a municipality is offered the RSS's payment file")
	}
	if st, _ := p.fetch(file); st != 403 && st != 404 {
		t.Errorf("Östersund fetches the RSS's payment file: %d", st)
	}
}
