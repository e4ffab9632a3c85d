package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/org"
)

// TestSurveyPages: Ale's officer answers the municipal survey one section
// per page (the branch question says when it is asked), submits it, and
// Socialstyrelsen's follow-up officer sees the results table ("antal och
// procent i parentes", n), the chart and the downloads, and reminds a
// municipality that has not answered; after closing the answer is locked.
func TestSurveyPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	clk := a.Clock.(*clock.Frozen)
	clk.Set(time.Date(2019, 12, 20, 10, 0, 0, 0, clock.Stockholm))
	t.Cleanup(func() { clk.Set(demoNow) })
	officer := signedInAs(t, h, "o@ale.se", "kommun-1440", auth.RecipientOfficer)
	follow := signedInAs(t, h, "u@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)
	sv, err := a.CreateSurvey(context.Background(), auth.Actor{Email: "u@socialstyrelsen.se", Org: org.Socialstyrelsen, Role: auth.FollowUp},
		app.SurveyForm{Template: []byte(`"enkat-kommuner-2019"`), Recipients: []byte(`"kommuner"`), Opens: "2019-12-16", Closes: "2020-01-27"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/enkater/" + sv.ID + "/svar/kommun-1440"
	if list := officer.do("GET", "/enkater", nil).Body.String(); !strings.Contains(list, `href="`+base+`"`) {
		t.Fatalf("the officer's list: %s", list)
	}
	page := officer.do("GET", base+"/avsnitt/samverkan", nil).Body.String()
	if !strings.Contains(page, `name="q1.politisk"`) || !strings.Contains(page, "Besvaras bara om") || strings.Contains(page, "<script") {
		t.Fatalf("section page: %s", page)
	}
	token := officer.csrf(base)
	rec := officer.do("POST", base+"/avsnitt/samverkan", url.Values{"csrf": {token}, "q1.politisk": {"ja"}, "q2": {"nej"}, "q2a": {"ja"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != base+"/avsnitt/personal" {
		t.Fatalf("save: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	rec = officer.do("POST", base+"/avsnitt/personal", url.Values{"csrf": {token}, "q3.sjukskoterska": {"brist"}, "q3.farmaceut": {"mycket"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "mycket") && !strings.Contains(rec.Body.String(), "Välj") {
		t.Fatalf("bad answer: %d", rec.Code)
	}
	rec = officer.do("POST", base+"/avsnitt/personal", url.Values{"csrf": {token}, "q3.sjukskoterska": {"brist"}, "q4": {"Hyrpersonal"}, "then": {"overview"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != base {
		t.Fatalf("save 2: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if res := follow.do("GET", "/enkater/"+sv.ID+"/resultat", nil).Body.String(); !strings.Contains(res, "0 av 290 kommuner har svarat (0 %)") {
		t.Errorf("saved but not submitted counts: %s", res)
	}
	if rec := officer.do("POST", base+"/skicka", url.Values{"csrf": {token}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	res := follow.do("GET", "/enkater/"+sv.ID+"/resultat", nil).Body.String()
	for _, want := range []string{"1 av 290 kommuner har svarat (0 %)", "Antal och procent i parentes", "1 (100)", `<svg`, `role="img"`, "Källa: Enkät till kommunerna, december 2019", "Ale kommun", "Hyrpersonal"} {
		if !strings.Contains(res, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	if rec := follow.do("GET", "/enkater/"+sv.ID+"/resultat.xlsx", nil); rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := officer.do("GET", "/enkater/"+sv.ID+"/resultat", nil); rec.Code != http.StatusForbidden {
		t.Errorf("a municipality reads the results: %d", rec.Code)
	}
	ftoken := follow.csrf("/enkater/" + sv.ID + "/paminnelser")
	if rec := follow.do("POST", "/enkater/"+sv.ID+"/paminnelser", url.Values{"csrf": {ftoken}, "recipient": {"kommun-0114"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("remind: %d %s", rec.Code, rec.Body)
	}
	if rem := follow.do("GET", "/enkater/"+sv.ID+"/paminnelser", nil).Body.String(); !strings.Contains(rem, "289 av 290") || !strings.Contains(rem, "lagd i utkorgen 2019-12-20") {
		t.Errorf("reminders page: %s", rem)
	}
	clk.Set(time.Date(2020, 1, 28, 9, 0, 0, 0, clock.Stockholm))
	if rec := officer.do("GET", base+"/avsnitt/samverkan", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("section after closing: %d", rec.Code)
	}
	if rec := officer.do("POST", base+"/skicka", url.Values{"csrf": {token}}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "stängde") {
		t.Errorf("submit after closing: %d", rec.Code)
	}
}
