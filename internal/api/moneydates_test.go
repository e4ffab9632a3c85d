package api

import (
	"strings"
	"testing"
	"time"

	"narvard/internal/clock"
)

// TestMoneyDatesAreReal: a payment or repayment dated after the server's
// today (Stockholm, from the frozen clock) or before the agreement's year
// is refused with 422 invalid on the field; a reclaim is dated by the
// server's clock.
func TestMoneyDatesAreReal(t *testing.T) {
	c, _, clk := setup(t, "2023-11-15T10:00:00+01:00")
	const payer = "pay@kammarkollegiet.se"
	st, out := c.do("officer@nll.se", "POST", "/api/v1/requisitions", body("1000", "5050-1055"))
	if st != 201 {
		t.Fatalf("create: %d %v", st, out)
	}
	id := out["id"].(string)
	if st, out := c.do("sign@nll.se", "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 200 {
		t.Fatalf("sign: %d %v", st, out)
	}
	if st, out := c.do(payer, "POST", "/api/v1/requisitions/"+id+"/approve", ""); st != 200 {
		t.Fatalf("approve: %d %v", st, out)
	}
	c.readyToPay()
	st, out = c.do(payer, "POST", "/api/v1/payment-batches", "")
	if st != 201 {
		t.Fatalf("batch: %d %v", st, out)
	}
	c.attest(out["id"].(string))
	confirm := "/api/v1/payment-batches/" + out["id"].(string) + "/confirm"

	refused := func(what string, st int, out map[string]any, field, says string) {
		t.Helper()
		e, _ := out["error"].(map[string]any)
		fields, _ := e["fields"].(map[string]any)
		msg, _ := fields[field].(string)
		if st != 422 || code(out) != "invalid" || !strings.Contains(msg, says) {
			t.Errorf("%s: %d %v, want 422 invalid on %s saying %q", what, st, out, field, says)
		}
	}
	st, out = c.do(payer, "POST", confirm, `{"paid_on":"2023-11-16"}`)
	refused("payment tomorrow", st, out, "paid_on", "ligger efter dagens datum 2023-11-15")
	st, out = c.do(payer, "POST", confirm, `{"date":"2099-01-01"}`)
	refused("payment far ahead, as date", st, out, "paid_on", "ligger efter dagens datum")
	st, out = c.do(payer, "POST", confirm, `{"paid_on":"2022-12-31"}`)
	refused("payment before the agreement's year", st, out, "paid_on", "ligger före överenskommelsens år 2023")
	if st, out := c.do(payer, "POST", confirm, `{"paid_on":"2023-11-15"}`); st != 200 || out["paid_on"] != "2023-11-15" {
		t.Fatalf("payment today: %d %v", st, out)
	}

	repay := `{"agreement":"gnv-2023","recipient":"region-25","amount_kr":100,"reference":"OCR 1",`
	st, out = c.do(payer, "POST", "/api/v1/repayments", repay+`"received_on":"2023-11-16"}`)
	refused("repayment tomorrow", st, out, "received_on", "ligger efter dagens datum 2023-11-15")
	st, out = c.do(payer, "POST", "/api/v1/repayments", repay+`"date":"2023-11-16"}`)
	refused("repayment tomorrow, as date", st, out, "received_on", "ligger efter dagens datum 2023-11-15")
	st, out = c.do(payer, "POST", "/api/v1/repayments", repay+`"received_on":"2022-12-31"}`)
	refused("repayment before the agreement's year", st, out, "received_on", "ligger före överenskommelsens år 2023")
	st, out = c.do(payer, "POST", "/api/v1/repayments", repay+`"received_on":"2023-11-15"}`)
	refused("repayment today, when nothing is owed", st, out, "amount_kr", "Högst 0 kr")
	if e, _ := out["error"].(map[string]any); e != nil {
		if f, _ := e["fields"].(map[string]any); f["received_on"] != nil {
			t.Errorf("repayment today: the date is refused: %v", out)
		}
	}

	// A reclaim is decided on the server's today; after the report
	// deadline region-25, paid and without a report, is flagged.
	clk.Set(time.Date(2024, 4, 2, 9, 0, 0, 0, clock.Stockholm))
	st, out = c.do(payer, "POST", "/api/v1/reclaims", `{"recipient":"region-25","amount_kr":1000,"reason":"Ingen ekonomisk redovisning"}`)
	if at, _ := out["decided_at"].(string); st != 201 || !strings.HasPrefix(at, "2024-04-02") {
		t.Errorf("reclaim: %d %v, want decided on 2024-04-02", st, out)
	}
}
