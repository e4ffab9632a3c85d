package api

import (
	"fmt"
	"strings"
	"testing"
)

// payRSS has Kammarkollegiet pay Jämtland's RSS the amount (a requisition
// signed, approved and paid in an attested, confirmed batch).
func payRSS(t *testing.T, c *client, amount string) {
	t.Helper()
	c.readyToPay()
	req := strings.Replace(body(amount, "5050-1055"), `"recipient":"region-25"`, `"recipient":"rss-23"`, 1)
	st, out := c.do("o@rss-23.se", "POST", "/api/v1/requisitions", req)
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
}

// TestMunicipalReports: Jämtland's RSS, paid 1 000 000 kr, passes 300 000
// kr on to Östersund by an equal split; Östersund reports its costs per
// component (one above what it received: 201 with "over", a warning),
// others are refused; signed, returned, corrected, signed and accepted;
// the RSS's list shows who has reported, and its financial report shows
// its own part, each municipality's row and the totals.
func TestMunicipalReports(t *testing.T) {
	c, a, _ := setup(t, "2023-11-15T10:00:00+01:00")
	addUsers(t, c, a, "rss-23", "kommun-2380", "kommun-2321", "kommun-2580")
	al, _ := a.Allocation("gnv-2023", "rss-23")
	var specs []string
	for _, comp := range al.Components {
		specs = append(specs, fmt.Sprintf(`%q:{"key":"equal"}`, comp.ID))
	}
	st, out := c.do("o@rss-23.se", "POST", "/api/v1/onward-decisions", `{"agreement":"gnv-2023","rss":"rss-23","components":{`+strings.Join(specs, ",")+`}}`)
	if st != 201 {
		t.Fatalf("onward draft: %d %v", st, out)
	}
	dec := out["id"].(string)
	if st, out := c.do("s@rss-23.se", "POST", "/api/v1/onward-decisions/"+dec+"/decide", `{"decision_date":"2023-11-14","reference":"RSS 2023/7"}`); st != 200 {
		t.Fatalf("decide: %d %v", st, out)
	}
	payRSS(t, c, "1000000")
	if st, out := c.do("o@rss-23.se", "POST", "/api/v1/onward-payments", `{"decision":"`+dec+`","paid_on":"2023-11-15","lines":[{"kommun":"2380","amount_kr":300000}]}`); st != 201 {
		t.Fatalf("onward payment: %d %v", st, out)
	}

	c0, c1 := al.Components[0].ID, al.Components[1].ID
	costs := fmt.Sprintf(`{"agreement":"gnv-2023","kommun":"kommun-2380","costs":[{"item":"Undersköterskor","component":%q,"amount_kr":100000},{"component":%q,"amount_kr":250000}]}`, c0, c1)
	for _, r := range []struct {
		name, user, body string
		status           int
	}{
		{"the RSS writes it", "o@rss-23.se", costs, 403},
		{"Åre writes Östersund's", "o@kommun-2321.se", costs, 403},
		{"the CFO writes it", "c@kommun-2380.se", costs, 403},
		{"an unknown component", "o@kommun-2380.se", `{"agreement":"gnv-2023","kommun":"kommun-2380","costs":[{"component":"x","amount_kr":1}]}`, 422},
		{"kronor with decimals", "o@kommun-2380.se", strings.Replace(costs, "100000", "100000.5", 1), 422},
	} {
		if st, out := c.do(r.user, "POST", "/api/v1/municipal-reports", r.body); st != r.status {
			t.Errorf("%s: %d %v, want %d", r.name, st, out, r.status)
		}
	}
	st, out = c.do("o@kommun-2380.se", "POST", "/api/v1/municipal-reports", costs)
	if st != 201 || out["status"] != "draft" || out["rss"] != "rss-23" || num(out["received_kr"]) != 300000 || num(out["reported_kr"]) != 350000 || num(out["left_kr"]) != -50000 {
		t.Fatalf("draft: %d %v", st, out)
	}
	id := out["id"].(string)
	comps := out["components"].([]any)
	var received int64
	for _, x := range comps {
		m := x.(map[string]any)
		received += num(m["received_kr"])
		if num(m["left_kr"]) != num(m["received_kr"])-num(m["reported_kr"]) || m["over"] != (num(m["reported_kr"]) > num(m["received_kr"])) {
			t.Errorf("component %v", m)
		}
	}
	if len(comps) != len(al.Components) || received != 300000 || comps[1].(map[string]any)["over"] != true {
		t.Errorf("components: %v", comps)
	}
	if st, out := c.do("o@kommun-2580.se", "GET", "/api/v1/municipal-reports/"+id, ""); st != 404 {
		t.Errorf("Luleå reads it: %d %v", st, out)
	}
	steps := []struct {
		user, method, path, body string
		status                   int
		want                     string
	}{
		{"o@kommun-2380.se", "POST", "/sign", "", 403, ""},
		{"s@kommun-2380.se", "POST", "/sign", "", 200, "submitted"},
		{"o@kommun-2380.se", "PUT", "", costs, 409, ""},
		{"s@kommun-2380.se", "POST", "/accept", "", 403, ""},
		{"o@rss-23.se", "POST", "/return", `{"reason":""}`, 422, ""},
		{"o@rss-23.se", "POST", "/return", `{"reason":"Underlag saknas."}`, 200, "returned"},
		{"o@kommun-2380.se", "PUT", "", strings.Replace(costs, "250000", "150000", 1), 200, "draft"},
		{"s@kommun-2380.se", "POST", "/sign", "", 200, "submitted"},
		{"s@rss-23.se", "POST", "/accept", "", 200, "accepted"},
		{"o@rss-23.se", "POST", "/return", `{"reason":"x"}`, 409, ""},
	}
	for i, s := range steps {
		st, out := c.do(s.user, s.method, "/api/v1/municipal-reports/"+id+s.path, s.body)
		if st != s.status || s.want != "" && out["status"] != s.want {
			t.Fatalf("step %d %s %s: %d %v, want %d %s", i, s.user, s.path, st, out, s.status, s.want)
		}
	}

	// The RSS's list: eight municipalities, Östersund reported.
	st, out = c.do("o@rss-23.se", "GET", "/api/v1/municipal-reports?agreement=gnv-2023&rss=rss-23", "")
	rows, _ := out["kommuner"].([]any)
	if reps, _ := out["municipal_reports"].([]any); st != 200 || len(rows) != 8 || len(reps) != 1 || reps[0].(map[string]any)["id"] != id {
		t.Fatalf("list: %d %v", st, out)
	}
	for _, x := range rows {
		m := x.(map[string]any)
		if (m["kommun"] == "kommun-2380") != (m["reported"] == true) || m["kommun"] == "kommun-2380" && (m["status"] != "accepted" || num(m["received_kr"]) != 300000) {
			t.Errorf("row %v", m)
		}
	}
	if st, out := c.do("o@kommun-2380.se", "GET", "/api/v1/municipal-reports?agreement=gnv-2023", ""); st != 200 || len(out["kommuner"].([]any)) != 1 {
		t.Errorf("Östersund's list: %d %v", st, out)
	}
	if st, out := c.do("o@kommun-2580.se", "GET", "/api/v1/municipal-reports?agreement=gnv-2023&rss=rss-23", ""); st != 403 {
		t.Errorf("Luleå lists Jämtland's: %d %v", st, out)
	}

	// The RSS's financial report: its own part and Östersund's, per
	// component; its accounting counts Östersund's costs up to what it
	// received of each component (the rest was its own money).
	rep := fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"rss-23","period_from":"2023-01-01","period_to":"2023-12-31","costs":[{"item":"Samordnare","component":%q,"amount_kr":20000}],
		"contact":{"name":"Anna","email":"anna@x.se","phone":"010-1"},"agreement_dnr":"S2023/1","payment_decision_dnr":"S2023/2"}`, c0)
	st, out = c.do("o@rss-23.se", "POST", "/api/v1/financial-reports", rep)
	if st != 201 {
		t.Fatalf("RSS report: %d %v", st, out)
	}
	shares := out["shares"].([]any)
	var totalReceived, totalReported, counted int64
	for i, x := range shares {
		s := x.(map[string]any)
		own, total := s["own"].(map[string]any), s["total"].(map[string]any)
		var kommunReceived, kommunReported int64
		for _, k := range s["kommuner"].([]any) {
			k := k.(map[string]any)
			kommunReceived += num(k["received_kr"])
			kommunReported += num(k["reported_kr"])
			counted += min(num(k["reported_kr"]), num(k["received_kr"]))
		}
		paid := num(out["components"].([]any)[i].(map[string]any)["paid_kr"])
		if num(own["received_kr"]) != paid-kommunReceived || num(total["received_kr"]) != paid ||
			num(total["reported_kr"]) != num(own["reported_kr"])+kommunReported {
			t.Errorf("share %d: %v", i, s)
		}
		counted += num(own["reported_kr"])
		totalReceived += kommunReceived
		totalReported += num(total["reported_kr"])
	}
	if totalReceived != 300000 || totalReported != 20000+100000+150000 || num(out["total_costs_kr"]) != counted || counted >= totalReported {
		t.Errorf("shares: received %d, reported %d, costs %v", totalReceived, totalReported, out["total_costs_kr"])
	}
}
