package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/org"
)

var vfuLocation = regexp.MustCompile(`^/vfu/(V-[^/]+)$`)

// TestVFUPages runs the VFU round through the pages: the RSS fills in a
// municipality's report from its county's list and its signatory signs;
// Socialstyrelsen's follow-up officer returns it with a reason from the
// review list, the RSS corrects it and signs again; a region reports for
// itself; the officer closes the round and the table shows the amounts.
// Every form checks its CSRF token, and wrong figures come back with the
// field's label and what was typed.
func TestVFUPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	clk := a.Clock.(*clock.Frozen)
	clk.Set(time.Date(2023, 3, 1, 10, 0, 0, 0, clock.Stockholm))
	t.Cleanup(func() { clk.Set(demoNow) })
	browsers := map[string]*browser{}
	for _, u := range []struct {
		email, org string
		role       auth.Role
	}{
		{"o@rss-nb.se", "rss-25", auth.RecipientOfficer},
		{"s@rss-nb.se", "rss-25", auth.Signatory},
		{"o@nll.se", "region-25", auth.RecipientOfficer},
		{"s@nll.se", "region-25", auth.Signatory},
		{"o@vll.se", "region-24", auth.RecipientOfficer},
		{"u@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp},
		{"p@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer},
	} {
		browsers[u.email] = signedInAs(t, h, u.email, u.org, u.role)
	}
	rssO, rssS, follow := browsers["o@rss-nb.se"], browsers["s@rss-nb.se"], browsers["u@socialstyrelsen.se"]

	// The start page links to the VFU round for those with work in it.
	for email, want := range map[string]bool{"o@rss-nb.se": true, "o@nll.se": true, "u@socialstyrelsen.se": true, "p@kammarkollegiet.se": false} {
		if got := strings.Contains(browsers[email].do("GET", "/start", nil).Body.String(), "data-vfu-link"); got != want {
			t.Errorf("%s's start page links to VFU: %v, want %v", email, got, want)
		}
	}
	// The RSS's page lists its county's municipalities with a link to
	// fill in each.
	list := rssO.do("GET", "/vfu?agreement=gnv-2023", nil)
	if body := list.Body.String(); list.Code != 200 || !strings.Contains(body, `data-vfu-line="kommun-2510"`) || !strings.Contains(body, `data-fill="kommun-2580"`) ||
		strings.Contains(body, `data-vfu-line="kommun-2480"`) {
		t.Fatalf("the RSS's list: %d %s", list.Code, body)
	}
	const form = "/vfu/ny?agreement=gnv-2023&recipient=kommun-2510"
	if rec := browsers["o@vll.se"].do("GET", form, nil); rec.Code != http.StatusForbidden {
		t.Errorf("another county's region opens Jokkmokk's form: %d", rec.Code)
	}
	token := rssO.csrf(form)
	figures := func(wb, pb, wc, pc string) url.Values {
		return url.Values{"agreement": {"gnv-2023"}, "recipient": {"kommun-2510"}, "weeks_vt2022": {wb}, "places_vt2022": {pb}, "weeks_vt2023": {wc}, "places_vt2023": {pc}}
	}
	if rec := rssO.do("POST", "/vfu/ny", figures("10", "2", "17", "3")); rec.Code != http.StatusForbidden {
		t.Errorf("without a CSRF token: %d", rec.Code)
	}
	bad := figures("10", "2", "sjutton", "3")
	bad.Set("csrf", token)
	rec := rssO.do("POST", "/vfu/ny", bad)
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Antal VFU-veckor vt 2023</a>: Ange ett helt tal") ||
		!strings.Contains(body, `value="sjutton"`) || !strings.Contains(body, `value="10"`) {
		t.Fatalf("wrong figure: %d %s", rec.Code, body)
	}
	good := figures("10", "2", "17", "3")
	good.Set("csrf", token)
	rec = rssO.do("POST", "/vfu/ny", good)
	m := vfuLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("save: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	id := m[1]
	page := rssS.do("GET", "/vfu/"+id, nil).Body.String()
	if !strings.Contains(page, `data-reported-for="rss-25"`) || !strings.Contains(page, "/vfu/"+id+"/signera") {
		t.Fatalf("the report's page for the RSS's signatory: %s", page)
	}
	if rec := rssS.do("POST", "/vfu/"+id+"/signera", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("sign without a CSRF token: %d", rec.Code)
	}
	if rec := rssS.do("POST", "/vfu/"+id+"/signera", url.Values{"csrf": {rssS.csrf("/vfu/" + id)}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign: %d %s", rec.Code, rec.Body)
	}

	hasHistory(t, "the VFU report", rssO.do("GET", "/vfu/"+id, nil).Body.String(), "vfu.create", "vfu.sign")

	// Socialstyrelsen's review list; a return needs a reason.
	review := follow.do("GET", "/vfu?agreement=gnv-2023", nil).Body.String()
	if !strings.Contains(review, `data-vfu-line="kommun-2510"`) || !strings.Contains(review, "/vfu/"+id+"/skicka-tillbaka") || !strings.Contains(review, "/vfu/stang") {
		t.Fatalf("the review list: %s", review)
	}
	ftok := follow.csrf("/vfu?agreement=gnv-2023")
	if rec := follow.do("POST", "/vfu/"+id+"/skicka-tillbaka", url.Values{"reason": {"x"}}); rec.Code != http.StatusForbidden {
		t.Errorf("return without a CSRF token: %d", rec.Code)
	}
	if rec := follow.do("POST", "/vfu/"+id+"/skicka-tillbaka", url.Values{"csrf": {ftok}, "reason": {" "}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("return without a reason: %d", rec.Code)
	}
	if rec := follow.do("POST", "/vfu/"+id+"/skicka-tillbaka", url.Values{"csrf": {ftok}, "reason": {"Platserna stämmer inte."}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("return: %d %s", rec.Code, rec.Body)
	}
	if page := rssO.do("GET", "/vfu/"+id, nil).Body.String(); !strings.Contains(page, "Platserna stämmer inte.") || !strings.Contains(page, "/vfu/"+id+"/andra") {
		t.Errorf("the returned report: %s", page)
	}
	edit := rssO.do("GET", "/vfu/"+id+"/andra", nil).Body.String()
	if !strings.Contains(edit, `value="17"`) {
		t.Errorf("the edit form lacks the figures: %s", edit)
	}
	corrected := figures("10", "2", "15", "3")
	corrected.Set("csrf", token)
	if rec := rssO.do("POST", "/vfu/"+id+"/andra", corrected); rec.Code != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body)
	}
	if rec := rssS.do("POST", "/vfu/"+id+"/signera", url.Values{"csrf": {rssS.csrf("/vfu/" + id)}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign again: %d %s", rec.Code, rec.Body)
	}

	// Region Norrbotten reports for itself from its own page.
	rb := browsers["o@nll.se"]
	own := rb.do("GET", "/vfu?agreement=gnv-2023", nil).Body.String()
	if !strings.Contains(own, `data-fill="region-25"`) {
		t.Fatalf("the region's page: %s", own)
	}
	rf := url.Values{"csrf": {rb.csrf("/vfu/ny?agreement=gnv-2023")}, "agreement": {"gnv-2023"}, "recipient": {"region-25"},
		"weeks_vt2022": {"400"}, "places_vt2022": {"80"}, "weeks_vt2023": {"470"}, "places_vt2023": {"90"}}
	rec = rb.do("POST", "/vfu/ny", rf)
	m = vfuLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if m == nil {
		t.Fatalf("region's report: %d %s", rec.Code, rec.Body)
	}
	sb := browsers["s@nll.se"]
	if rec := sb.do("POST", "/vfu/"+m[1]+"/signera", url.Values{"csrf": {sb.csrf("/vfu/" + m[1])}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("region signs: %d %s", rec.Code, rec.Body)
	}

	// The close: not without the token, not by a region; then the table.
	if rec := follow.do("POST", "/vfu/stang", url.Values{"agreement": {"gnv-2023"}}); rec.Code != http.StatusForbidden {
		t.Errorf("close without a CSRF token: %d", rec.Code)
	}
	if rec := sb.do("POST", "/vfu/stang", url.Values{"csrf": {sb.csrf("/vfu?agreement=gnv-2023")}, "agreement": {"gnv-2023"}}); rec.Code != http.StatusForbidden {
		t.Errorf("a region closes the round: %d", rec.Code)
	}
	if rec := follow.do("POST", "/vfu/stang", url.Values{"csrf": {ftok}, "agreement": {"gnv-2023"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("close: %d %s", rec.Code, rec.Body)
	}
	round, err := a.VFURound(context.Background(), "gnv-2023")
	if err != nil || round.Status != grant.VFUClosed || len(round.Rows) != 2 {
		t.Fatalf("round: %+v %v", round, err)
	}
	table := rb.do("GET", "/vfu?agreement=gnv-2023", nil).Body.String()
	for _, row := range round.Rows {
		if !strings.Contains(table, `data-vfu-row="`+row.Recipient+`"`) || !strings.Contains(table, `data-kr="`+strconv.FormatInt(int64(row.Amount), 10)+`"`) {
			t.Errorf("the closed round's table lacks %s %d: %s", row.Recipient, row.Amount, table)
		}
	}
	if strings.Contains(table, "data-fill=") || strings.Contains(table, "/vfu/stang") {
		t.Errorf("the closed round still offers to fill in or close")
	}
}
