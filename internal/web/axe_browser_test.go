package web_test

import (
	"context"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/demo"
	"narvard/internal/org"
	"narvard/internal/web"
)

// TestBrowserAccessibility runs axe-core on the demo's pages as each role
// sees them, and on every form sent empty with its errors shown: any
// violation fails (issue 17, item 6). Each page must also fit 400 px
// without sideways scrolling (problem 12). Beyond the pages listed, the
// walk follows links to every GET page of the web app; a GET route no
// visit reaches, and that notPages does not exempt as a file, fails.
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
	saved := savedFollowUpRun(t, a, "uppfoljare@socialstyrelsen.demo", demo.Password)
	ids := axeFixtures(t, a)
	batches, err := a.Batches(ctx, reader)
	if err != nil || len(batches) == 0 {
		t.Fatalf("the demo's payment batches: %v", err)
	}
	base := browsertest.Serve(t, web.New(a, nil, web.Options{}))
	b := browsertest.NewFor(t, 10*time.Minute)
	pages := []struct {
		email string
		paths []string
	}{
		{"handlaggare@jamtland.demo", []string{"/start", "/planer?agreement=gnv-2023", "/planer/" + p.ID, "/planer/" + p.ID + "/andra",
			"/kalender", "/konto", "/redovisningar/ny?agreement=gnv-2023", "/underlag"}},
		{"handlaggare@norrbotten.demo", []string{"/verksamhetsrapporter", "/verksamhetsrapporter/" + acts[0].ID, "/rekvisitioner/ny?agreement=gnv-2023"}},
		{"uppfoljare@socialstyrelsen.demo", []string{"/start", "/vfu?agreement=gnv-2023", "/enkater", "/enkater/" + surveys[0].ID + "/resultat",
			"/enkater/" + surveys[0].ID + "/paminnelser", "/verksamhetsrapporter", "/uppfoljning", "/uppfoljning/resultat/" + saved}},
		{"handlaggare@rss-jamtland.demo", []string{"/start", "/vidareformedling?agreement=gnv-2023", "/kommunredovisningar?agreement=gnv-2023",
			"/kommunredovisningar?agreement=gnv-2023&status=accepted&q=krokom"}},
		{"handlaggare@ostersund.demo", []string{"/start", "/enkater", "/enkater/" + surveys[0].ID + "/svar/kommun-2380"}},
		{"utbetalare@kammarkollegiet.demo", []string{"/start", "/kammarkollegiet?agreement=gnv-2023", "/oversikt?agreement=gnv-2023",
			"/oversikt/region-23?agreement=gnv-2023", "/oversikt/rss-23?agreement=gnv-2023", "/kammarkollegiet?agreement=gnv-2023&status=att-besluta&q=ingen"}},
		{"admin@narvard.demo", []string{"/admin/organisationer", "/admin/anvandare"}},
		{vbOfficer, []string{"/start", "/rekvisitioner/" + ids.Requisition, "/rekvisitioner/" + ids.Requisition + "/andra"}},
		{"handlaggare@rss-jamtland.demo", []string{"/redovisningar/" + ids.Report, "/redovisningar/" + ids.Report + "/andra",
			"/vfu/" + ids.VFU, "/vfu/" + ids.VFU + "/andra", "/vfu/ny?agreement=gnv-2023"}},
		{"handlaggare@ostersund.demo", []string{"/kommunredovisningar/" + ids.Municipal, "/kommunredovisningar/" + ids.Municipal + "/andra"}},
		{"handlaggare@are.demo", []string{"/start", "/kommunredovisningar/ny?agreement=gnv-2023"}},
		{"handlaggare@jamtland.demo", []string{"/underlag/" + ids.DocRequest}},
		{"utbetalare@kammarkollegiet.demo", []string{"/bankaviseringar/" + ids.Bank}},
		{"firmatecknare@norrbotten.demo", []string{"/start"}},
		{"ekonomichef@rss-jamtland.demo", []string{"/start", "/redovisningar/" + ids.Report}},
		{"firmatecknare@skr.demo", []string{"/start"}},
		{"attestant@socialstyrelsen.demo", []string{"/start", "/kammarkollegiet?agreement=gnv-2023"}},
		{"analytiker@socialdepartementet.demo", []string{"/start", "/underlag"}},
		{"granskare@narvard.demo", []string{"/start", "/oversikt?agreement=gnv-2023"}},
		// The audit log, its refused search, and a page with a history.
		{"granskare@narvard.demo", []string{"/start", "/granskning", "/granskning?from=fel", "/betalningar/" + batches[0].ID}},
	}
	// errorStates are forms sent empty or wrong, checked as they come
	// back with their errors: each user's, after that user's pages.
	errorStates := map[string][]errorState{
		"handlaggare@norrbotten.demo": {
			{"/rekvisitioner/ny?agreement=gnv-2023", "main form.form"},
		},
		"handlaggare@jamtland.demo": {
			{"/redovisningar/ny?agreement=gnv-2023", "main form.form"},
			{"/planer/" + p.ID + "/andra", "form[data-plan-form]"},
			{"/konto", "form[action='/konto/losenord']"},
			{"/underlag/" + ids.DocRequest, "form[data-answer]"},
		},
		"handlaggare@rss-jamtland.demo": {
			{"/vidareformedling/ny?agreement=gnv-2023", "main form.form"},
			{"/vfu/" + ids.VFU + "/andra", "main form.form"},
		},
		"handlaggare@are.demo":       {{"/kommunredovisningar/ny?agreement=gnv-2023", "main form.form"}},
		"handlaggare@ostersund.demo": {{"/kommunredovisningar/" + ids.Municipal + "/andra", "main form.form"}},
		vbOfficer:                    {{"/rekvisitioner/" + ids.Requisition + "/andra", "main form.form"}},
		"utbetalare@kammarkollegiet.demo": {
			{"/kammarkollegiet?agreement=gnv-2023", "form[action='/bankaviseringar']"},
			{"/rekvisitioner/" + ids.Submitted, "form[action$='/avsla']"},
			{"/underlag", "form[data-docrequest-form]"},
		},
		"admin@narvard.demo": {
			{"/admin/anvandare/ny?org=region-25", "form[action='/admin/anvandare']"},
			{"/admin/organisationer/region-25", "main form.form"},
		},
		"uppfoljare@socialstyrelsen.demo": {{"/uppfoljning", "form[action='/uppfoljning']"}},
	}
	w := newAxeWalk(t, b, base, script)
	w.visit("signed out", "/")
	w.visit("signed out", "/logga-in")
	w.visit("signed out", "/finns-inte")
	// One sign-in per user, whichever rows above name the user.
	var emails []string
	paths := map[string][]string{}
	for _, pg := range pages {
		if paths[pg.email] == nil {
			emails = append(emails, pg.email)
		}
		paths[pg.email] = append(paths[pg.email], pg.paths...)
	}
	for _, email := range emails {
		w.signIn(email)
		for _, path := range paths[email] {
			w.visit(email, path)
		}
		w.crawl(email)
		for _, e := range errorStates[email] {
			w.errorState(email, e)
		}
		if email == "uppfoljare@socialstyrelsen.demo" {
			w.followUpJob(email)
		}
		w.signOut()
	}
	for _, p := range w.missing() {
		t.Errorf("%s: no page of this test reaches it: add a path to the pages above, or to notPages if it is a file", p)
	}
}
