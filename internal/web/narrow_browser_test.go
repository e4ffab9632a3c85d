package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"narvard/internal/app"
	"narvard/internal/auth"
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

// TestBrowserSmallThings is issue 17's problem 14, one subtest per item
// the browser shows (the PDFs' rehearsal mark is document's
// TestRehearsalMark).
func TestBrowserSmallThings(t *testing.T) {
	p, a, ids := demoPleasure(t)
	if _, err := a.AddUser(context.Background(), "firmatecknare@vasterbotten.test", "Vide Firmatecknare", "region-24", auth.Signatory, demo.Password); err != nil {
		t.Fatal(err)
	}
	as := func(t *testing.T, email string) {
		t.Helper()
		p.t = t
		p.signInWith(email, demo.Password)
		t.Cleanup(func() { p.t = t; p.signOut() })
	}
	t.Run("the next step tells the signatory and the CFO what to do", func(t *testing.T) {
		as(t, "firmatecknare@vasterbotten.test")
		p.open("/start", "[data-next]")
		next := p.text("[data-agreement=gnv-2023] [data-next]")
		contains(t, "signatory's next step", next, "Granska rekvisitionen och skriv under den")
		lacks(t, "signatory's next step", next, "väntar på")
		p.signOut()
		p.signInWith("ekonomichef@rss-jamtland.demo", demo.Password)
		p.open("/start", "[data-next]")
		next = p.text("[data-agreement=gnv-2023] [data-next]")
		contains(t, "CFO's next step", next, "Granska och intyga den ekonomiska redovisningen")
		lacks(t, "CFO's next step", next, "väntar på")
	})
	t.Run("the reason for a rejection has a box of several rows", func(t *testing.T) {
		as(t, "utbetalare@kammarkollegiet.demo")
		p.open("/rekvisitioner/"+ids.Submitted, "form[action$='/avsla']")
		size := browsertest.Eval[[]int](t, p.b, `(() => { const r = document.querySelector("form[action$='/avsla'] textarea[name=reason]");
			return r ? [r.rows, r.offsetWidth, r.offsetHeight] : [] })()`)
		if len(size) != 3 || size[0] < 4 || size[1] < 300 || size[2] < 90 {
			t.Errorf("reason box (rows, width, height) = %v, want at least 4 rows, 300×90 px", size)
		}
	})
	t.Run("the header names the organisation", func(t *testing.T) {
		as(t, "handlaggare@norrbotten.demo")
		p.open("/start", "nav.user .who")
		who := p.text("nav.user .who")
		contains(t, "header", who, "Region Norrbotten")
		lacks(t, "header", who, "region-25")
	})
	t.Run("the sections of the Bilaga 1 forms run in order", func(t *testing.T) {
		as(t, "handlaggare@rss-jamtland.demo")
		for _, path := range []string{"/rekvisitioner/" + ids.Requisition + "/andra", "/redovisningar/" + ids.Report + "/andra"} {
			if strings.HasPrefix(path, "/rekvisitioner/") {
				p.signOut()
				p.signInWith(vbOfficer, demo.Password)
			}
			p.open(path, "main form.form legend")
			legends := browsertest.Eval[[]string](t, p.b, `[...document.querySelectorAll('main form.form > fieldset > legend')].map(l => l.textContent.trim().slice(0, 2))`)
			if want := []string{"1.", "2.", "3."}; !slices.Equal(legends, want) {
				t.Errorf("%s: sections %q, want %q", path, legends, want)
			}
			if strings.HasPrefix(path, "/rekvisitioner/") {
				p.signOut()
				p.signInWith("handlaggare@rss-jamtland.demo", demo.Password)
			}
		}
	})
	t.Run("downloads are Ladda ned everywhere", func(t *testing.T) {
		p.t = t
		p.open("/overenskommelser/gnv-2023", "main h1")
		body := p.text("main")
		contains(t, "agreement page", body, "Ladda ned")
		lacks(t, "agreement page", body, "Ladda ner")
	})
	t.Run("a favicon is linked and served", func(t *testing.T) {
		p.t = t
		p.open("/", "main")
		got, err := chromedp.Run(p.b, chromedp.Evaluate[string](`(async () => { const l = document.querySelector('link[rel=icon]'); if (!l) return 'no link';
			const r = await fetch(l.href); const ico = await fetch('/favicon.ico');
			return r.status + ' ' + r.headers.get('content-type') + ' ' + ico.status + ' ' + ico.url.includes('/static/favicon.svg') })()`, chromedp.EvalAwaitPromise))
		if err != nil || got != "200 image/svg+xml 200 true" {
			t.Errorf("favicon: %s %v", got, err)
		}
	})
	t.Run("the rounding note only where money is shown", func(t *testing.T) {
		as(t, "handlaggare@norrbotten.demo")
		for path, want := range map[string]int{"/start": 1, "/konto": 0, "/kalender": 0} {
			p.open(path, "main h1")
			if n := p.count("[data-rounding]"); n != want {
				t.Errorf("%s: %d rounding notes, want %d", path, n, want)
			}
		}
	})
}

