package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/demo"
	"narvard/internal/org"
	"narvard/internal/web"
)

// TestBrowserAccessibility runs axe-core on the demo's pages as each role
// sees them, and on a form refused with its errors shown: any violation
// fails (issue 17, item 6).
func TestBrowserAccessibility(t *testing.T) {
	script := browsertest.AxeScript(t)
	ctx := context.Background()
	a := newBrowserApp(t)
	if err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	reader := auth.Actor{Org: org.Kammarkollegiet, Role: auth.Auditor}
	p, _, err := a.CurrentPlan(ctx, reader, "gnv-2023", "region-23")
	if err != nil {
		t.Fatal(err)
	}
	acts, err := a.ActivityReports(ctx, reader, "", "")
	if err != nil || len(acts) == 0 {
		t.Fatalf("the demo's activity reports: %v", err)
	}
	surveys, err := a.Surveys(ctx)
	if err != nil || len(surveys) == 0 {
		t.Fatalf("the demo's surveys: %v", err)
	}
	batches, err := a.Batches(ctx, reader)
	if err != nil || len(batches) == 0 {
		t.Fatalf("the demo's payment batches: %v", err)
	}
	base := browsertest.Serve(t, web.New(a, nil, web.Options{}))
	b := browsertest.New(t)
	pages := []struct {
		email string
		paths []string
	}{
		{"handlaggare@jamtland.demo", []string{"/start", "/planer?agreement=gnv-2023", "/planer/" + p.ID, "/planer/" + p.ID + "/andra",
			"/kalender", "/konto", "/redovisningar/ny?agreement=gnv-2023", "/underlag"}},
		{"handlaggare@norrbotten.demo", []string{"/verksamhetsrapporter", "/verksamhetsrapporter/" + acts[0].ID, "/rekvisitioner/ny?agreement=gnv-2023"}},
		{"uppfoljare@socialstyrelsen.demo", []string{"/start", "/vfu?agreement=gnv-2023", "/enkater", "/enkater/" + surveys[0].ID + "/resultat",
			"/enkater/" + surveys[0].ID + "/paminnelser", "/verksamhetsrapporter", "/uppfoljning"}},
		{"handlaggare@rss-jamtland.demo", []string{"/start", "/vidareformedling?agreement=gnv-2023", "/kommunredovisningar?agreement=gnv-2023"}},
		{"handlaggare@ostersund.demo", []string{"/start", "/enkater", "/enkater/" + surveys[0].ID + "/svar/kommun-2380"}},
		{"utbetalare@kammarkollegiet.demo", []string{"/start", "/kammarkollegiet?agreement=gnv-2023", "/oversikt?agreement=gnv-2023"}},
		{"admin@narvard.demo", []string{"/admin/organisationer", "/admin/anvandare"}},
		// The audit log, its refused search, and a page with a history.
		{"granskare@narvard.demo", []string{"/start", "/granskning", "/granskning?from=fel", "/betalningar/" + batches[0].ID}},
	}
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string) {
		t.Helper()
		if v := browsertest.Axe(t, b, script); len(v) > 0 {
			t.Errorf("%s: axe-core finds %s", what, strings.Join(v, "; "))
		}
	}
	for _, pg := range pages {
		run(chromedp.Navigate(base+"/logga-in"), chromedp.WaitReady(chromedp.CSS("#email")),
			chromedp.SetValue(chromedp.CSS("#email"), pg.email), chromedp.SetValue(chromedp.CSS("#password"), demo.Password),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitReady(chromedp.CSS("nav.user .who")))
		for _, path := range pg.paths {
			run(chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")))
			check(pg.email + " " + path)
		}
		if pg.email == "handlaggare@norrbotten.demo" {
			// The requisition form sent empty: its error state.
			run(chromedp.Navigate(base+"/rekvisitioner/ny?agreement=gnv-2023"), chromedp.WaitReady(chromedp.CSS("main form")),
				chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitReady(chromedp.CSS(".error-summary")))
			check(pg.email + " the requisition form's errors")
		}
		run(chromedp.Navigate(base+"/start"), chromedp.WaitReady(chromedp.CSS("nav.user button")),
			chromedp.Click(chromedp.CSS("nav.user button")), chromedp.WaitReady(chromedp.CSS("nav.user a[href='/logga-in']")))
	}
}
