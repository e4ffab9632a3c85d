package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/grant"
	"narvard/internal/web"
)

// TestBrowserAdminAddsTheCFO is issue 17's problem 9 in Chromium: RSS
// Stockholm (rss-01) has an officer and a signatory but no CFO, so its
// financial report waits for a review no one can give. The admin adds a
// CFO for rss-01 at /admin/anvandare/ny, the CFO signs in with the
// password shown once, reviews the report, and the signatory can sign
// it. The admin also changes a user's role and disables a leaver, who
// can then no longer sign in; the auditor finds it all in the audit log
// and each document's history.
func TestBrowserAdminAddsTheCFO(t *testing.T) {
	ctx := context.Background()
	a := newBrowserApp(t)
	actors := addNamedUsers(t, a, []testUser{
		{"officer@rss-sthlm.se", "Olof Handläggare", auth.RecipientOfficer, "rss-01"},
		{"sign@rss-sthlm.se", "Sara Firmatecknare", auth.Signatory, "rss-01"},
		{"slutat@rss-sthlm.se", "Sven Slutat", auth.RecipientOfficer, "rss-01"},
		{"pay@kk.se", "Karin Utbetalare", auth.Payer, "kammarkollegiet"},
		{"attest@kk.se", "Erik Attestant", auth.Payer, "kammarkollegiet"},
		{"admin@kk.se", "Ada Admin", auth.Admin, "kammarkollegiet"},
		{"granskare@kk.se", "Greta Granskare", auth.Auditor, "kammarkollegiet"},
	})
	report := paidRSSReport(t, a, actors)
	reportURL := "/redovisningar/" + report.ID
	p := &pleasure{t: t, b: browsertest.New(t), base: browsertest.Serve(t, web.New(a, nil, web.Options{}))}

	// Without a CFO the report waits for a review no one at rss-01 can give.
	p.signIn("sign@rss-sthlm.se")
	p.open(reportURL, "[data-status]")
	contains(t, "report without a CFO", p.text("main"), "Ej granskad.")
	if n := p.count("form[action$=signera]") + p.count("form[action$=granska]"); n != 0 {
		t.Errorf("the signatory is offered %d forms before the review", n)
	}
	p.signOut()

	// The admin adds the CFO: first the organisation, then the roles that fit it.
	p.signIn("admin@kk.se")
	p.open("/admin/anvandare", "[data-table=users]")
	p.submit("a[href='/admin/anvandare/ny']", "#org")
	p.set("#org", "rss-01")
	p.submit("form[method=get] button[type=submit]", "#email")
	if n := p.count("#role option[value=payer]"); n != 0 {
		t.Error("the form offers an RSS the payer's role")
	}
	p.set("#email", "cfo@rss-sthlm.se")
	p.set("#name", "Cecilia Ekonomichef")
	p.set("#role", "cfo")
	p.submit("form[action='/admin/anvandare'] button[type=submit]", "[data-password]")
	contains(t, "created", p.text("main"), "cfo@rss-sthlm.se", "(ekonomichef, rss-01)")
	password := p.text("[data-password]")
	if len(password) < 12 {
		t.Fatalf("the shown password %q", password)
	}
	p.signOut()

	// The CFO signs in with the shown password and reviews the report.
	p.open("/logga-in", "#email")
	p.set("#email", "cfo@rss-sthlm.se")
	p.set("#password", password)
	p.submit("main form button[type=submit]", "nav.user .who")
	contains(t, "header", p.text("nav.user .who"), "Cecilia Ekonomichef")
	p.open(reportURL, "form[action$=granska]")
	p.run(chromedp.Click(chromedp.CSS("input[name=alternative][value='1']")))
	p.set("#title", "Ekonomichef")
	p.set("#phone", "08-123 456 78")
	p.submit("form[action$=granska] button", "[data-status]")
	if r, err := a.Report(ctx, actors["pay@kk.se"], report.ID); err != nil || r.Status != grant.ReportReviewed {
		t.Fatalf("after the review: %s %v", r.Status, err)
	}
	p.signOut()

	// Now the signatory can finish the report.
	p.signIn("sign@rss-sthlm.se")
	p.open(reportURL, "form[action$=signera]")
	p.submit("form[action$=signera] button", "[data-confirm-form]")
	p.submit("[data-confirm-form] button[type=submit]", "[data-status]")
	if r, err := a.Report(ctx, actors["pay@kk.se"], report.ID); err != nil || r.Status != grant.ReportSubmitted {
		t.Fatalf("after signing: %s %v", r.Status, err)
	}
	history := p.text("[data-history]")
	contains(t, "the report's history", history, "Granskad av ekonomichefen", "Cecilia Ekonomichef", "Alt 1", "Underskriven och inskickad", "Sara Firmatecknare")
	p.signOut()

	// The admin changes the leaver's role, then disables the account.
	p.signIn("admin@kk.se")
	leaver := "/admin/anvandare/" + strconv.FormatInt(actors["slutat@rss-sthlm.se"].UserID, 10)
	p.open(leaver, "[data-role-form]")
	if n := p.count("[data-role-form] option[value=payer]"); n != 0 {
		t.Error("the role form offers an RSS the payer's role")
	}
	p.set("#role", "signatory")
	p.submit("[data-role-form] button", "[role=status]")
	contains(t, "after the role change", p.text("main"), "Rollen är ändrad", "Sven Slutat · behörig företrädare (firmatecknare)")
	p.submit("form[action$=stang-av] button", "[role=status]")
	contains(t, "after disabling", p.text("main"), "avstängd")
	p.signOut()
	p.open("/logga-in", "#email")
	p.set("#email", "slutat@rss-sthlm.se")
	p.set("#password", "ett långt lösenord")
	p.submit("main form button[type=submit]", ".error-summary")
	contains(t, "the leaver's sign-in", p.text(".error-summary"), "Fel e-postadress eller lösenord.")
	if n := p.count("nav.user .who"); n != 0 {
		t.Error("the disabled user is signed in")
	}

	// The auditor finds the admin's work in the audit log.
	p.signIn("granskare@kk.se")
	p.open("/start", "[data-audit-link]")
	p.submit("[data-audit-link]", "[data-chain]")
	if state := p.text("[data-chain]"); !strings.Contains(state, "Kedjan är obruten.") {
		t.Errorf("the chain's state: %s", state)
	}
	p.set("#objekt", "user:slutat@")
	p.submit("form[role=search] button", "[data-audit-total]")
	rows := p.text("[data-table=audit] tbody")
	contains(t, "the leaver's entries", rows, "user.disable", "user.role", "user.add", "Ada Admin")
	if n := p.count("[data-table=audit] tbody tr"); n != 3 {
		t.Errorf("the search finds %d entries", n)
	}
	p.set("#objekt", report.ID)
	p.set("#anvandare", "cfo@rss")
	p.submit("form[role=search] button", "[data-audit-total]")
	if n := p.count("[data-table=audit] tbody a[href='" + reportURL + "']"); n != 1 {
		t.Errorf("the CFO's review links its report %d times", n)
	}
	p.run(chromedp.Click(chromedp.CSS("[data-table=audit] tbody details summary")))
	if full := p.text("[data-table=audit] tbody [data-hash]"); len(full) != 64 {
		t.Errorf("the full hash: %q", full)
	}
}

