package api

import (
	"fmt"
	"strings"
	"testing"
)

// jamtlandFigures are made-up key figures for Jämtland's eight
// municipalities (the product ships none).
const jamtlandFigures = `[{"kommun":"2303","befolkning":5000,"kommunal_hsv":100},{"kommun":"2305","befolkning":6000,"kommunal_hsv":100},
{"kommun":"2309","befolkning":15000,"kommunal_hsv":300},{"kommun":"2313","befolkning":11000,"kommunal_hsv":200},
{"kommun":"2321","befolkning":12000,"kommunal_hsv":200},{"kommun":"2326","befolkning":7000,"kommunal_hsv":100},
{"kommun":"2361","befolkning":10000,"kommunal_hsv":200},{"kommun":"2380","befolkning":34000,"kommunal_hsv":800}]`

// TestOnwardDecisionAndPayments: Jämtland's RSS drafts a split of its
// allocation by population, is refused a manual split one krona off,
// its signatory decides, a municipality sees its own rows; the RSS cannot
// pass on more than Kammarkollegiet has paid it (409) and Östersund sees
// what it received and when; a new decision replaces the old.
func TestOnwardDecisionAndPayments(t *testing.T) {
	c, a, _ := setup(t, "2023-11-15T10:00:00+01:00")
	addUsers(t, c, a, "rss-23", "kommun-2380", "kommun-2580")
	al, ok := a.Allocation("gnv-2023", "rss-23")
	if !ok || len(al.Components) == 0 {
		t.Fatal("rss-23 has no allocation")
	}
	specs := func(key string) string {
		var parts []string
		for _, comp := range al.Components {
			parts = append(parts, fmt.Sprintf(`%q:{"key":%q}`, comp.ID, key))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	draft := fmt.Sprintf(`{"agreement":"gnv-2023","rss":"rss-23","components":%s,"figures":%s}`, specs("population"), jamtlandFigures)

	if st, out := c.do("o@kommun-2380.se", "POST", "/api/v1/onward-decisions", draft); st != 403 {
		t.Errorf("a municipality drafts: %d %v", st, out)
	}
	// A manual split of the first component one krona off.
	first := al.Components[0]
	var amounts []string
	codes := []string{"2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"}
	for i, k := range codes {
		amt := int64(first.Amount) / 8
		if i == 0 {
			amt += int64(first.Amount)%8 + 1
		}
		amounts = append(amounts, fmt.Sprintf(`{"kommun":%q,"component":%q,"amount_kr":%d}`, k, first.ID, amt))
	}
	manualSpecs := strings.Replace(specs("population"), fmt.Sprintf(`%q:{"key":"population"}`, first.ID), fmt.Sprintf(`%q:{"key":"manual"}`, first.ID), 1)
	manual := fmt.Sprintf(`{"agreement":"gnv-2023","rss":"rss-23","components":%s,"figures":%s,"amounts":[%s]}`, manualSpecs, jamtlandFigures, strings.Join(amounts, ","))
	if st, out := c.do("o@rss-23.se", "POST", "/api/v1/onward-decisions", manual); st != 422 || !strings.Contains(fmt.Sprint(out), "skillnad 1 kr") {
		t.Errorf("manual split one krona off: %d %v", st, out)
	}
	// Figures as an uploaded file, with an error at its line.
	csvDraft := fmt.Sprintf(`{"agreement":"gnv-2023","rss":"rss-23","components":%s,"figures_csv":"kommun;befolkning;kommunal_hsv\n2380;x;1\n"}`, specs("population"))
	if st, out := c.do("o@rss-23.se", "POST", "/api/v1/onward-decisions", csvDraft); st != 422 || !strings.Contains(fmt.Sprint(out), "figures.csv:2") {
		t.Errorf("bad figures file: %d %v", st, out)
	}

	st, out := c.do("o@rss-23.se", "POST", "/api/v1/onward-decisions", draft)
	if st != 201 || out["status"] != "draft" {
		t.Fatalf("draft: %d %v", st, out)
	}
	id := out["id"].(string)
	rows := out["rows"].([]any)
	if len(rows) != 8*len(al.Components) {
		t.Fatalf("%d rows, want %d", len(rows), 8*len(al.Components))
	}
	sums := map[string]int64{}
	for _, r := range rows {
		m := r.(map[string]any)
		sums[m["component"].(string)] += num(m["amount_kr"])
	}
	for _, comp := range al.Components {
		if sums[comp.ID] != int64(comp.Amount) {
			t.Errorf("%s: rows sum to %d, want %d", comp.ID, sums[comp.ID], comp.Amount)
		}
	}
	ostersund := num(out["totals"].(map[string]any)["2380"])

	if st, out := c.do("o@rss-23.se", "POST", "/api/v1/onward-decisions/"+id+"/decide", `{"decision_date":"2023-11-14","reference":"RSS 2023/7"}`); st != 403 {
		t.Errorf("the officer decides: %d %v", st, out)
	}
	if st, out := c.do("s@rss-23.se", "POST", "/api/v1/onward-decisions/"+id+"/decide", `{"decision_date":"2023-11-14","reference":"RSS 2023/7"}`); st != 200 || out["status"] != "decided" {
		t.Fatalf("decide: %d %v", st, out)
	}
	st, out = c.do("o@kommun-2380.se", "GET", "/api/v1/onward-decisions/"+id, "")
	if st != 200 || len(out["rows"].([]any)) != len(al.Components) {
		t.Errorf("Östersund reads: %d %v", st, out)
	}
	if st, out := c.do("o@kommun-2580.se", "GET", "/api/v1/onward-decisions/"+id, ""); st != 403 {
		t.Errorf("Luleå reads Jämtland's: %d %v", st, out)
	}

	pay := func(lines string) (int, map[string]any) {
		return c.do("o@rss-23.se", "POST", "/api/v1/onward-payments", fmt.Sprintf(`{"decision":%q,"paid_on":"2023-12-01","lines":%s}`, id, lines))
	}
	if st, out := pay(`[{"kommun":"2380","amount_kr":1}]`); st != 409 || !strings.Contains(fmt.Sprint(out), "mer än den har fått") {
		t.Errorf("paying on before receiving: %d %v", st, out)
	}
	// Kammarkollegiet pays the RSS 1 000 000 kr.
	c.readyToPay()
	req := strings.Replace(body("1000000", "5050-1055"), `"recipient":"region-25"`, `"recipient":"rss-23"`, 1)
	st, out = c.do("o@rss-23.se", "POST", "/api/v1/requisitions", req)
	if st != 201 {
		t.Fatalf("requisition: %d %v", st, out)
	}
	rq := out["id"].(string)
	for _, step := range []struct{ user, path string }{{"s@rss-23.se", "/sign"}, {"pay@kammarkollegiet.se", "/approve"}} {
		if st, out := c.do(step.user, "POST", "/api/v1/requisitions/"+rq+step.path, ""); st != 200 {
			t.Fatalf("%s: %d %v", step.path, st, out)
		}
	}
	st, out = c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`)
	if st != 201 {
		t.Fatalf("batch: %d %v", st, out)
	}
	b := out["id"].(string)
	c.attest(b)
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches/"+b+"/confirm", `{"paid_on":"2023-11-15"}`); st != 200 {
		t.Fatalf("confirm: %d %v", st, out)
	}

	if ostersund < 600_000 {
		t.Fatalf("Östersund's share %d is too small for this test", ostersund)
	}
	st, out = pay(`[{"kommun":"2380","amount_kr":600000}]`)
	if st != 201 || num(out["total_kr"]) != 600000 {
		t.Fatalf("pay Östersund: %d %v", st, out)
	}
	// Its payment file: not before the RSS has an account of its own; never
	// for a municipality.
	file := "/api/v1/onward-payments/" + out["id"].(string) + "/pain.001"
	if st, out := c.do("o@rss-23.se", "GET", file, ""); st != 409 || !strings.Contains(fmt.Sprint(out), "inget eget konto") {
		t.Errorf("the payment file without the RSS's account: %d %v", st, out)
	}
	if st, _ := c.do("o@kommun-2380.se", "GET", file, ""); st != 403 {
		t.Errorf("Östersund has the RSS's payment file: %d", st)
	}
	if st, out := pay(`[{"kommun":"2309","amount_kr":400001}]`); st != 409 || !strings.Contains(fmt.Sprint(out), "högst 400 000 kr") {
		t.Errorf("one krona more than received: %d %v", st, out)
	}
	if st, out := pay(`[{"kommun":"2380","amount_kr":` + fmt.Sprint(ostersund-600_000+1) + `}]`); st != 409 {
		t.Errorf("more than the decision gives Östersund: %d %v", st, out)
	}
	st, out = c.do("o@kommun-2380.se", "GET", "/api/v1/recipients/kommun-2380/onward?agreement=gnv-2023", "")
	if st != 200 || num(out["received_kr"]) != 600000 || num(out["decided_kr"]) != ostersund || out["rss"] != "rss-23" {
		t.Fatalf("Östersund's status: %d %v", st, out)
	}
	if p := out["payments"].([]any); len(p) != 1 || p[0].(map[string]any)["paid_on"] != "2023-12-01" {
		t.Errorf("Östersund's payments: %v", p)
	}
	if st, _ := c.do("o@kommun-2580.se", "GET", "/api/v1/recipients/kommun-2380/onward?agreement=gnv-2023", ""); st != 403 {
		t.Errorf("Luleå reads Östersund's: %d", st)
	}

	// A new decision replaces the old one, which stays as history.
	st, out = c.do("o@rss-23.se", "POST", "/api/v1/onward-decisions", fmt.Sprintf(`{"agreement":"gnv-2023","rss":"rss-23","components":%s}`, specs("equal")))
	if st != 201 {
		t.Fatalf("second draft: %d %v", st, out)
	}
	second := out["id"].(string)
	if st, out := c.do("s@rss-23.se", "POST", "/api/v1/onward-decisions/"+second+"/decide", `{"decision_date":"2023-11-15","reference":"RSS 2023/8"}`); st != 200 {
		t.Fatalf("decide second: %d %v", st, out)
	}
	st, out = c.do("o@rss-23.se", "GET", "/api/v1/onward-decisions?agreement=gnv-2023&rss=rss-23", "")
	list, _ := out["onward_decisions"].([]any)
	if st != 200 || len(list) != 2 {
		t.Fatalf("history: %d %v", st, out)
	}
	for _, d := range list { // both made at the same frozen moment: in any order
		d := d.(map[string]any)
		if d["id"] == second && d["status"] != "decided" || d["id"] != second && (d["status"] != "replaced" || d["replaced_by"] != second) {
			t.Errorf("history: %v", d)
		}
	}
}
