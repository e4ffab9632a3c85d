package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/web"
)

// TestBrowserCalendar: in Chromium, a region's officer finds the calendar
// in the header, sees its deadlines, makes a feed address (shown once),
// the feed answers as iCalendar with CRLF lines, and after the revoke
// button the address answers 404.
func TestBrowserCalendar(t *testing.T) {
	a := newBrowserApp(t)
	if _, err := a.AddUser(context.Background(), "officer@nll.se", "Olle", "region-25", auth.RecipientOfficer, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, web.New(a, nil, web.Options{}))
	b := browsertest.New(t)
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatal(err)
		}
	}
	submit := func(button, want string) {
		t.Helper()
		browsertest.Eval[bool](t, b, `window.__before = true`)
		run(chromedp.Click(chromedp.CSS(button)))
		waitLoaded(t, b, want)
	}
	fetch := func(path string) string {
		t.Helper()
		s, err := chromedp.Run(b, chromedp.Evaluate[string](`fetch(`+strconv.Quote(path)+`).then(async r => r.status + " " + r.headers.get("Content-Type") + "\n" + await r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	run(chromedp.Navigate(base + "/logga-in"))
	waitLoaded(t, b, "#email")
	run(chromedp.SetValue(chromedp.CSS("#email"), "officer@nll.se"), chromedp.SetValue(chromedp.CSS("#password"), "ett långt lösenord"))
	submit("main form button[type=submit]", "nav.user .who")
	submit("nav.user a[href='/kalender']", "[data-table=deadlines]")
	rows := browsertest.Eval[string](t, b, `document.querySelector('[data-table=deadlines] tbody').innerText`)
	if !strings.Contains(rows, "2024-03-31") || !strings.Contains(rows, "Ekonomisk redovisning till Kammarkollegiet") {
		t.Errorf("deadlines:\n%s", rows)
	}
	submit("form[action='/kalender/prenumeration'] button", "[data-feed]")
	path := browsertest.Eval[string](t, b, `new URL(document.querySelector('[data-feed]').value).pathname`)
	if !strings.HasPrefix(path, "/kalender/") || !strings.HasSuffix(path, ".ics") {
		t.Fatalf("feed address %q", path)
	}
	feed := fetch(path)
	if !strings.HasPrefix(feed, "200 text/calendar") || !strings.Contains(feed, "BEGIN:VCALENDAR\r\n") || !strings.Contains(feed, "SUMMARY:Ekonomisk redovisning till Kammarkollegiet (gnv-2023)\r\n") {
		t.Errorf("feed:\n%.600s", feed)
	}
	submit("form[action='/kalender/aterkalla'] button", ".notice")
	if feed := fetch(path); !strings.HasPrefix(feed, "404") {
		t.Errorf("revoked feed: %.200s", feed)
	}
}
