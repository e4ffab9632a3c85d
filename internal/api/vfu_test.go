package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/org"
)

// addUsers gives the client more users with tokens.
func (c *client) addUsers(a interface {
	AddUser(context.Context, string, string, string, auth.Role, string) (auth.User, error)
	CreateToken(context.Context, string, time.Duration) (string, error)
}, users map[string]struct {
	org  string
	role auth.Role
}) {
	c.t.Helper()
	for email, u := range users {
		if _, err := a.AddUser(context.Background(), email, "", u.org, u.role, "ett långt lösenord"); err != nil {
			c.t.Fatal(err)
		}
		tok, err := a.CreateToken(context.Background(), email, 90*24*time.Hour)
		if err != nil {
			c.t.Fatal(err)
		}
		c.tokens[email] = tok
	}
}

// setAccount has the admin give an organisation an account, keeping its
// name and the rest as they are.
func (c *client) setAccount(id, kind, number string) {
	c.t.Helper()
	st, out := c.do("admin@kammarkollegiet.se", "GET", "/api/v1/organisations", "")
	if st != 200 {
		c.t.Fatalf("organisations: %d %v", st, out)
	}
	list, _ := out["organisations"].([]any)
	for _, x := range list {
		o, _ := x.(map[string]any)
		if o["id"] != id {
			continue
		}
		body, _ := json.Marshal(map[string]any{"name": o["name"], "org_nr": o["org_nr"], "host": o["host"], "address": o["address"],
			"account": map[string]string{"type": kind, "number": number}})
		if st, out := c.do("admin@kammarkollegiet.se", "PUT", "/api/v1/organisations/"+id, string(body)); st != 200 {
			c.t.Fatalf("account of %s: %d %v", id, st, out)
		}
		return
	}
	c.t.Fatalf("no organisation %s", id)
}

