package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement/agreementtest"
	"narvard/internal/clock"
)

// TestTwoAgreementsThroughTheAPI: with two agreements live, a call that
// names none is 422 and says which to name; named, each agreement has its
// own allocation, requisitions, batches, status and matrix; once one is
// over, an unnamed call gets the other.
func TestTwoAgreementsThroughTheAPI(t *testing.T) {
	const second = agreementtest.SecondID
	c, _, clk := setupWith(t, "2024-02-01T10:00:00+01:00", agreementtest.Two(t))
	officer, signer, payer, analyst := "officer@nll.se", "sign@nll.se", "pay@kammarkollegiet.se", "analys@regeringskansliet.se"

	st, out := c.do(officer, "GET", "/api/v1/agreements", "")
	if st != http.StatusOK || len(out["agreements"].([]any)) != 2 {
		t.Fatalf("agreements: %d %v", st, out)
	}
	if a := out["agreements"].([]any)[0].(map[string]any); a["id"] != second || a["live"] != true {
		t.Errorf("newest first, live: %v", a)
	}
	st, out = c.do(officer, "GET", "/api/v1/recipients/region-25/status", "")
	if st != http.StatusUnprocessableEntity || code(out) != "invalid" || !strings.Contains(fmt.Sprint(out), second) || !strings.Contains(fmt.Sprint(out), "gnv-2023") {
		t.Errorf("status naming no agreement with two live: %d %v", st, out)
	}
	for ag, want := range map[string]string{"gnv-2023": "128092174", second: "2440000"} {
		st, out = c.do(officer, "GET", "/api/v1/recipients/region-25/status?agreement="+ag, "")
		if st != http.StatusOK || out["allocation_kr"] != json.Number(want) || out["agreement"] != ag {
			t.Errorf("%s: %d allocation %v, want %s", ag, st, out["allocation_kr"], want)
		}
	}

	// A requisition under the second agreement, named in the body.
	reqBody := strings.NewReplacer(`"agreement":"gnv-2023"`, `"agreement":"`+second+`"`, "2023-01-01", "2024-01-01", "2023-12-31", "2024-12-31").Replace(body("2440000", "5050-1055"))
	if st, out = c.do(officer, "POST", "/api/v1/requisitions", strings.Replace(reqBody, `"agreement":"`+second+`",`, "", 1)); st != http.StatusUnprocessableEntity {
		t.Errorf("requisition naming no agreement: %d %v", st, out)
	}
	if st, out = c.do(officer, "POST", "/api/v1/requisitions", strings.Replace(reqBody, "2440000", "2440001", 1)); code(out) != "over_allocation" {
		t.Errorf("one krona over: %d %v", st, out)
	}
	st, out = c.do(officer, "POST", "/api/v1/requisitions", reqBody)
	if st != http.StatusCreated {
		t.Fatalf("requisition: %d %v", st, out)
	}
	id := out["id"].(string)
	for _, step := range []struct{ user, path, body string }{
		{signer, "/api/v1/requisitions/" + id + "/sign", ""},
		{payer, "/api/v1/requisitions/" + id + "/approve", ""},
	} {
		if st, out = c.do(step.user, "POST", step.path, step.body); st != http.StatusOK {
			t.Fatalf("%s: %d %v", step.path, st, out)
		}
	}
	c.readyToPay()
	if st, out = c.do(payer, "POST", "/api/v1/payment-batches", `{}`); st != http.StatusUnprocessableEntity {
		t.Errorf("batch naming no agreement: %d %v", st, out)
	}
	if st, out = c.do(payer, "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`); code(out) != "conflict" {
		t.Errorf("gnv-2023 has nothing approved: %d %v", st, out)
	}
	st, out = c.do(payer, "POST", "/api/v1/payment-batches", `{"agreement":"`+second+`"}`)
	if st != http.StatusCreated {
		t.Fatalf("batch: %d %v", st, out)
	}
	batch := out["id"].(string)
	c.attest(batch)
	if st, out = c.do(payer, "POST", "/api/v1/payment-batches/"+batch+"/confirm", `{"paid_on":"2024-02-01"}`); st != http.StatusOK {
		t.Fatalf("confirm: %d %v", st, out)
	}

	// Every list and status is the named agreement's.
	for _, tc := range []struct {
		user, path, key string
		n               int
	}{
		{officer, "/api/v1/requisitions?agreement=gnv-2023", "requisitions", 0},
		{officer, "/api/v1/requisitions?agreement=" + second, "requisitions", 1},
		{payer, "/api/v1/payment-batches?agreement=gnv-2023", "payment_batches", 0},
		{payer, "/api/v1/payment-batches?agreement=" + second, "payment_batches", 1},
		{analyst, "/api/v1/status?agreement=" + second, "recipients", 7},
		{analyst, "/api/v1/status?agreement=gnv-2023", "recipients", 43},
	} {
		st, out := c.do(tc.user, "GET", tc.path, "")
		list, _ := out[tc.key].([]any)
		if st != http.StatusOK || len(list) != tc.n {
			t.Errorf("%s: %d, %d %s, want %d", tc.path, st, len(list), tc.key, tc.n)
		}
	}
	for _, path := range []string{"/api/v1/requisitions", "/api/v1/status"} {
		if st, out := c.do(analyst, "GET", path, ""); st != http.StatusUnprocessableEntity {
			t.Errorf("%s naming no agreement: %d %v", path, st, out)
		}
	}
	for ag, want := range map[string][2]string{"gnv-2023": {"0", "0"}, second: {"2440000", "2440000"}} {
		_, out = c.do(payer, "GET", "/api/v1/recipients/region-25/status?agreement="+ag, "")
		if out["requisitioned_kr"] != json.Number(want[0]) || out["paid_kr"] != json.Number(want[1]) {
			t.Errorf("%s: requisitioned %v, paid %v, want %v", ag, out["requisitioned_kr"], out["paid_kr"], want)
		}
	}
	if st, out = c.do(analyst, "GET", "/api/v1/status.xlsx?agreement="+second, ""); st != http.StatusOK {
		t.Errorf("xlsx: %d", st)
	}

	// After gnv-2023's last deadline region-25 (lapsed, owing nothing)
	// has one live agreement: a call naming none gets it.
	clk.Set(time.Date(2024, 4, 5, 10, 0, 0, 0, clock.Stockholm))
	st, out = c.do(officer, "GET", "/api/v1/recipients/region-25/status", "")
	if st != http.StatusOK || out["agreement"] != second || out["paid_kr"] != json.Number("2440000") {
		t.Errorf("status naming no agreement, one live: %d %v %v", st, out["agreement"], out["paid_kr"])
	}
}