// TestBrowserHelp is issue 17's item 5: the Bilaga 1 forms explain their
// fields (the diarienummer, the bankgiro, the contact, Alt 1 and Alt 2)
// under each label, tied to the input; and the start page leads to a
// guide for the user's role whose links all open.
func TestBrowserHelp(t *testing.T) {
	p, _, ids := demoPleasure(t)
	t.Run("the requisition form's hints", func(t *testing.T) {
		p.t = t
		p.signInWith("handlaggare@norrbotten.demo", demo.Password)
		p.open("/rekvisitioner/ny?agreement=gnv-2023", "main form.form")
		for field, want := range map[string]string{"agreement_dnr": "överenskommelsen mellan staten och SKR", "payment_decision_dnr": "regeringsbeslutet om utbetalning",
			"account.number": "kontrollsiffra", "contact.name": "behörig företrädare"} {
			got := browsertest.Eval[string](t, p.b, `(() => { const i = document.getElementById('f-`+field+`');
				return (i.getAttribute('aria-describedby') || '').split(' ').map(id => document.getElementById(id).textContent).join(' ') })()`)
			contains(t, field+"'s description", got, want)
		}
		p.open("/start", "[data-help-link]")
		p.submit("[data-help-link]", "[data-guide]")
		contains(t, "the officer's guide", p.text("main"), "Så arbetar du som Handläggare", "Skriv rekvisitionen")
		p.signOut()
	})
	t.Run("Alt 1 and Alt 2 explained on the report form", func(t *testing.T) {
		p.t = t
		p.signInWith("handlaggare@rss-jamtland.demo", demo.Password)
		p.open("/redovisningar/"+ids.Report+"/andra", "main form.form")
		contains(t, "help", browsertest.Eval[string](t, p.b, `(document.querySelector('details[data-help=alt]') || {}).textContent || ''`),
			"Alt 1", "korrekt", "Alt 2", "avvikelserna")
		p.signOut()
	})
	t.Run("every guide's links open", func(t *testing.T) {
		p.t = t
		p.open("/hjalp", "[data-guides]")
		guides := browsertest.Eval[[]string](t, p.b, `[...document.querySelectorAll('[data-guides] a')].map(a => a.getAttribute('href'))`)
		want := []string{"handlaggare", "firmatecknare", "ekonomichef", "utbetalare", "uppfoljare", "analytiker", "administrator", "granskare", "kommun", "rss"}
		if len(guides) != len(want) {
			t.Errorf("guides %q, want one for each of %q", guides, want)
		}
		routes := newAxeWalk(t, p.b, p.base, "")
		for _, g := range guides {
			p.open(g, "[data-guide]")
			links := browsertest.Eval[[]string](t, p.b, `[...document.querySelectorAll('[data-guide] a')].map(a => a.getAttribute('href'))`)
			for _, l := range links {
				if pat := routes.pattern(l); pat == "" || pat == "GET /" {
					t.Errorf("%s: link %q leads to no page", g, l)
				}
			}
		}
	})
}
