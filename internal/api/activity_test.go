package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/geo"
)

// raw is do with the answer as JSON text.
func (c *client) raw(user, method, path, body string) (int, string) {
	c.t.Helper()
	st, out := c.do(user, method, path, body)
	b, _ := json.Marshal(out)
	return st, string(b)
}

// regionAnswers are complete answers to the region's template but for
// the questions named in leave, with q5 answered "nej" (so q5a is asked)
// and q11 "ja" (so q11a is not, and its answer is dropped).
func regionAnswers(leave ...string) string {
	m := map[string]any{
		"q1": "Insatser för omställningen", "q2": "Resultat", "q3": map[string]string{"samverkan": "genomfort", "halsofr": "paborjat",
			"slutenvard": "paborjat", "resurser": "ej_paborjat", "privata": "genomfort"},
		"q4": "Samverkan", "q5": "nej", "q5a": "Under 2024", "q6": "Proaktiva arbetssätt",
		"q7": map[string]map[string]int{"overenskommelsen": {"primarvard": 120000000, "landsbygd": 20000000}, "egna": {"primarvard": 900000000, "landsbygd": 50000000}},
		"q8": "Resurssättning", "q9": 1650, "q10": "Plan mot 1 100", "q11": "ja", "q11a": "ska försvinna", "q12": "ja", "q13": []string{"primarvard"},
		"q14": "Patientkontrakt", "q15": "AT och ST", "q17": "Användning", "q18": "alla", "jq1": "Kvinnor och män", "jq2": "Jämställd hälsa",
	}
	for _, k := range leave {
		delete(m, k)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// rssAnswers answers the RSS's template for every municipality of the
// county: the first with "ja" and its branch, the others "nej"; badFirst
// leaves out the first municipality's required amount.
func rssAnswers(county string, badFirst bool) string {
	k1, k2, k4, k5 := map[string]string{}, map[string]string{}, map[string]int{}, map[string]string{}
	first := true
	for _, m := range geo.Municipalities() {
		if m.County != county {
			continue
		}
		if first {
			k1[m.Code], k2[m.Code] = "ja", "Insatser i "+m.Name
			if !badFirst {
				k4[m.Code] = 1000000
			}
			k5[m.Code] = "dold gren"
			first = false
			continue
		}
		k1[m.Code], k5[m.Code] = "nej", "Ingen insats"
	}
	b, _ := json.Marshal(map[string]any{"q1": "Länet", "q2": "Samverkan", "q3": "Kompetens", "q4": "Vidareutbildning",
		"jq1": "Kvinnor och män", "jq2": "Jämställd hälsa", "k1": k1, "k2": k2, "k4": k4, "k5": k5})
	return string(b)
}

func fieldKeys(out map[string]any) []string {
	e, _ := out["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return slices.Sorted(maps.Keys(f))
}

func body2(template, recipient, answers string) string {
	return fmt.Sprintf(`{"template":%q,"recipient":%q,"answers":%s}`, template, recipient, answers)
}

// TestActivityReportsThroughHTTP is issue 14's first Done-when through the
// API: a region's, an RSS's and SKR's interim report are filed, refused
// on signing while a visible required answer is missing (hidden branches
// dropped), signed, returned by their receiver, corrected, signed again
// and accepted; a report signed after the deadline is marked late.
func TestActivityReportsThroughHTTP(t *testing.T) {
	c, a, clk := setup(t, "2024-03-01T10:00:00+01:00")
	type u = struct {
		org  string
		role auth.Role
	}
	c.addUsers(a, map[string]u{
		"officer@rss-nb.se":         {"rss-25", auth.RecipientOfficer},
		"sign@rss-nb.se":            {"rss-25", auth.Signatory},
		"sign@vll.se":               {"region-24", auth.Signatory},
		"officer@skr.se":            {"skr", auth.RecipientOfficer},
		"sign@skr.se":               {"skr", auth.Signatory},
		"uppf@socialstyrelsen.se":   {"socialstyrelsen", auth.FollowUp},
		"uppf@regeringskansliet.se": {"socialdepartementet", auth.FollowUp},
	})
	must := func(want int, what string) func(int, map[string]any) map[string]any {
		return func(st int, out map[string]any) map[string]any {
			t.Helper()
			if st != want {
				t.Fatalf("%s: %d %v", what, st, out)
			}
			return out
		}
	}
	type flow struct {
		name, template, recipient, officer, signatory, receiver, wrongReceiver string
		at                                                                     time.Time
		incomplete, complete                                                   string
		missing                                                                []string // the fields the incomplete report lacks on signing
		dropped                                                                string   // a hidden answer dropped on signing
	}
	flows := []flow{
		{"region", "gnv-2023-verksamhetsrapport", "region-25", "officer@nll.se", "sign@nll.se", "uppf@socialstyrelsen.se", "uppf@regeringskansliet.se",
			time.Date(2024, 3, 1, 10, 0, 0, 0, clock.Stockholm), regionAnswers("q1", "q5a"), regionAnswers(), []string{"q1", "q5a"}, "q11a"},
		{"rss", "gnv-2023-verksamhetsrapport-rss", "rss-25", "officer@rss-nb.se", "sign@rss-nb.se", "uppf@socialstyrelsen.se", "uppf@regeringskansliet.se",
			time.Date(2024, 3, 1, 10, 0, 0, 0, clock.Stockholm), rssAnswers("25", true), rssAnswers("25", false), []string{"k4.2505"}, "k5"},
		{"skr interim", "gnv-2023-skr-delrapport", "skr", "officer@skr.se", "sign@skr.se", "uppf@regeringskansliet.se", "uppf@socialstyrelsen.se",
			time.Date(2023, 9, 15, 10, 0, 0, 0, clock.Stockholm),
			`{"d1":"Halvåret","d2":{"nara_vard":"enligt_plan","kontinuitet":"enligt_plan","patientkontrakt":"forsenat","medarbetare":"enligt_plan","ehalsa":"enligt_plan"},"d3":"ja","d4":"Nästa år"}`,
			`{"d1":"Halvåret","d2":{"nara_vard":"enligt_plan","kontinuitet":"enligt_plan","patientkontrakt":"forsenat","medarbetare":"enligt_plan","ehalsa":"enligt_plan","ambulans":"ej_paborjat"},"d3":"ja","d3a":"Hinder","d4":"Nästa år"}`,
			[]string{"d2.ambulans", "d3a"}, ""},
	}
	for _, f := range flows {
		clk.Set(f.at)
		out := must(201, f.name+": create")(c.do(f.officer, "POST", "/api/v1/activity-reports", body2(f.template, f.recipient, f.incomplete)))
		id := out["id"].(string)
		if out["status"] != "draft" {
			t.Errorf("%s: created %v", f.name, out["status"])
		}
		st, out := c.do(f.signatory, "POST", "/api/v1/activity-reports/"+id+"/sign", "")
		if e, _ := out["error"].(map[string]any); st != 422 || e["code"] != "invalid" || !slices.Equal(fieldKeys(out), f.missing) {
			t.Errorf("%s: signing the incomplete report: %d %v, want 422 invalid with %v", f.name, st, out, f.missing)
		}
		must(200, f.name+": complete")(c.do(f.officer, "PUT", "/api/v1/activity-reports/"+id, `{"answers":`+f.complete+`}`))
		if st, _ := c.do(f.officer, "POST", "/api/v1/activity-reports/"+id+"/sign", ""); st != 403 {
			t.Errorf("%s: an officer signs: %d", f.name, st)
		}
		out = must(200, f.name+": sign")(c.do(f.signatory, "POST", "/api/v1/activity-reports/"+id+"/sign", ""))
		answers, _ := out["answers"].(map[string]any)
		if out["status"] != "submitted" || out["late"] != false {
			t.Errorf("%s: signed %v late %v", f.name, out["status"], out["late"])
		}
		checkDropped(t, f.name, answers, f.dropped)
		if st, _ := c.do(f.officer, "PUT", "/api/v1/activity-reports/"+id, `{"answers":`+f.complete+`}`); st != 409 {
			t.Errorf("%s: a submitted report changed: %d", f.name, st)
		}
		if st, _ := c.do(f.wrongReceiver, "POST", "/api/v1/activity-reports/"+id+"/return", `{"reason":"x"}`); st != 403 {
			t.Errorf("%s: returned by the wrong receiver: %d", f.name, st)
		}
		must(422, f.name+": return without reason")(c.do(f.receiver, "POST", "/api/v1/activity-reports/"+id+"/return", `{"reason":" "}`))
		out = must(200, f.name+": return")(c.do(f.receiver, "POST", "/api/v1/activity-reports/"+id+"/return", `{"reason":"Komplettera"}`))
		if out["status"] != "returned" || out["return_reason"] != "Komplettera" {
			t.Errorf("%s: returned %v", f.name, out)
		}
		must(200, f.name+": correct")(c.do(f.officer, "PUT", "/api/v1/activity-reports/"+id, `{"answers":`+f.complete+`}`))
		must(200, f.name+": sign again")(c.do(f.signatory, "POST", "/api/v1/activity-reports/"+id+"/sign", ""))
		out = must(200, f.name+": accept")(c.do(f.receiver, "POST", "/api/v1/activity-reports/"+id+"/accept", ""))
		if out["status"] != "accepted" || out["accepted_by"] != f.receiver {
			t.Errorf("%s: accepted %v", f.name, out)
		}
		must(409, f.name+": accept twice")(c.do(f.receiver, "POST", "/api/v1/activity-reports/"+id+"/accept", ""))
		list := must(200, f.name+": list")(c.do(f.receiver, "GET", "/api/v1/activity-reports?template="+f.template+"&status=accepted", ""))
		if got, _ := list["activity_reports"].([]any); len(got) != 1 {
			t.Errorf("%s: accepted list %v", f.name, got)
		}
		must(409, f.name+": a second report")(c.do(f.officer, "POST", "/api/v1/activity-reports", body2(f.template, f.recipient, f.complete)))
	}
	// Region Västerbotten signs after 31 March 2024: accepted, marked late.
	clk.Set(time.Date(2024, 4, 2, 9, 0, 0, 0, clock.Stockholm))
	out := must(201, "late create")(c.do("officer@vll.se", "POST", "/api/v1/activity-reports", body2("gnv-2023-verksamhetsrapport", "region-24", regionAnswers())))
	out = must(200, "late sign")(c.do("sign@vll.se", "POST", "/api/v1/activity-reports/"+out["id"].(string)+"/sign", ""))
	if out["status"] != "submitted" || out["late"] != true {
		t.Errorf("late report: %v late %v", out["status"], out["late"])
	}
	// Wrong recipients and unknown questions.
	st, out := c.do("officer@nll.se", "POST", "/api/v1/activity-reports", body2("gnv-2023-skr-delrapport", "region-25", `{}`))
	if st != 422 || !slices.Equal(fieldKeys(out), []string{"recipient"}) {
		t.Errorf("a region files SKR's report: %d %v", st, out)
	}
	st, out = c.do("officer@vll.se", "POST", "/api/v1/activity-reports", body2("gnv-2023-verksamhetsrapport", "region-25", `{}`))
	if st != 403 {
		t.Errorf("another region's report: %d %v", st, out)
	}
	submitted := must(200, "list")(c.do("uppf@socialstyrelsen.se", "GET", "/api/v1/activity-reports?status=submitted", ""))
	if got, _ := submitted["activity_reports"].([]any); len(got) != 1 {
		t.Errorf("submitted: %v", got)
	}
	// Who has not begun: the 19 regions without a report; none for SKR's.
	for template, want := range map[string]int{"gnv-2023-verksamhetsrapport": 19, "gnv-2023-verksamhetsrapport-rss": 20, "gnv-2023-skr-delrapport": 0} {
		out := must(200, "not started")(c.do("uppf@socialstyrelsen.se", "GET", "/api/v1/activity-reports?template="+template, ""))
		if got, ok := out["not_started"].([]any); !ok || len(got) != want || (want > 0 && slices.Contains(got, any("region-25"))) {
			t.Errorf("%s: not started %v, want %d", template, out["not_started"], want)
		}
	}
	if _, ok := must(200, "list")(c.do("officer@vll.se", "GET", "/api/v1/activity-reports?template=gnv-2023-verksamhetsrapport", ""))["not_started"]; ok {
		t.Error("a region sees who has not begun")
	}
	if st, out := c.do("officer@vll.se", "GET", "/api/v1/activity-reports?template=gnv-2023-verksamhetsrapport", ""); st != 200 || len(out["activity_reports"].([]any)) != 1 {
		t.Errorf("region-24 sees %d %v", st, out)
	}
}

// checkDropped: the hidden answer is gone from the signed report (for a
// question per municipality, from the municipality whose branch hides
// it).
func checkDropped(t *testing.T, name string, answers map[string]any, id string) {
	t.Helper()
	if id == "" {
		return
	}
	v, ok := answers[id]
	if m, isMap := v.(map[string]any); isMap {
		_, ok = m["2505"]
	}
	if ok {
		t.Errorf("%s: the hidden answer %s was kept: %v", name, id, v)
	}
}

// TestPublishTemplate: Socialstyrelsen's follow-up officer publishes a new
// template version; an inconsistent one is refused naming the question;
// an id that exists, shipped or published, is refused; others may not
// publish.
func TestPublishTemplate(t *testing.T) {
	c, a, _ := setup(t, "2023-05-15T10:00:00+02:00")
	c.addUsers(a, map[string]struct {
		org  string
		role auth.Role
	}{"uppf@socialstyrelsen.se": {"socialstyrelsen", auth.FollowUp}, "uppf@regeringskansliet.se": {"socialdepartementet", auth.FollowUp}})
	const tmpl = `{"id": "gnv-2023-verksamhetsrapport-v2", "title": "Verksamhetsrapport, version 2", "agreement": "gnv-2023",
	 "recipients": ["region"], "receiver": "socialstyrelsen", "deadline": "activity_report",
	 "sections": [{"id": "s1", "title": "Insatser", "questions": [
	  {"id": "q1", "text": "Har regionen genomfört insatser?", "type": "yesno", "required": true, "conditions": ["2.1"]},
	  {"id": "q2", "text": "Beskriv dem.", "type": "text", "required": true, "visible_if": {"question": "q1", "equals": "ja"}}]}]}`
	tests := []struct {
		name, user, body string
		status           int
		want             string
	}{
		{"visible_if to an unknown question", "uppf@socialstyrelsen.se", strings.Replace(tmpl, `"question": "q1"`, `"question": "q7"`, 1), 422, `fråga q2: visible_if hänvisar till \"q7\", som inte finns`},
		{"duplicate id", "uppf@socialstyrelsen.se", strings.Replace(tmpl, `{"id": "q2"`, `{"id": "q1"`, 1), 422, `fråga \"q1\": id finns redan`},
		{"unknown condition", "uppf@socialstyrelsen.se", strings.Replace(tmpl, `["2.1"]`, `["9.9"]`, 1), 422, `villkoret \"9.9\" finns inte`},
		{"shipped id", "uppf@socialstyrelsen.se", strings.Replace(tmpl, `-v2"`, `"`, 1), 409, "finns redan"},
		{"the ministry", "uppf@regeringskansliet.se", tmpl, 403, "Socialstyrelsen"},
		{"a region", "officer@nll.se", tmpl, 403, ""},
		{"published", "uppf@socialstyrelsen.se", tmpl, 201, `"id":"gnv-2023-verksamhetsrapport-v2"`},
		{"published twice", "uppf@socialstyrelsen.se", strings.Replace(tmpl, "version 2", "version 2 ändrad", 1), 409, "ändras aldrig"},
	}
	for _, tc := range tests {
		st, raw := c.raw(tc.user, "POST", "/api/v1/question-templates", tc.body)
		if st != tc.status || !strings.Contains(raw, tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, st, raw, tc.status, tc.want)
		}
	}
	st, out := c.do("officer@nll.se", "GET", "/api/v1/question-templates/gnv-2023-verksamhetsrapport-v2", "")
	if st != 200 || out["title"] != "Verksamhetsrapport, version 2" {
		t.Errorf("the published template: %d %v", st, out)
	}
	st, out = c.do("officer@nll.se", "POST", "/api/v1/activity-reports", body2("gnv-2023-verksamhetsrapport-v2", "region-25", `{"q1":"nej","q2":"dold"}`))
	if st != 201 || fmt.Sprint(out["answers"]) != "map[q1:nej]" {
		t.Errorf("a report on the published template: %d %v", st, out)
	}
}

// TestActivityExport: a template's reports as CSV and XLSX have one row
// per report and one column per answer cell, and the cells hold the
// answers exactly; only those who read everything get them.
func TestActivityExport(t *testing.T) {
	c, a, _ := setup(t, "2024-03-01T10:00:00+01:00")
	c.addUsers(a, map[string]struct {
		org  string
		role auth.Role
	}{"uppf@socialstyrelsen.se": {"socialstyrelsen", auth.FollowUp}, "officer@rss-nb.se": {"rss-25", auth.RecipientOfficer}})
	for _, r := range []struct{ user, template, recipient, answers string }{
		{"officer@nll.se", "gnv-2023-verksamhetsrapport", "region-25", regionAnswers("q1")},
		{"officer@vll.se", "gnv-2023-verksamhetsrapport", "region-24", regionAnswers()},
		{"officer@rss-nb.se", "gnv-2023-verksamhetsrapport-rss", "rss-25", rssAnswers("25", false)},
	} {
		if st, out := c.do(r.user, "POST", "/api/v1/activity-reports", body2(r.template, r.recipient, r.answers)); st != 201 {
			t.Fatalf("%s: %d %v", r.recipient, st, out)
		}
	}
	if st, _ := c.do("officer@nll.se", "GET", "/api/v1/activity-reports.csv?template=gnv-2023-verksamhetsrapport", ""); st != 403 {
		t.Errorf("a region exports: %d", st)
	}
	tests := []struct {
		template string
		rows     int
		cells    map[string][2]string // key: the first row's and the last row's cell
	}{
		{"gnv-2023-verksamhetsrapport", 2, map[string][2]string{"mottagare": {"region-24", "region-25"}, "q1": {"Insatser för omställningen", ""},
			"q3.halsofr": {"paborjat", "paborjat"}, "q7.egna.landsbygd": {"50000000", "50000000"}, "q13": {"primarvard", "primarvard"},
			"q5a": {"Under 2024", "Under 2024"}, "q11a": {"", ""}, "status": {"draft", "draft"}, "sen": {"false", "false"}}},
		{"gnv-2023-verksamhetsrapport-rss", 1, map[string][2]string{"k4.2505": {"1000000", "1000000"}, "k5.2505": {"", ""}, "k1.2510": {"nej", "nej"}}},
	}
	for _, tc := range tests {
		st, out := c.do("uppf@socialstyrelsen.se", "GET", "/api/v1/activity-reports.csv?template="+tc.template, "")
		raw, _ := out["raw"].(string)
		records, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
		if st != 200 || err != nil || len(records) != tc.rows+1 {
			t.Fatalf("%s: %d %v %q", tc.template, st, err, raw)
		}
		col := map[string]int{}
		for i, h := range records[0] {
			col[h] = i
		}
		for key, want := range tc.cells {
			i, ok := col[key]
			if !ok {
				t.Errorf("%s: no column %s", tc.template, key)
				continue
			}
			if got := [2]string{records[1][i], records[len(records)-1][i]}; got != want {
				t.Errorf("%s: %s = %q, want %q", tc.template, key, got, want)
			}
		}
	}
	st, out := c.do("uppf@socialstyrelsen.se", "GET", "/api/v1/activity-reports.xlsx?template=gnv-2023-verksamhetsrapport", "")
	raw, _ := out["raw"].(string)
	f, err := excelize.OpenReader(strings.NewReader(raw))
	if st != 200 || err != nil {
		t.Fatalf("xlsx: %d %v", st, err)
	}
	rows, err := f.GetRows("Verksamhetsrapporter")
	if err != nil || len(rows) != 3 || rows[0][5] != "q1" || rows[1][1] != "region-24" || rows[1][5] != "Insatser för omställningen" {
		t.Errorf("xlsx rows: %v %v", rows, err)
	}
}
