package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/auth"
	"narvard/internal/clock"
)

// regionTable is a regional data collection given inline: clinics that
// show bookable times and that let patients book (seed 001, Tabell 2).
const regionTable = `{"id": "webbtidbok-2020", "title": "Mottagningar med webbtidbok", "sections": [{"id": "s1", "title": "Webbtidbok",
 "questions": [{"id": "t1", "text": "Antal mottagningar med webbtidbok, mars 2020", "type": "table", "min": 0,
  "rows": [{"id": "mottagningar", "text": "Mottagningar"}], "columns": [{"id": "visa", "text": "Visa tid"}, {"id": "boka", "text": "Boka tid"}]}]}]}`

// TestSurveyFlow: Socialstyrelsen sends the municipal survey; Ale answers
// on the API and may change its answer until the survey closes; an import
// with one bad row changes nothing and names the line; a good one is
// counted; the results, their workbook, the answers export, who is missing
// and a reminder.
func TestSurveyFlow(t *testing.T) {
	c, a, clk := setup(t, "2019-12-20T10:00:00+01:00")
	c.addUsers(a, map[string]struct {
		org  string
		role auth.Role
	}{
		"uppf@socialstyrelsen.se": {"socialstyrelsen", auth.FollowUp},
		"officer@ale.se":          {"kommun-1440", auth.RecipientOfficer},
		"officer@alingsas.se":     {"kommun-1489", auth.RecipientOfficer},
	})
	st, out := c.do("uppf@socialstyrelsen.se", "POST", "/api/v1/surveys",
		`{"template":"enkat-kommuner-2019","recipients":"kommuner","opens":"2019-12-16","closes":"2020-01-27"}`)
	if st != 201 {
		t.Fatalf("create: %d %v", st, out)
	}
	id := out["id"].(string)
	p := "/api/v1/surveys/" + id
	if rec, _ := out["recipients"].([]any); len(rec) != 290 {
		t.Errorf("invited %d", len(rec))
	}
	for _, bad := range []string{
		`{"template":"finns-inte","recipients":"kommuner","opens":"2019-12-16","closes":"2020-01-27"}`,
		`{"template":"enkat-kommuner-2019","recipients":"landsting","opens":"2019-12-16","closes":"2020-01-27"}`,
		`{"template":"enkat-kommuner-2019","recipients":["kommun-1440","kammarkollegiet"],"opens":"2019-12-16","closes":"2020-01-27"}`,
		`{"template":"enkat-kommuner-2019","recipients":"kommuner","opens":"2020-02-01","closes":"2020-01-27"}`,
	} {
		if st, out := c.do("uppf@socialstyrelsen.se", "POST", "/api/v1/surveys", bad); st != 422 && st != 404 {
			t.Errorf("%s: %d %v", bad, st, out)
		}
	}
	ale := `{"answers":{"q1":{"politisk":"ja"},"q2":"nej","q2a":"ja","q3":{"sjukskoterska":"brist","farmaceut":"finns_inte"},"q4":"Hyrpersonal"}}`
	if st, out := c.do("officer@ale.se", "PUT", p+"/responses/kommun-1440", ale); st != 200 || out["submitted"] != true {
		t.Fatalf("answer: %d %v", st, out)
	}
	if st, out := c.do("officer@ale.se", "PUT", p+"/responses/kommun-1440", `{"answers":{"q9":"ja","q3":{"sjukskoterska":"mycket"}}}`); st != 422 || !slices2(fieldKeys(out), "q3.sjukskoterska", "q9") {
		t.Errorf("bad answer: %d %v", st, out)
	}
	if st, _ := c.do("officer@alingsas.se", "PUT", p+"/responses/kommun-1440", ale); st != 403 {
		t.Errorf("another's answer: %d", st)
	}
	// One bad row (line 4: a municipality not invited is fine, but
	// kommun-9999 does not exist) and nothing is stored.
	badCSV := "recipient;q2;q3.sjukskoterska\r\nkommun-0114;ja;brist\r\nkommun-1489;nej;balans\r\nkommun-9999;ja;brist\r\n"
	st, out = c.do("uppf@socialstyrelsen.se", "POST", p+"/responses/import?filename=svar.csv", badCSV)
	if e, _ := out["error"].(map[string]any); st != 422 || !strings.Contains(e["message"].(string), "svar.csv:4") {
		t.Errorf("bad import: %d %v", st, out)
	}
	if st, out := c.do("uppf@socialstyrelsen.se", "GET", p+"/results", ""); st != 200 || jn(out["responded"]) != "1" {
		t.Fatalf("results after a refused import: %d %v", st, out)
	}
	good := "recipient;q2;q2a;q3.sjukskoterska;q3.farmaceut;q4\r\nkommun-0114;ja;;brist;vet_inte;\r\nkommun-1489;nej;nej;balans;;Omfördelning\r\n"
	if st, out := c.do("uppf@socialstyrelsen.se", "POST", p+"/responses/import", good); st != 200 || jn(out["imported"]) != "2" {
		t.Fatalf("import: %d %v", st, out)
	}
	// After closing, Ale cannot change its answer.
	clk.Set(time.Date(2020, 1, 28, 0, 0, 1, 0, clock.Stockholm))
	if st, out := c.do("officer@ale.se", "PUT", p+"/responses/kommun-1440", ale); st != 422 || code(out) != "deadline_passed" {
		t.Errorf("after closing: %d %v", st, out)
	}
	checkSurveyResults(t, c, p)
	// Who is missing, and a reminder.
	st, out = c.do("uppf@socialstyrelsen.se", "GET", p+"/missing", "")
	if missing, _ := out["missing"].([]any); st != 200 || len(missing) != 287 {
		t.Errorf("missing: %d %d", st, len(missing))
	}
	if st, out := c.do("uppf@socialstyrelsen.se", "POST", p+"/reminders", `{"recipients":["kommun-1440"]}`); st != 422 {
		t.Errorf("reminding one who answered: %d %v", st, out)
	}
	st, out = c.do("uppf@socialstyrelsen.se", "POST", p+"/reminders", `{"recipients":["kommun-0180"]}`)
	if rem, _ := out["reminders"].([]any); st != 201 || len(rem) != 1 || rem[0].(map[string]any)["mailed_at"] == nil { // its mail went to the outbox
		t.Errorf("remind: %d %v", st, out)
	}
	if st, out := c.do("uppf@socialstyrelsen.se", "GET", p+"/missing", ""); len(out["reminders"].([]any)) != 1 {
		t.Errorf("reminders recorded: %d %v", st, out)
	}
}

