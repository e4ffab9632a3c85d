package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
)

var sectionLocation = regexp.MustCompile(`^/verksamhetsrapporter/(A-[^/]+)/avsnitt/(\w+)$`)

// regionComplete are complete answers to the region's template.
const regionComplete = `{"q1": "Insatser", "q2": "Resultat", "q3": {"samverkan": "genomfort", "halsofr": "paborjat", "slutenvard": "paborjat",
 "resurser": "ej_paborjat", "privata": "genomfort"}, "q4": "Samverkan", "q5": "ja", "q6": "Proaktivt",
 "q7": {"overenskommelsen": {"primarvard": 1, "landsbygd": 1}, "egna": {"primarvard": 2, "landsbygd": 0}}, "q8": "Resurser",
 "q10": "Plan", "q11": "ja", "q12": "ja", "q14": "Patientkontrakt", "q15": "AT och ST", "q17": "Användning", "q18": "alla",
 "jq1": "Kvinnor och män", "jq2": "Jämställd hälsa"}`

// TestActivityReportPages runs a region's activity report through the
// pages, one form per section saved as the user goes: the condition texts
// stand beside their questions, a question shown only for an answer says
// so, a number that is not one comes back with what was typed, signing
// with a required answer missing lists it with a link to its section;
// Socialstyrelsen's follow-up officer returns the report, the region
// corrects and signs it again, and it is accepted. An RSS's section asked
// per municipality names its inputs after the municipalities.
func TestActivityReportPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	clk := a.Clock.(*clock.Frozen)
	clk.Set(time.Date(2024, 3, 1, 10, 0, 0, 0, clock.Stockholm))
	t.Cleanup(func() { clk.Set(demoNow) })
	officer := signedInAs(t, h, "o@nll.se", "region-25", auth.RecipientOfficer)
	signer := signedInAs(t, h, "s@nll.se", "region-25", auth.Signatory)
	follow := signedInAs(t, h, "u@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)

	list := officer.do("GET", "/verksamhetsrapporter", nil).Body.String()
	if !strings.Contains(list, `data-template="gnv-2023-verksamhetsrapport"`) || strings.Contains(list, `data-template="gnv-2023-skr-delrapport"`) {
		t.Fatalf("the region's list: %s", list)
	}
	token := officer.csrf("/verksamhetsrapporter")
	post := poster(func(b *browser, path string, form url.Values) *http.Response {
		t.Helper()
		form.Set("csrf", b.csrf("/verksamhetsrapporter"))
		return b.do("POST", path, form).Result()
	})
	if rec := officer.do("POST", "/verksamhetsrapporter/ny", url.Values{"template": {"gnv-2023-verksamhetsrapport"}}); rec.Code != http.StatusForbidden {
		t.Errorf("without a CSRF token: %d", rec.Code)
	}
	rec := officer.do("POST", "/verksamhetsrapporter/ny", url.Values{"csrf": {token}, "template": {"gnv-2023-verksamhetsrapport"}})
	m := sectionLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil || m[2] != "s1" {
		t.Fatalf("new report: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	id, base := m[1], "/verksamhetsrapporter/"+m[1]
	fillSections(t, officer, base, token, post)
	signAndReview(t, officer, signer, follow, id, base, post)
}

type poster func(b *browser, path string, form url.Values) *http.Response

// fillSections saves two sections and meets a number that is not one in
// the third.
func fillSections(t *testing.T, officer *browser, base, token string, post poster) {
	t.Helper()
	s1 := officer.do("GET", base+"/avsnitt/s1", nil).Body.String()
	for _, want := range []string{`data-condition="2.1"`, "stödjer omställningen till en nära vård", `name="q3.samverkan"`, `name="q1"`} {
		if !strings.Contains(s1, want) {
			t.Errorf("section 1 lacks %s", want)
		}
	}
	if s2 := officer.do("GET", base+"/avsnitt/s2", nil).Body.String(); !strings.Contains(s2, `data-visible-if>Besvaras bara om svaret på`) {
		t.Errorf("section 2 does not say when q5a is asked: %s", s2)
	}
	res := post(officer, base+"/avsnitt/s1", url.Values{"q1": {"Insatser"}, "q2": {"Resultat"}, "q3.samverkan": {"genomfort"}, "then": {"next"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"/avsnitt/s2" {
		t.Fatalf("save section 1: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = post(officer, base+"/avsnitt/s2", url.Values{"q4": {"Samverkan"}, "q5": {"nej"}, "q6": {"Proaktivt"}, "then": {"overview"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base {
		t.Fatalf("save section 2: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	form := url.Values{"q7.egna.primarvard": {"tolv"}, "q7.overenskommelsen.primarvard": {"1 000 000"}, "csrf": {token}}
	bad := officer.do("POST", base+"/avsnitt/s3", form)
	if body := bad.Body.String(); bad.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="tolv"`) || !strings.Contains(body, `value="1000000"`) ||
		!strings.Contains(body, `href="#f-q7.egna.primarvard"`) {
		t.Fatalf("a number that is not one: %d %s", bad.Code, body)
	}
}

// signAndReview: signing with answers missing lists them; completed, the
// report is signed, returned, corrected, signed again and accepted.
func signAndReview(t *testing.T, officer, signer, follow *browser, id, base string, post poster) {
	t.Helper()
	a := handlerApp
	rep, err := a.ActivityReport(context.Background(), auth.Actor{Org: "region-25", Role: auth.RecipientOfficer}, id)
	if err != nil || string(rep.Answers["q5"]) != `"nej"` || string(rep.Answers["q3"]) != `{"samverkan":"genomfort"}` || rep.Answers["q7"] != nil {
		t.Fatalf("saved as the user went: %v %v", rep.Answers, err)
	}
	sign := signer.do("POST", base+"/signera", url.Values{"csrf": {signer.csrf(base)}})
	if body := sign.Body.String(); sign.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `data-error="q5a"`) || !strings.Contains(body, `data-error="q3.halsofr"`) ||
		!strings.Contains(body, "/avsnitt/s2#f-q5a") {
		t.Fatalf("signing the incomplete report: %d %s", sign.Code, body)
	}
	var complete questionnaire.Answers
	if err := json.Unmarshal([]byte(regionComplete), &complete); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CorrectActivityReport(context.Background(), auth.Actor{Email: "o@nll.se", Org: "region-25", Role: auth.RecipientOfficer}, id, complete); err != nil {
		t.Fatal(err)
	}
	if res := post(signer, base+"/signera", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d", res.StatusCode)
	}
	inbox := follow.do("GET", "/verksamhetsrapporter", nil).Body.String()
	if !strings.Contains(inbox, "Inte påbörjade") || !strings.Contains(inbox, "Region Västerbotten") {
		t.Errorf("Socialstyrelsen's list does not say who has not begun: %s", inbox)
	}
	if !strings.Contains(inbox, `data-report="`+id+`"`) || !strings.Contains(follow.do("GET", base, nil).Body.String(), base+"/godkann") {
		t.Fatalf("Socialstyrelsen's list and page: %s", inbox)
	}
	if res := post(follow, base+"/skicka-tillbaka", url.Values{"reason": {"Beskriv resultaten"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	if page := officer.do("GET", base, nil).Body.String(); !strings.Contains(page, "Beskriv resultaten") || !strings.Contains(page, base+"/avsnitt/s1") {
		t.Errorf("the returned report's page: %s", page)
	}
	if res := post(officer, base+"/avsnitt/s1", url.Values{"q1": {"Insatser"}, "q2": {"Resultat, beskrivna"}, "q3.samverkan": {"genomfort"}, "q3.halsofr": {"paborjat"},
		"q3.slutenvard": {"paborjat"}, "q3.resurser": {"ej_paborjat"}, "q3.privata": {"genomfort"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d", res.StatusCode)
	}
	if res := post(signer, base+"/signera", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign again: %d", res.StatusCode)
	}
	if res := post(follow, base+"/godkann", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	hasHistory(t, "the activity report", follow.do("GET", base, nil).Body.String(), "activity.create", "activity.correct", "activity.sign",
		"activity.return", "activity.correct", "activity.sign", "activity.accept")
	if page := officer.do("GET", base, nil).Body.String(); !strings.Contains(page, `data-status="accepted"`) || !strings.Contains(page, "Resultat, beskrivna") {
		t.Errorf("the accepted report: %s", page)
	}
	if rec := officer.do("GET", base+"/pdf", nil); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
		t.Errorf("the report's PDF: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(follow.do("GET", "/verksamhetsrapporter", nil).Body.String(), `href="/verksamhetsrapporter.xlsx?template=gnv-2023-verksamhetsrapport"`) {
		t.Error("Socialstyrelsen's list has no export")
	}
	xlsx := follow.do("GET", "/verksamhetsrapporter.xlsx?template=gnv-2023-verksamhetsrapport", nil)
	if xlsx.Code != http.StatusOK || !strings.Contains(xlsx.Header().Get("Content-Disposition"), "gnv-2023-verksamhetsrapport.xlsx") {
		t.Errorf("the XLSX export: %d", xlsx.Code)
	}
	csv := follow.do("GET", "/verksamhetsrapporter.csv?template=gnv-2023-verksamhetsrapport", nil).Body.String()
	if !strings.Contains(csv, "Resultat, beskrivna") {
		t.Errorf("the CSV export lacks the answer: %s", csv)
	}
	if rec := officer.do("GET", "/verksamhetsrapporter.csv?template=gnv-2023-verksamhetsrapport", nil); rec.Code != http.StatusForbidden {
		t.Errorf("a region exports everyone's reports: %d", rec.Code)
	}
}

// TestActivityReportPerMunicipality: an RSS's section asked per
// municipality names its inputs after its county's municipalities, and an
// error after the municipality.
func TestActivityReportPerMunicipality(t *testing.T) {
	h, _ := newHandler(t, nil)
	rss := signedInAs(t, h, "o@rss-nb.se", "rss-25", auth.RecipientOfficer)
	// The RSS's section per municipality.
	rec := rss.do("POST", "/verksamhetsrapporter/ny", url.Values{"csrf": {rss.csrf("/verksamhetsrapporter")}, "template": {"gnv-2023-verksamhetsrapport-rss"}})
	m := sectionLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if m == nil {
		t.Fatalf("the RSS's new report: %d %s", rec.Code, rec.Body)
	}
	per := rss.do("GET", "/verksamhetsrapporter/"+m[1]+"/avsnitt/s2", nil).Body.String()
	if !strings.Contains(per, `data-kommun="2510"`) || !strings.Contains(per, `name="k1.2510"`) || strings.Contains(per, `data-kommun="0114"`) {
		t.Fatalf("the section per municipality: %s", per)
	}
	bad := rss.do("POST", "/verksamhetsrapporter/"+m[1]+"/avsnitt/s2", url.Values{"csrf": {rss.csrf("/verksamhetsrapporter")}, "k1.2510": {"ja"}, "k4.2510": {"många"}})
	if body := bad.Body.String(); bad.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-k4.2510"`) || !strings.Contains(body, `value="många"`) {
		t.Errorf("a wrong amount for Jokkmokk: %d %s", bad.Code, body)
	}
}
