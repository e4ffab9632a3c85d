package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"narvard/internal/auth"
)

var feedField = regexp.MustCompile(`value="([^"]+)" data-feed`)

// TestCalendarPage: a region's officer sees its deadlines across
// agreements on /kalender, makes a feed address (shown once, with CSRF),
// fetches the feed without a session as text/calendar, and revokes it;
// the page and its forms are for signed-in users only.
func TestCalendarPage(t *testing.T) {
	h, _ := newHandler(t, nil)
	officer := signedInAs(t, h, "officer@nll.se", "region-25", auth.RecipientOfficer)
	page := html.UnescapeString(officer.do("GET", "/kalender", nil).Body.String())
	for _, want := range []string{"2024-03-31", "Ekonomisk redovisning till Kammarkollegiet", "gnv-2023", "Du har ingen prenumerationsadress"} {
		if !strings.Contains(page, want) {
			t.Errorf("calendar page lacks %q", want)
		}
	}
	if strings.Contains(page, "Socialstyrelsen tar fram frågeunderlag") {
		t.Error("a deadline of Socialstyrelsen's on a region's calendar")
	}
	if rec := officer.do("POST", "/kalender/prenumeration", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("feed without CSRF: %d", rec.Code)
	}
	rec := officer.do("POST", "/kalender/prenumeration", url.Values{"csrf": {officer.csrf("/kalender")}})
	m := feedField.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("make a feed: %d\n%s", rec.Code, rec.Body.String())
	}
	u, err := url.Parse(m[1])
	if err != nil || !strings.HasPrefix(u.Path, "/kalender/") || !strings.HasSuffix(u.Path, ".ics") {
		t.Fatalf("feed address %q", m[1])
	}
	feed := get(h, "GET", u.Path)
	if feed.Code != http.StatusOK || !strings.HasPrefix(feed.Header().Get("Content-Type"), "text/calendar") ||
		!strings.Contains(feed.Body.String(), "BEGIN:VEVENT\r\n") {
		t.Errorf("feed: %d %s\n%s", feed.Code, feed.Header().Get("Content-Type"), feed.Body.String())
	}
	if rec := officer.do("POST", "/kalender/aterkalla", url.Values{"csrf": {officer.csrf("/kalender")}}); rec.Code != http.StatusSeeOther {
		t.Errorf("revoke: %d", rec.Code)
	}
	if rec := get(h, "GET", u.Path); rec.Code != http.StatusNotFound {
		t.Errorf("revoked feed: %d", rec.Code)
	}
	if rec := get(h, "GET", "/kalender"); rec.Code != http.StatusSeeOther {
		t.Errorf("calendar page signed out: %d", rec.Code)
	}
}

// TestMailChoice: the own account page offers a mail per event (the
// default) or a daily digest, and keeps the choice.
func TestMailChoice(t *testing.T) {
	h, _ := newHandler(t, nil)
	officer := signedInAs(t, h, "officer@nll.se", "region-25", auth.RecipientOfficer)
	if page := officer.do("GET", "/konto", nil).Body.String(); !strings.Contains(page, `value="varje" checked`) {
		t.Error("a mail per event is not the default")
	}
	rec := officer.do("POST", "/konto/epost", url.Values{"csrf": {officer.csrf("/konto")}, "digest": {"daglig"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("choose the digest: %d", rec.Code)
	}
	if page := officer.do("GET", "/konto?klart=epost", nil).Body.String(); !strings.Contains(page, `value="daglig" checked`) || !strings.Contains(page, "Ditt val för e-post är sparat") {
		t.Error("the digest was not kept")
	}
}
