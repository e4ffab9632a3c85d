package api

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"narvard/internal/clock"
	"narvard/internal/ocr"
)

func TestBankNotificationsEndToEnd(t *testing.T) {
	c, a, clk := setup(t, "2023-11-15T10:00:00+01:00")
	addUsers(t, c, a, "region-23", "rss-23", "region-24")
	const payer = "pay@kammarkollegiet.se"
	requisition := func(r, officer, signatory string) (string, int64) {
		al, _ := a.Allocation("gnv-2023", r)
		b := strings.Replace(body(itoa(int64(al.Total())), "5050-1055"), `"recipient":"region-25"`, `"recipient":"`+r+`"`, 1)
		st, out := c.do(officer, "POST", "/api/v1/requisitions", b)
		if st != 201 {
			t.Fatalf("%s create: %d %v", r, st, out)
		}
		id := out["id"].(string)
		if st, out := c.do(signatory, "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 200 {
			t.Fatalf("%s sign: %d %v", r, st, out)
		}
		if st, out := c.do(payer, "POST", "/api/v1/requisitions/"+id+"/approve", ""); st != 200 {
			t.Fatalf("%s approve: %d %v", r, st, out)
		}
		return id, int64(al.Total())
	}
	for _, r := range []string{"region-23", "rss-23"} {
		requisition(r, "o@"+r+".se", "s@"+r+".se")
	}
	c.readyToPay()
	st, out := c.do(payer, "POST", "/api/v1/payment-batches", "")
	if st != 201 {
		t.Fatalf("batch: %d %v", st, out)
	}
	c.attest(out["id"].(string))
	if st, out := c.do(payer, "POST", "/api/v1/payment-batches/"+out["id"].(string)+"/confirm", ""); st != 200 {
		t.Fatalf("confirm: %d %v", st, out)
	}
	r1, amount1 := requisition("region-24", "o@region-24.se", "s@region-24.se")
	r2, amount2 := requisition("region-25", "officer@nll.se", "sign@nll.se")
	st, out = c.do(payer, "POST", "/api/v1/payment-batches", `{"requisitions":["`+r1+`","`+r2+`"]}`)
	if st != 201 {
		t.Fatalf("batch 2: %d %v", st, out)
	}
	batch := out["id"].(string)
	c.attest(batch)

	clk.Set(time.Date(2024, 3, 15, 9, 0, 0, 0, clock.Stockholm))
	ocrs := map[string]string{}
	for r, due := range map[string]int64{"region-23": 2_500_000, "rss-23": 1_000_000} {
		al, _ := a.Allocation("gnv-2023", r)
		var lines []string
		left := due
		for _, comp := range al.Components {
			cost := int64(comp.Amount)
			if !comp.Earmarked && cost >= left {
				cost, left = cost-left, 0
			}
			lines = append(lines, fmt.Sprintf(`{"item":"Personal","component":"%s","amount_kr":%d}`, comp.ID, cost))
		}
		rep := fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"%s","period_from":"2023-01-01","period_to":"2023-12-31","costs":[%s],
			"contact":{"name":"Anna","email":"anna@x.se","phone":"010-1"},"agreement_dnr":"S2023/1","payment_decision_dnr":"S2023/2"}`, r, strings.Join(lines, ","))
		st, out := c.do("o@"+r+".se", "POST", "/api/v1/financial-reports", rep)
		if st != 201 {
			t.Fatalf("%s report: %d %v", r, st, out)
		}
		id := out["id"].(string)
		c.do("c@"+r+".se", "POST", "/api/v1/financial-reports/"+id+"/review", `{"alternative":1}`)
		if st, out := c.do("s@"+r+".se", "POST", "/api/v1/financial-reports/"+id+"/sign", ""); st != 200 {
			t.Fatalf("%s sign: %d %v", r, st, out)
		}
		st, out = c.do("o@"+r+".se", "GET", "/api/v1/recipients/"+r+"/status", "")
		dues, _ := out["due"].([]any)
		if st != 200 || len(dues) != 1 {
			t.Fatalf("%s status: %d %v", r, st, out["due"])
		}
		d := dues[0].(map[string]any)
		if num(d["amount_kr"]) != due || d["due_date"] != "2024-03-31" || !ocr.Valid(d["ocr"].(string)) || d["bankgiro"] != "5050-1055" ||
			!strings.Contains(d["reason"].(string), "ekonomiska redovisningen") || d["pay_to"] != "Kammarkollegiet" {
			t.Errorf("%s due: %v", r, d)
		}
		ocrs[r] = d["ocr"].(string)
		if st, out := c.do("o@"+r+".se", "GET", d["letter"].(string), ""); st != 200 || !strings.HasPrefix(out["raw"].(string), "%PDF") {
			t.Errorf("%s letter: %d", r, st)
		}
		if st, _ := c.do("officer@nll.se", "GET", d["letter"].(string), ""); st != 403 {
			t.Errorf("another organisation's letter: %d", st)
		}
	}

	clk.Set(time.Date(2024, 4, 16, 9, 0, 0, 0, clock.Stockholm))
	raw, err := os.ReadFile("../bank/testdata/notification.xml")
	if err != nil {
		t.Fatal(err)
	}
	dec := func(n int64) string { return itoa(n) + ".00" }
	file := strings.NewReplacer("OCR_A", ocrs["region-23"], "OCR_B", ocrs["rss-23"], "BATCH", batch+"-1", "REQ_1", r1, "REQ_2", r2,
		"AMOUNT_BATCH", dec(amount1+amount2), "AMOUNT_1", dec(amount1), "AMOUNT_2", dec(amount2)).Replace(string(raw))

	if st, out := c.do("o@region-23.se", "POST", "/api/v1/bank-notifications", file); st != 403 {
		t.Errorf("a recipient imports: %d %v", st, out)
	}
	damaged := strings.Replace(file, "</Document>", "", 1)
	if st, out := c.do(payer, "POST", "/api/v1/bank-notifications", damaged); st != 422 || code(out) != "invalid" ||
		!strings.Contains(out["error"].(map[string]any)["message"].(string), "inget registrerades") {
		t.Errorf("damaged: %d %v", st, out)
	}
	st, out = c.do(payer, "POST", "/api/v1/bank-notifications", file)
	if st != 201 || out["already_imported"] != false {
		t.Fatalf("import: %d %v", st, out)
	}
	id := out["id"].(string)
	matched, unmatched := out["matched"].([]any), out["unmatched"].([]any)
	if len(matched) != 4 || len(unmatched) != 4 {
		t.Fatalf("matched %d, unmatched %d: %v", len(matched), len(unmatched), out)
	}
	if m := matched[0].(map[string]any); m["kind"] != "repayment" || num(m["amount_kr"]) != 2_500_000 || m["reference"] != ocrs["region-23"] ||
		m["booked_on"] != "2024-04-12" || m["recipient"] != "region-23" {
		t.Errorf("first match: %v", m)
	}
	if u := unmatched[0].(map[string]any); u["kind"] != "excess" || num(u["amount_kr"]) != 500 || u["recipient"] != "rss-23" {
		t.Errorf("excess: %v", u)
	}
	if u := unmatched[2].(map[string]any); u["amount"] != "9700.50" || u["amount_kr"] != nil || num(u["amount_ore"]) != 970050 {
		t.Errorf("öre: %v", u)
	}
	for _, r := range []string{"region-23", "rss-23"} {
		if _, out := c.do(payer, "GET", "/api/v1/recipients/"+r+"/status", ""); num(out["repayment_due_kr"]) != 0 || len(out["due"].([]any)) != 0 {
			t.Errorf("%s after import: %v %v", r, out["repayment_due_kr"], out["due"])
		}
	}
	if _, out := c.do(payer, "GET", "/api/v1/payment-batches/"+batch, ""); out["status"] != "paid" {
		t.Errorf("batch after import: %v", out)
	}
	if _, out := c.do(payer, "GET", "/api/v1/requisitions/"+r1, ""); out["paid_on"] != "2024-04-10" {
		t.Errorf("requisition after import: %v", out)
	}
	checkBalanced(t, c)

	st, again := c.do(payer, "POST", "/api/v1/bank-notifications", file)
	if st != 200 || again["already_imported"] != true || again["id"] != id || len(again["matched"].([]any)) != 4 {
		t.Errorf("again: %d %v", st, again)
	}
	if _, out := c.do(payer, "GET", "/api/v1/repayments?recipient=rss-23", ""); len(out["repayments"].([]any)) != 1 {
		t.Errorf("repayments after a second import: %v", out)
	}
	st, got := c.do(payer, "GET", "/api/v1/bank-notifications/"+id, "")
	if st != 200 || len(got["matched"].([]any)) != 4 || len(got["unmatched"].([]any)) != 4 {
		t.Errorf("get: %d %v", st, got)
	}
	if st, out := c.do(payer, "GET", "/api/v1/bank-notifications", ""); st != 200 || len(out["bank_notifications"].([]any)) != 1 {
		t.Errorf("list: %d %v", st, out)
	}
	if st, _ := c.do("o@region-23.se", "GET", "/api/v1/bank-notifications/"+id, ""); st != 403 {
		t.Errorf("a recipient reads a bank notification: %d", st)
	}
}