// TestVFURoundThroughHTTP is the VFU round of issue 13 through the API:
// regions and municipalities report, the RSS of Norrbotten for three of its
// municipalities; a late report is refused; a report is returned, corrected
// and signed again; Socialstyrelsen's follow-up officer closes the round,
// whose amounts equal the allocation engine's VFU table for the same
// figures; Socialstyrelsen's payer makes the payout batch and a second
// payer attests it.
func TestVFURoundThroughHTTP(t *testing.T) {
	c, a, clk := setup(t, "2023-03-01T10:00:00+01:00")
	type u = struct {
		org  string
		role auth.Role
	}
	c.addUsers(a, map[string]u{
		"sign@vll.se":                    {"region-24", auth.Signatory},
		"officer@rss-nb.se":              {"rss-25", auth.RecipientOfficer},
		"sign@rss-nb.se":                 {"rss-25", auth.Signatory},
		"officer@rss-vb.se":              {"rss-24", auth.RecipientOfficer},
		"officer@lulea.se":               {"kommun-2580", auth.RecipientOfficer},
		"sign@lulea.se":                  {"kommun-2580", auth.Signatory},
		"officer@pitea.se":               {"kommun-2581", auth.RecipientOfficer},
		"uppfoljning@socialstyrelsen.se": {org.Socialstyrelsen, auth.FollowUp},
		"second@socialstyrelsen.se":      {org.Socialstyrelsen, auth.Payer},
	})
	type rep struct {
		writer, signer, recipient string
		wb, pb, wc, pc            int64
	}
	reps := []rep{
		{"officer@nll.se", "sign@nll.se", "region-25", 400, 80, 470, 90},
		{"officer@vll.se", "sign@vll.se", "region-24", 500, 100, 480, 95},
		{"officer@rss-nb.se", "sign@rss-nb.se", "kommun-2510", 10, 2, 17, 3},
		{"officer@rss-nb.se", "sign@rss-nb.se", "kommun-2513", 6, 1, 6, 1},
		{"officer@rss-nb.se", "sign@rss-nb.se", "kommun-2514", 20, 4, 33, 6},
		{"officer@lulea.se", "sign@lulea.se", "kommun-2580", 90, 15, 111, 18},
	}
	vfuBody := func(recipient string, wb, pb, wc, pc int64) string {
		return fmt.Sprintf(`{"agreement":"gnv-2023","recipient":%q,"weeks_vt2022":%d,"places_vt2022":%d,"weeks_vt2023":%d,"places_vt2023":%d}`,
			recipient, wb, pb, wc, pc)
	}
	if st, out := c.do("officer@rss-vb.se", "POST", "/api/v1/vfu-reports", vfuBody("kommun-2510", 1, 1, 2, 2)); st != 403 {
		t.Errorf("another county's RSS reports for Jokkmokk: %d %v", st, out)
	}
	if st, out := c.do("officer@nll.se", "POST", "/api/v1/vfu-reports", vfuBody("region-25", -1, 0, 0, 0)); st != 422 || code(out) != "invalid" {
		t.Errorf("negative weeks: %d %v", st, out)
	}
	ids := map[string]string{}
	for _, r := range reps {
		st, out := c.do(r.writer, "POST", "/api/v1/vfu-reports", vfuBody(r.recipient, r.wb, r.pb, r.wc, r.pc))
		if st != 201 {
			t.Fatalf("%s: %d %v", r.recipient, st, out)
		}
		id, _ := out["id"].(string)
		ids[r.recipient] = id
		if st, out := c.do(r.writer, "POST", "/api/v1/vfu-reports/"+id+"/sign", ""); st != 403 {
			t.Errorf("%s signed by an officer: %d %v", r.recipient, st, out)
		}
		if st, out := c.do(r.signer, "POST", "/api/v1/vfu-reports/"+id+"/sign", ""); st != 200 || out["status"] != "submitted" {
			t.Fatalf("sign %s: %d %v", r.recipient, st, out)
		}
	}
	if st, out := c.do("officer@nll.se", "POST", "/api/v1/vfu-reports", vfuBody("region-25", 1, 1, 1, 1)); st != 409 {
		t.Errorf("a second report for region-25: %d %v", st, out)
	}
	// The RSS's list shows the three it wrote and Luleå's own, and who
	// reported each.
	st, out := c.do("sign@rss-nb.se", "GET", "/api/v1/vfu-reports?agreement=gnv-2023", "")
	list, _ := out["vfu_reports"].([]any)
	if st != 200 || len(list) != 4 {
		t.Fatalf("the RSS's list: %d %v", st, out)
	}
	for _, x := range list {
		r := x.(map[string]any)
		want := "rss-25"
		if r["recipient"] == "kommun-2580" {
			want = "kommun-2580"
		}
		if r["reported_for"] != want {
			t.Errorf("%s reported_for %v, want %s", r["recipient"], r["reported_for"], want)
		}
	}

	// Socialstyrelsen returns Kalix's report with a reason; the RSS
	// corrects it.
	kalix := ids["kommun-2514"]
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/vfu-reports/"+kalix+"/return", `{"reason":"Fel"}`); st != 403 && st != 404 {
		t.Errorf("Kammarkollegiet returns a VFU report: %d %v", st, out)
	}
	if st, out := c.do("uppfoljning@socialstyrelsen.se", "POST", "/api/v1/vfu-reports/"+kalix+"/return", `{"reason":" "}`); st != 422 {
		t.Errorf("return without a reason: %d %v", st, out)
	}
	if st, out := c.do("uppfoljning@socialstyrelsen.se", "POST", "/api/v1/vfu-reports/"+kalix+"/return",
		`{"reason":"Platserna vt 2023 stämmer inte med veckorna."}`); st != 200 || out["status"] != "returned" || out["return_reason"] == "" {
		t.Fatalf("return: %d %v", st, out)
	}
	reps[4].wc, reps[4].pc = 28, 5
	if st, out := c.do("officer@rss-nb.se", "PUT", "/api/v1/vfu-reports/"+kalix, vfuBody("kommun-2514", 20, 4, 28, 5)); st != 200 || num(out["weeks_vt2023"]) != 28 {
		t.Fatalf("correct: %d %v", st, out)
	}

	// After the deadline a new report is refused; the returned one is
	// signed again.
	clk.Set(time.Date(2023, 4, 1, 0, 0, 1, 0, clock.Stockholm))
	if st, out := c.do("officer@pitea.se", "POST", "/api/v1/vfu-reports", vfuBody("kommun-2581", 1, 1, 50, 5)); st != 422 || code(out) != "deadline_passed" {
		t.Errorf("late report: %d %v", st, out)
	}
	if st, out := c.do("sign@rss-nb.se", "POST", "/api/v1/vfu-reports/"+kalix+"/sign", ""); st != 200 || out["status"] != "submitted" {
		t.Fatalf("sign the corrected report: %d %v", st, out)
	}

	// The close: Socialstyrelsen's follow-up officer, once.
	if st, out := c.do("sign@nll.se", "POST", "/api/v1/vfu-rounds/gnv-2023/close", ""); st != 403 {
		t.Errorf("a region closes the round: %d %v", st, out)
	}
	if st, out := c.do("officer@nll.se", "GET", "/api/v1/vfu-rounds/gnv-2023", ""); st != 200 || out["status"] != "open" {
		t.Errorf("open round: %d %v", st, out)
	}
	st, closed := c.do("uppfoljning@socialstyrelsen.se", "POST", "/api/v1/vfu-rounds/gnv-2023/close", "")
	if st != 200 || closed["status"] != "closed" {
		t.Fatalf("close: %d %v", st, closed)
	}
	if st, out := c.do("uppfoljning@socialstyrelsen.se", "POST", "/api/v1/vfu-rounds/gnv-2023/close", ""); st != 409 {
		t.Errorf("closed twice: %d %v", st, out)
	}
	st, round := c.do("officer@nll.se", "GET", "/api/v1/vfu-rounds/gnv-2023", "")
	if st != 200 || round["status"] != "closed" {
		t.Fatalf("round: %d %v", st, round)
	}
	// The allocation engine's table for the same figures.
	ag, err := a.Agreements.Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	in := alloc.FromAgreement(ag)
	for _, r := range reps {
		_, code, _ := org.Parse(r.recipient)
		in.VFU = append(in.VFU, alloc.VFUReport{Code: code, WeeksBase: r.wb, WeeksCurrent: r.wc})
	}
	tab, err := alloc.Build(ag, in, agreement.TableVFU)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := round["rows"].([]any)
	if len(rows) != len(tab.Rows) {
		t.Fatalf("round has %d rows, the table %d", len(rows), len(tab.Rows))
	}
	want := map[string]int64{}
	for i, row := range tab.Rows {
		got := rows[i].(map[string]any)
		rec, _ := got["recipient"].(string)
		_, code, _ := org.Parse(rec)
		if code != row.Code || num(got["amount_kr"]) != int64(row.Cells[0].Amount) || num(got["okning"]) != row.VFU.Increase() {
			t.Errorf("row %d: %v, table %s %d (+%d)", i, got, row.Code, row.Cells[0].Amount, row.VFU.Increase())
		}
		want[rec] = num(got["amount_kr"])
	}
	if want["region-24"] != 0 || want["kommun-2513"] != 0 || want["kommun-2514"] == 0 {
		t.Errorf("amounts: %v", want)
	}

	// The payout: Socialstyrelsen's payer makes the batch from its own
	// account to the recipients' bankgiros, a second payer attests it.
	c.setAccount(org.Socialstyrelsen, "bankgiro", "5050-1055")
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/vfu-rounds/gnv-2023/payment-batch", ""); st != 403 {
		t.Errorf("Kammarkollegiet pays VFU: %d %v", st, out)
	}
	st, out = c.do("pay@socialstyrelsen.se", "POST", "/api/v1/vfu-rounds/gnv-2023/payment-batch", "")
	if msg := fmt.Sprint(out); st != 409 || !strings.Contains(msg, "Kalix") || strings.Contains(msg, "region-24") {
		t.Fatalf("without bankgiros: %d %v", st, out)
	}
	for rec, amount := range want {
		if amount > 0 {
			c.setAccount(rec, "bankgiro", "5050-1055")
		}
	}
	st, b := c.do("pay@socialstyrelsen.se", "POST", "/api/v1/vfu-rounds/gnv-2023/payment-batch", "")
	if st != 201 {
		t.Fatalf("batch: %d %v", st, b)
	}
	lines, _ := b["vfu_payments"].([]any)
	var sum int64
	for _, x := range lines {
		l := x.(map[string]any)
		if num(l["amount_kr"]) != want[l["recipient"].(string)] {
			t.Errorf("line %v, want %d", l, want[l["recipient"].(string)])
		}
		sum += num(l["amount_kr"])
	}
	var total int64
	for _, v := range want {
		total += v
	}
	if len(lines) != 4 || num(b["control_sum_kr"]) != total || sum != total {
		t.Errorf("batch: %d lines, control sum %v, want %d", len(lines), b["control_sum_kr"], total)
	}
	id, _ := b["id"].(string)
	if st, out := c.do("pay@socialstyrelsen.se", "POST", "/api/v1/payment-batches/"+id+"/attest", ""); st != 403 {
		t.Errorf("the maker attests: %d %v", st, out)
	}
	if st, out := c.do("second@socialstyrelsen.se", "POST", "/api/v1/payment-batches/"+id+"/attest", ""); st != 200 || out["status"] != "attested" {
		t.Fatalf("attest: %d %v", st, out)
	}
	clk.Set(time.Date(2023, 4, 14, 9, 0, 0, 0, clock.Stockholm))
	if st, out := c.do("pay@socialstyrelsen.se", "POST", "/api/v1/payment-batches/"+id+"/confirm", `{"paid_on":"2023-04-14"}`); st != 200 || out["status"] != "paid" {
		t.Fatalf("confirm: %d %v", st, out)
	}
	st, status := c.do("officer@nll.se", "GET", "/api/v1/recipients/region-25/status?agreement=gnv-2023", "")
	if st != 200 || !strings.Contains(fmt.Sprint(status), fmt.Sprint(want["region-25"])) {
		t.Errorf("region-25's status does not show its VFU money %d: %d %v", want["region-25"], st, status)
	}
}
