package web_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
	"narvard/internal/web"
)

// newVFUBrowserApp opens the app on a fresh SQLite file with the clock
// frozen on 1 March 2023, inside the VFU round, for the test to move.
func newVFUBrowserApp(t *testing.T) (*app.App, *clock.Frozen) {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewFrozen(time.Date(2023, 3, 1, 10, 0, 0, 0, clock.Stockholm))
	a, err := app.New(context.Background(), st, agreement.Builtin(), clk, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return a, clk
}

// TestBrowserVFU walks the VFU round through the pages in Chromium: Region
// Norrbotten's officer reports and its signatory signs; Socialstyrelsen's
// follow-up officer returns the report with a reason, the region corrects
// and signs it again, and the round is closed; Socialstyrelsen's payer
// sees the recipients without a bankgiro as blocking, makes the payout
// batch once they have one, a second payer attests it on the work list,
// has its pain.001 file from Socialstyrelsen's account and confirms it;
// the national matrix and the region's start page show the VFU money paid.
func TestBrowserVFU(t *testing.T) {
	ctx := context.Background()
	a, clk := newVFUBrowserApp(t)
	u := addUsers(t, a,
		[3]string{"officer@nll.se", "region-25", string(auth.RecipientOfficer)},
		[3]string{"sign@nll.se", "region-25", string(auth.Signatory)},
		[3]string{"sign@lulea.se", "kommun-2580", string(auth.Signatory)},
		[3]string{"uppfoljning@sos.se", org.Socialstyrelsen, string(auth.FollowUp)},
		[3]string{"pay@sos.se", org.Socialstyrelsen, string(auth.Payer)},
		[3]string{"attest@sos.se", org.Socialstyrelsen, string(auth.Payer)},
		[3]string{"admin@kk.se", org.Kammarkollegiet, string(auth.Admin)})
	// Luleå reports and signs by the API's use cases; the region through the pages.
	lulea, err := a.CreateVFUReport(ctx, u["sign@lulea.se"], "gnv-2023", "kommun-2580", grant.VFUFigures{WeeksBase: 90, PlacesBase: 15, WeeksCurrent: 111, PlacesCurrent: 18})
	if err == nil {
		_, err = a.SignVFUReport(ctx, u["sign@lulea.se"], lulea.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	ag, _ := agreement.Builtin().Get("gnv-2023")
	field := func(name string) string { return "#f-" + name }
	p := newPilot(t, browsertest.Serve(t, web.New(a, nil, web.Options{})))

	p.signIn("officer@nll.se")
	p.open("/start", "[data-vfu-link]")
	p.submit("[data-vfu-link]", "[data-vfu-list]")
	p.submit("a[data-fill=region-25]", "form.form")
	p.set(field("weeks_"+ag.VFU.BasePeriod), "400", field("places_"+ag.VFU.BasePeriod), "80",
		field("weeks_"+ag.VFU.CurrentPeriod), "450", field("places_"+ag.VFU.CurrentPeriod), "90")
	p.submit("form.form button[type=submit]", "[data-status=draft]")
	report := p.location()
	if got := p.attr("[data-okning]", "data-okning"); got != "50" {
		t.Errorf("increase %s, want 50", got)
	}
	p.signOut()

	p.signIn("sign@nll.se")
	p.open(report, "form[action$=signera]")
	p.submit("form[action$=signera] button", "[data-status=submitted]")
	p.signOut()

	p.signIn("uppfoljning@sos.se")
	p.open("/vfu?agreement=gnv-2023", "[data-vfu-line=region-25]")
	if p.count("[data-vfu-line]") != 2 {
		t.Errorf("the review list: %q", p.text("[data-vfu-list]"))
	}
	p.set("[data-vfu-line=region-25] [name=reason]", "Veckorna vt 2023 är för många för platserna.")
	p.submit("[data-vfu-line=region-25] form button", "[data-round=open]")
	if got := p.attr("[data-vfu-line=region-25] [data-status]", "data-status"); got != string(grant.VFUReturned) {
		t.Errorf("after return: %s", got)
	}
	p.signOut()

	p.signIn("officer@nll.se")
	p.open(report, "[data-return-reason]")
	p.submit("a[href$=andra]", "form.form")
	p.set(field("weeks_"+ag.VFU.CurrentPeriod), "440")
	p.submit("form.form button[type=submit]", "[data-status=returned]")
	p.signOut()
	p.signIn("sign@nll.se")
	p.open(report, "form[action$=signera]")
	p.submit("form[action$=signera] button", "[data-status=submitted]")
	p.signOut()

	clk.Set(time.Date(2023, 4, 3, 9, 0, 0, 0, clock.Stockholm))
	p.signIn("uppfoljning@sos.se")
	p.open("/vfu?agreement=gnv-2023", "form[action^='/vfu/stang'] button")
	p.submit("form[action^='/vfu/stang'] button", "[data-round=closed]")
	round, err := a.VFURound(ctx, "gnv-2023")
	if err != nil || len(round.Rows) != 2 {
		t.Fatalf("round: %+v %v", round, err)
	}
	amounts := map[string]string{}
	for _, r := range round.Rows {
		amounts[r.Recipient] = strconv.FormatInt(int64(r.Amount), 10)
		if got := p.attr("[data-vfu-row="+r.Recipient+"] [data-kr]", "data-kr"); got != amounts[r.Recipient] {
			t.Errorf("%s: page %s, round %s", r.Recipient, got, amounts[r.Recipient])
		}
	}
	if p.count("[data-vfu-pay]") != 0 {
		t.Error("the follow-up officer is offered to pay")
	}
	p.signOut()

	p.signIn("pay@sos.se")
	p.open("/start", "[data-vfu-link]")
	p.submit("[data-vfu-link]", "[data-vfu-blocking]")
	if b := p.text("[data-vfu-blocking]"); !strings.Contains(b, "region-25") || !strings.Contains(b, "kommun-2580") {
		t.Errorf("blocking: %q", b)
	}
	p.submit("[data-vfu-pay]", ".error-summary")
	if msg := p.text(".error-summary"); !strings.Contains(msg, "bankgironummer") {
		t.Errorf("paying without bankgiros: %q", msg)
	}
	p.signOut()
	// The admin gives the region its bankgiro on its organisation page;
	// Luleå's and Socialstyrelsen's account by the use case.
	p.signIn("admin@kk.se")
	p.open("/admin/organisationer/region-25", "[data-recipient-bankgiro]")
	p.set("#f-account\\.number", "5050-1055")
	p.submit("form.form button[type=submit]", "[data-table=organisations]")
	if got := p.text("tr[data-org=region-25] td:last-child"); got != "5050-1055" {
		t.Errorf("the region's bankgiro in the list: %q", got)
	}
	p.signOut()
	setAccount(t, a, "kommun-2580", "991-2346")
	setAccount(t, a, org.Socialstyrelsen, "5402-9681")
	p.signIn("pay@sos.se")
	p.open("/vfu?agreement=gnv-2023", "[data-vfu-pay]")
	if p.count("[data-vfu-blocking]") != 0 {
		t.Error("still blocking with every bankgiro set")
	}
	p.submit("[data-vfu-pay]", "[data-table=batches] [data-cell=maker]")
	if h := p.text("h1"); h != "Socialstyrelsens arbetslista" {
		t.Errorf("work list heading %q", h)
	}
	if cell := p.text("[data-table=batches] [data-cell=attester]"); !strings.Contains(cell, "Väntar på attest") {
		t.Errorf("the maker is offered to attest: %q", cell)
	}
	p.open("/vfu?agreement=gnv-2023", "[data-vfu-batch]")
	batch := p.attr("[data-vfu-batch]", "data-vfu-batch")
	p.signOut()

	p.signIn("attest@sos.se")
	p.open("/kammarkollegiet?agreement=gnv-2023", "[data-batch='"+batch+"'] form[action$=attestera]")
	p.submit("[data-batch='"+batch+"'] form[action$=attestera] button", "[data-batch='"+batch+"'] a[href$='pain.001']")
	st, file := p.fetch(p.attr("[data-batch='"+batch+"'] a[href$='pain.001']", "href"))
	if st != 200 || !strings.Contains(file, "<Nm>Socialstyrelsen</Nm>") || !strings.Contains(file, "<Id>54029681</Id>") ||
		strings.Count(file, "<CdtTrfTxInf>") != 2 || !strings.Contains(file, "<Id>9912346</Id>") {
		t.Errorf("payment file: %d %.3000s", st, file)
	}
	clk.Set(time.Date(2023, 4, 14, 9, 0, 0, 0, clock.Stockholm))
	p.open("/kammarkollegiet?agreement=gnv-2023", "[data-batch='"+batch+"'] form[action$=bekrafta]")
	p.submit("[data-batch='"+batch+"'] form[action$=bekrafta] button", "[data-confirm-form]")
	p.submit("[data-confirm-form] button[type=submit]", "[data-table=batches]")
	if paid := p.text("[data-batch='" + batch + "'] td:last-child"); paid != "2023-04-14" {
		t.Errorf("paid on %q", paid)
	}
	p.open("/oversikt?agreement=gnv-2023", "[data-table=matrix]")
	for rec, want := range amounts {
		if got := p.attr("tr[data-recipient="+rec+"] [data-vfu-paid]", "data-vfu-paid"); got != want {
			t.Errorf("matrix: %s VFU paid %s, want %s", rec, got, want)
		}
	}
	p.open("/oversikt?agreement=gnv-2023&typ=kommun", "[data-table=matrix]")
	if p.count("tr[data-recipient]") != 1 || p.count("tr[data-recipient=kommun-2580]") != 1 {
		t.Errorf("municipalities with VFU money: %q", p.text("[data-table=matrix] tbody"))
	}
	p.signOut()

	p.signIn("officer@nll.se")
	p.open("/start", "[data-status] [data-vfu-paid]")
	if got := p.attr("[data-status] [data-vfu-paid]", "data-vfu-paid"); got != amounts["region-25"] {
		t.Errorf("the region's start page: VFU paid %s, want %s", got, amounts["region-25"])
	}
	p.signOut()
	p.signIn("sign@lulea.se")
	p.open("/start", "[data-vfu-status]")
	if got := p.attr("[data-vfu-status] [data-vfu-paid]", "data-vfu-paid"); got != amounts["kommun-2580"] {
		t.Errorf("Luleå's start page: VFU paid %s, want %s", got, amounts["kommun-2580"])
	}
}