func slices2(got []string, want ...string) bool {
	return strings.Join(got, ",") == strings.Join(want, ",")
}

// checkSurveyResults: the results JSON in the shape, the branch's
// own n, the workbook's numeric cells and the answers export.
func checkSurveyResults(t *testing.T, c *client, p string) {
	t.Helper()
	st, out := c.do("analys@regeringskansliet.se", "GET", p+"/results", "")
	if st != 200 || jn(out["invited"]) != "290" || jn(out["responded"]) != "3" {
		t.Fatalf("results: %d %v", st, out)
	}
	qs := map[string]map[string]any{}
	for _, q := range out["questions"].([]any) {
		qs[q.(map[string]any)["id"].(string)] = q.(map[string]any)
	}
	if q := qs["q2a"]; jn(q["n"]) != "2" || jn(q["branch"].(map[string]any)["n"]) != "2" {
		t.Errorf("q2a: %v", q)
	}
	row := qs["q3"]["rows"].([]any)[0].(map[string]any)
	if row["id"] != "sjukskoterska" || jn(row["n"]) != "3" || jn(row["counts"].(map[string]any)["brist"]) != "2" ||
		jn(row["percent"].(map[string]any)["brist"]) != "67" || jn(row["percent"].(map[string]any)["balans"]) != "33" {
		t.Errorf("q3 sjuksköterska: %v", row)
	}
	if q := qs["q2"]; jn(q["percent"].(map[string]any)["ja"]) != "33" || jn(q["counts"].(map[string]any)["nej"]) != "2" {
		t.Errorf("q2: %v", q)
	}
	st, out = c.do("uppf@socialstyrelsen.se", "GET", p+"/results.xlsx", "")
	f, err := excelize.OpenReader(strings.NewReader(out["raw"].(string)))
	if st != 200 || err != nil {
		t.Fatalf("xlsx: %d %v", st, err)
	}
	rows, _ := f.GetRows("Resultat")
	if len(rows) < 2 || rows[1][0] != "3 av 290 kommuner har svarat (1 %)" {
		t.Errorf("xlsx: %v", rows)
	}
	st, out = c.do("uppf@socialstyrelsen.se", "GET", p+"/responses.csv", "")
	lines := strings.Split(strings.TrimSpace(out["raw"].(string)), "\n")
	if st != 200 || len(lines) != 4 || !strings.HasPrefix(lines[0], "recipient,namn,källa,besvarad,q1.politisk") {
		t.Errorf("answers export: %d %q", st, lines)
	}
}

// TestRegionalCollection: the same machinery collects figures from the
// regions, with totals per column (an inline template).
func TestRegionalCollection(t *testing.T) {
	c, a, _ := setup(t, "2020-03-10T10:00:00+01:00")
	c.addUsers(a, map[string]struct {
		org  string
		role auth.Role
	}{"uppf@socialstyrelsen.se": {"socialstyrelsen", auth.FollowUp}})
	st, out := c.do("uppf@socialstyrelsen.se", "POST", "/api/v1/surveys", `{"template":`+regionTable+`,"recipients":"regioner","opens":"2020-03-01","closes":"2020-03-31"}`)
	if st != 201 {
		t.Fatalf("create: %d %v", st, out)
	}
	p := "/api/v1/surveys/" + out["id"].(string)
	csv := "recipient,t1.mottagningar.visa,t1.mottagningar.boka\nregion-10,23,12\nregion-20,85,59\nregion-25,185,118\n"
	if st, out := c.do("uppf@socialstyrelsen.se", "POST", p+"/responses/import", csv); st != 200 {
		t.Fatalf("import: %d %v", st, out)
	}
	if st, out := c.do("officer@nll.se", "PUT", p+"/responses/region-25", `{"answers":{"t1":{"mottagningar":{"visa":186,"boka":118}}}}`); st != 200 {
		t.Fatalf("answer: %d %v", st, out)
	}
	_, out = c.do("uppf@socialstyrelsen.se", "GET", p+"/results", "")
	q := out["questions"].([]any)[0].(map[string]any)
	tot := q["totals"].([]any)
	visa, boka := tot[0].(map[string]any), tot[1].(map[string]any)
	if jn(q["n"]) != "3" || jn(visa["sum"]) != "294" || jn(boka["sum"]) != "189" || boka["mean"] != "63" || visa["median"] != "85" || visa["mean"] != "98" {
		t.Errorf("totals: %#v %#v %#v", q["n"], visa, boka)
	}
}

// jn is a number of a decoded answer as text.
func jn(v any) string { return fmt.Sprint(v) }
