package web_test

import (
	"context"
	"strings"
	"testing"

	"narvard/internal/app"
	"narvard/internal/browsertest"
	"narvard/internal/demo"
	"narvard/internal/web"
)

// signInWith signs in with a password other than pleasure's own.
func (p *pleasure) signInWith(email, password string) {
	p.t.Helper()
	p.open("/logga-in", "#email")
	p.set("#email", email)
	p.set("#password", password)
	p.submit("main form button[type=submit]", "nav.user .who")
}

// demoPleasure is a browser session over the demo, with axeFixtures'
// documents added.
func demoPleasure(t *testing.T) (*pleasure, *app.App, axeIDs) {
	t.Helper()
	a := newBrowserApp(t)
	if err := demo.Seed(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ids := axeFixtures(t, a)
	return &pleasure{t: t, b: browsertest.New(t), base: browsertest.Serve(t, web.New(a, nil, web.Options{}))}, a, ids
}

// TestBrowserOneDocumentEach is issue 17's problem 11: a "ny" page where
// the organisation already has its one document for the agreement says
// so at once, by the document's name, status and link, and shows no empty
// form; a new plan (a new version) is still allowed, with the plan in
// force named above the form; an organisation without one gets the form.
func TestBrowserOneDocumentEach(t *testing.T) {
	p, _, ids := demoPleasure(t)
	cases := []struct {
		email, path, title, link, status string
		form                             bool
	}{
		{"handlaggare@jamtland.demo", "/rekvisitioner/ny?agreement=gnv-2023", "Region Jämtland Härjedalen har redan en rekvisition", "/rekvisitioner/", "godkänd", false},
		{"handlaggare@rss-jamtland.demo", "/redovisningar/ny?agreement=gnv-2023", "har redan en ekonomisk redovisning", "/redovisningar/" + ids.Report, "utkast", false},
		{"handlaggare@rss-jamtland.demo", "/vfu/ny?agreement=gnv-2023&recipient=kommun-2321", "Åre kommun har redan en VFU-redovisning", "/vfu/" + ids.VFU, "återsänd", false},
		{"handlaggare@ostersund.demo", "/kommunredovisningar/ny?agreement=gnv-2023", "Östersund kommun har redan en redovisning till RSS:en", "/kommunredovisningar/" + ids.Municipal, "återsänd", false},
		{"handlaggare@jamtland.demo", "/planer/ny?agreement=gnv-2023", "", "/planer/", "beslutad", true},
		{"handlaggare@norrbotten.demo", "/rekvisitioner/ny?agreement=gnv-2023", "", "", "", true},
	}
	signedIn := ""
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			p.t = t
			if signedIn != c.email {
				if signedIn != "" {
					p.signOut()
				}
				p.signInWith(c.email, demo.Password)
				signedIn = c.email
			}
			p.open(c.path, "main h1")
			if got := p.count("main form.form"); (got > 0) != c.form {
				t.Errorf("forms: %d, want a form: %v", got, c.form)
			}
			if c.link == "" {
				if n := p.count("[data-existing]"); n != 0 {
					t.Errorf("%d notices of an existing document", n)
				}
				return
			}
			if p.count("[data-existing]") == 0 {
				t.Fatalf("no notice of the existing document:\n%s", p.text("main"))
			}
			contains(t, "notice", p.text("main"), c.title, c.status)
			href := browsertest.Eval[string](t, p.b, `document.querySelector('[data-existing-link]').getAttribute('href')`)
			if !strings.HasPrefix(href, c.link) {
				t.Errorf("link %q, want %s…", href, c.link)
			}
			lacks(t, "notice", p.text("[data-existing]"), "gnv-2023", "region-23", "kommun-2321", "kommun-2380")
		})
	}
}
