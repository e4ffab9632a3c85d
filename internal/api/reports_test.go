package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
)

// addUsers creates an officer, a signatory and a CFO for each recipient,
// with tokens, as o@<r>, s@<r> and c@<r>.
func addUsers(t *testing.T, c *client, a *app.App, recipients ...string) {
	t.Helper()
	for _, r := range recipients {
		for _, u := range []struct {
			prefix string
			role   auth.Role
		}{{"o", auth.RecipientOfficer}, {"s", auth.Signatory}, {"c", auth.CFO}} {
			email := u.prefix + "@" + r + ".se"
			if _, err := a.AddUser(context.Background(), email, "Namn "+email, r, u.role, "ett långt lösenord"); err != nil {
				t.Fatal(err)
			}
			tok, err := a.CreateToken(context.Background(), email, 90*24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			c.tokens[email] = tok
		}
	}
}

func num(v any) int64 {
	n, _ := v.(json.Number).Int64()
	return n
}

// checkBalanced asserts the ledger's invariants through the API: every
// recipient's paid, due and repaid figures stay within what was allocated.
func checkBalanced(t *testing.T, c *client) {
	t.Helper()
	st, out := c.do("pay@kammarkollegiet.se", "GET", "/api/v1/status", "")
	if st != 200 {
		t.Fatalf("status matrix: %d %v", st, out)
	}
	for _, x := range out["recipients"].([]any) {
		r := x.(map[string]any)
		alloc, paid, due := num(r["allocation_kr"]), num(r["paid_kr"]), num(r["repayment_due_kr"])
		if paid > alloc || due > paid || due < 0 {
			t.Errorf("%s: allocation %d, paid %d, due %d", r["recipient"], alloc, paid, due)
		}
	}
}

func TestFinancialReportsEndToEnd(t *testing.T) {
	c, a, clk := setup(t, "2023-11-15T10:00:00+01:00")
	recipients := []string{"region-23", "rss-23", "skr"}
	addUsers(t, c, a, recipients...)
	paid := map[string]int64{}
	for _, r := range recipients {
		al, _ := a.Allocation("gnv-2023", r)
		paid[r] = int64(al.Total())
		b := strings.Replace(body(itoa(paid[r]), "5050-1055"), `"recipient":"region-25"`, `"recipient":"`+r+`"`, 1)
		st, out := c.do("o@"+r+".se", "POST", "/api/v1/requisitions", b)
		if st != 201 {
			t.Fatalf("%s create: %d %v", r, st, out)
		}
		id := out["id"].(string)
		if st, out := c.do("s@"+r+".se", "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 200 {
			t.Fatalf("%s sign: %d %v", r, st, out)
		}
		if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/requisitions/"+id+"/approve", ""); st != 200 {
			t.Fatalf("%s approve: %d %v", r, st, out)
		}
	}
	c.readyToPay()
	st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", "")
	if st != 201 {
		t.Fatalf("batch: %d %v", st, out)
	}
	c.attest(out["id"].(string))
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches/"+out["id"].(string)+"/confirm", ""); st != 200 {
		t.Fatalf("confirm: %d %v", st, out)
	}
	checkBalanced(t, c)

	clk.Set(time.Date(2024, 3, 15, 9, 0, 0, 0, clock.Stockholm))
	report := func(r string, spend int64) string {
		al, _ := a.Allocation("gnv-2023", r)
		var lines []string
		for _, comp := range al.Components {
			lines = append(lines, fmt.Sprintf(`{"item":"Personal","component":"%s","amount_kr":%d}`, comp.ID, int64(comp.Amount)*spend/100))
		}
		return fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"%s","period_from":"2023-01-01","period_to":"2023-12-31","costs":[%s],
			"contact":{"name":"Anna","email":"anna@x.se","phone":"010-1"},"agreement_dnr":"S2023/1","payment_decision_dnr":"S2023/2"}`, r, strings.Join(lines, ","))
	}
	refusals := []struct {
		name, user, method, path, body string
		status                         int
		code                           string
	}{
		{"negative costs", "o@region-23.se", "POST", "/api/v1/financial-reports", strings.Replace(report("region-23", 100), `"amount_kr":`, `"amount_kr":-`, 1), 422, "invalid"},
		{"non-integer kronor", "o@region-23.se", "POST", "/api/v1/financial-reports", strings.Replace(report("region-23", 100), `"amount_kr":`, `"amount_kr":0.5+`, 1), 422, "invalid"},
		{"another organisation's officer", "o@rss-23.se", "POST", "/api/v1/financial-reports", report("region-23", 100), 403, "forbidden"},
		{"an analyst writing", "analys@regeringskansliet.se", "POST", "/api/v1/financial-reports", report("region-23", 100), 403, "forbidden"},
	}
	for _, r := range refusals {
		if st, out := c.do(r.user, r.method, r.path, r.body); st != r.status || code(out) != r.code {
			t.Errorf("%s: %d %v", r.name, st, out)
		}
	}
	ids := map[string]string{}
	for r, spend := range map[string]int64{"region-23": 100, "rss-23": 70} {
		st, out := c.do("o@"+r+".se", "POST", "/api/v1/financial-reports", report(r, spend))
		if st != 201 || out["status"] != "draft" || num(out["paid_kr"]) != paid[r] {
			t.Fatalf("%s report: %d %v", r, st, out)
		}
		ids[r] = out["id"].(string)
	}
	id := ids["rss-23"]
	if st, out := c.do("s@rss-23.se", "POST", "/api/v1/financial-reports/"+id+"/sign", ""); st != 409 || code(out) != "conflict" {
		t.Errorf("sign before review: %d %v", st, out)
	}
	if st, out := c.do("c@region-23.se", "POST", "/api/v1/financial-reports/"+id+"/review", `{"alternative":1}`); st != 403 {
		t.Errorf("another organisation's CFO: %d %v", st, out)
	}
	if st, out := c.do("c@rss-23.se", "POST", "/api/v1/financial-reports/"+id+"/review", `{"alternative":2,"deviations":"Fel konto"}`); st != 422 || code(out) != "invalid" {
		t.Errorf("Alt 2 without actions: %d %v", st, out)
	}
	for r, rid := range ids {
		if st, out := c.do("c@"+r+".se", "POST", "/api/v1/financial-reports/"+rid+"/review", `{"alternative":2,"deviations":"Periodisering","actions":"Rättad"}`); st != 200 || out["status"] != "reviewed" {
			t.Fatalf("%s review: %d %v", r, st, out)
		}
		if st, out := c.do("s@"+r+".se", "POST", "/api/v1/financial-reports/"+rid+"/sign", ""); st != 200 || out["status"] != "submitted" {
			t.Fatalf("%s sign: %d %v", r, st, out)
		}
	}
	checkBalanced(t, c)
	_, out = c.do("o@rss-23.se", "GET", "/api/v1/recipients/rss-23/status", "")
	due := num(out["repayment_due_kr"])
	if due <= 0 || due != num(out["unspent_kr"]) {
		t.Fatalf("rss-23 due %d, status %v", due, out)
	}
	repay := func(amount int64) (int, map[string]any) {
		return c.do("pay@kammarkollegiet.se", "POST", "/api/v1/repayments",
			fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"rss-23","amount_kr":%d,"received_on":"2024-03-14","reference":"OCR 1"}`, amount))
	}
	if st, out := repay(due / 3); st != 201 {
		t.Fatalf("repay: %d %v", st, out)
	}
	if st, out := repay(due); st != 422 {
		t.Errorf("overpayment: %d %v", st, out)
	}
	checkBalanced(t, c)

	clk.Set(time.Date(2024, 4, 1, 0, 0, 1, 0, clock.Stockholm))
	flagged := map[string]bool{}
	_, out = c.do("pay@kammarkollegiet.se", "GET", "/api/v1/status", "")
	for _, x := range out["recipients"].([]any) {
		r := x.(map[string]any)
		if r["reclaim"] == true {
			flagged[r["recipient"].(string)] = true
		}
		if r["recipient"] == "region-25" && (r["lapsed"] != true || r["reclaim"] == true) {
			t.Errorf("region-25 never requisitioned: %v", r)
		}
	}
	if len(flagged) != 2 || !flagged["rss-23"] || !flagged["skr"] {
		t.Errorf("flagged %v, want rss-23 and skr", flagged)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/reclaims", fmt.Sprintf(`{"recipient":"skr","amount_kr":%d,"reason":"Ingen ekonomisk redovisning"}`, paid["skr"])); st != 201 {
		t.Fatalf("reclaim: %d %v", st, out)
	}
	_, out = c.do("pay@kammarkollegiet.se", "GET", "/api/v1/recipients/skr/status", "")
	if num(out["repayment_due_kr"]) != paid["skr"] || out["reclaim"] != true {
		t.Errorf("skr after reclaim: %v", out)
	}
	for _, d := range out["deadlines"].([]any) {
		if d := d.(map[string]any); d["id"] == "financial_report" && d["state"] != "missed" {
			t.Errorf("skr's report deadline: %v", d)
		}
	}
	checkBalanced(t, c)
	if st, out := c.do("o@rss-23.se", "GET", "/api/v1/financial-reports/"+id+"/pdf", ""); st != 200 || !strings.HasPrefix(out["raw"].(string), "%PDF") {
		t.Errorf("report pdf: %d", st)
	}
	if st, _ := c.do("o@region-23.se", "GET", "/api/v1/financial-reports/"+id+"/pdf", ""); st != 403 {
		t.Errorf("another organisation's pdf: %d", st)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "GET", "/api/v1/status.xlsx", ""); st != 200 || !strings.HasPrefix(out["raw"].(string), "PK") {
		t.Errorf("status.xlsx: %d", st)
	}
	if st, _ := c.do("o@rss-23.se", "GET", "/api/v1/status.xlsx", ""); st != 403 {
		t.Errorf("status.xlsx for a recipient: %d", st)
	}
}