// paidRSSReport pays RSS Stockholm 1 000 000 kr (its requisition signed,
// approved, batched, attested, confirmed) and drafts its financial
// report: what waits for the CFO's review.
func paidRSSReport(t *testing.T, a *app.App, actors map[string]auth.Actor) app.ReportView {
	t.Helper()
	ctx := context.Background()
	if _, err := a.UpdateOrganisation(ctx, actors["admin@kk.se"], "kammarkollegiet", app.OrganisationEdit{Name: "Kammarkollegiet", Bankgiro: "5050-1055"}); err != nil {
		t.Fatal(err)
	}
	contact := grant.Contact{Name: "Olof Handläggare", Email: "officer@rss-sthlm.se", Phone: "08-123 456 00"}
	r, err := a.CreateRequisition(ctx, actors["officer@rss-sthlm.se"], grant.Form{Agreement: "gnv-2023", Recipient: "rss-01", Amount: 1_000_000,
		PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31", Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: contact, AgreementDnr: "S2023/00417", PaymentDecisionDnr: "S2023/03102"})
	if err == nil {
		_, err = a.SignRequisition(ctx, actors["sign@rss-sthlm.se"], r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, actors["pay@kk.se"], r.ID)
	}
	var b app.BatchView
	if err == nil {
		b, err = a.CreateBatch(ctx, actors["pay@kk.se"], "gnv-2023", nil)
	}
	if err == nil {
		_, err = a.AttestBatch(ctx, actors["attest@kk.se"], b.ID)
	}
	if err == nil {
		_, err = a.ConfirmBatch(ctx, actors["pay@kk.se"], b.ID, time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC))
	}
	if err != nil {
		t.Fatal(err)
	}
	al, _ := a.Allocation("gnv-2023", "rss-01")
	if len(al.Components) == 0 {
		t.Fatal("RSS Stockholm has no allocation")
	}
	rep, err := a.CreateReport(ctx, actors["officer@rss-sthlm.se"], grant.ReportForm{Agreement: "gnv-2023", Recipient: "rss-01",
		PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31", Costs: []grant.CostLine{{Item: "Samordnare", Component: al.Components[0].ID, Amount: 400_000}},
		Contact: contact, AgreementDnr: "S2023/00417", PaymentDecisionDnr: "S2023/03102"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
