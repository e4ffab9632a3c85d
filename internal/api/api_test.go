package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/store/storetest"
)

type client struct {
	t      *testing.T
	srv    *httptest.Server
	tokens map[string]string
}

func setup(t *testing.T, now string) (*client, *app.App, *clock.Frozen) {
	t.Helper()
	return setupWith(t, now, agreement.Builtin())
}

// setupWith is setup over the given agreements.
func setupWith(t *testing.T, now string, agreements *agreement.Set) (*client, *app.App, *clock.Frozen) {
	t.Helper()
	s := storetest.Open(t)
	at, _ := time.Parse(time.RFC3339, now)
	c := clock.NewFrozen(at)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), s, agreements, c, log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(a, log))
	t.Cleanup(srv.Close)
	cl := &client{t: t, srv: srv, tokens: map[string]string{}}
	for _, u := range []struct {
		email, org string
		role       auth.Role
	}{
		{"officer@nll.se", "region-25", auth.RecipientOfficer},
		{"sign@nll.se", "region-25", auth.Signatory},
		{"officer@vll.se", "region-24", auth.RecipientOfficer},
		{"pay@kammarkollegiet.se", "kammarkollegiet", auth.Payer},
		{"second@kammarkollegiet.se", "kammarkollegiet", auth.Payer},
		{"pay@socialstyrelsen.se", "socialstyrelsen", auth.Payer},
		{"admin@kammarkollegiet.se", "kammarkollegiet", auth.Admin},
		{"analys@regeringskansliet.se", "socialdepartementet", auth.Analyst},
	} {
		if _, err := a.AddUser(context.Background(), u.email, "", u.org, u.role, "ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
		tok, err := a.CreateToken(context.Background(), u.email, 90*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cl.tokens[u.email] = tok
	}
	return cl, a, c
}

// do sends a request as the user ("" for none) and decodes the JSON answer.
func (c *client) do(user, method, path, body string, headers ...string) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+c.tokens[user])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&out); err != nil {
			c.t.Fatalf("%s %s: bad JSON %q", method, path, raw)
		}
	} else {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out
}

// readyToPay has the admin give Kammarkollegiet its own account.
func (c *client) readyToPay() {
	c.t.Helper()
	st, out := c.do("admin@kammarkollegiet.se", "PUT", "/api/v1/organisations/kammarkollegiet",
		`{"name":"Kammarkollegiet","org_nr":"202100-0829","account":{"type":"bankgiro","number":"5050-1055"}}`)
	if st != 200 {
		c.t.Fatalf("set account: %d %v", st, out)
	}
}

// attest has the second payer attest the batch.
func (c *client) attest(batch string) {
	c.t.Helper()
	if st, out := c.do("second@kammarkollegiet.se", "POST", "/api/v1/payment-batches/"+batch+"/attest", ""); st != 200 || out["status"] != "attested" {
		c.t.Fatalf("attest: %d %v", st, out)
	}
}

func code(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

const reqBody = `{"agreement":"gnv-2023","recipient":"region-25","amount_kr":%s,"period_from":"2023-01-01","period_to":"2023-12-31",
"account":{"type":"bankgiro","number":"%s"},"payment_reference":"GNV 2023","contact":{"name":"Anna A","email":"anna@nll.se","phone":"0920-12345"},
"agreement_dnr":"S2023/00123","payment_decision_dnr":"S2023/00456"}`

func body(amount, bankgiro string) string {
	return strings.Replace(strings.Replace(reqBody, "%s", amount, 1), "%s", bankgiro, 1)
}

func TestEndToEnd(t *testing.T) {
	c, a, clk := setup(t, "2023-11-15T10:00:00+01:00")
	al, _ := a.Allocation("gnv-2023", "region-25")
	if al.Total() != 128092174 { // Bilaga 3's total for Region Norrbotten binds
		t.Fatalf("region-25 may requisition %d, want 128092174", al.Total())
	}
	total := json.Number(itoa(int64(al.Total())))

	refusals := []struct {
		name, user, body string
		status           int
		code             string
	}{
		{"no token", "", body("1000", "5050-1055"), 401, "unauthenticated"},
		{"another region's officer", "officer@vll.se", body("1000", "5050-1055"), 403, "forbidden"},
		{"an analyst writing", "analys@regeringskansliet.se", body("1000", "5050-1055"), 403, "forbidden"},
		{"over allocation", "officer@nll.se", body(itoa(int64(al.Total())+1), "5050-1055"), 422, "over_allocation"},
		{"bad bankgiro check digit", "officer@nll.se", body("1000", "5050-1056"), 422, "invalid"},
		{"non-integer kronor", "officer@nll.se", body("1000.5", "5050-1055"), 422, "invalid"},
		{"amount as text", "officer@nll.se", body(`"1000"`, "5050-1055"), 422, "invalid"},
		{"malformed JSON", "officer@nll.se", `{"agreement":`, 422, "invalid"},
	}
	for _, r := range refusals {
		st, out := c.do(r.user, "POST", "/api/v1/requisitions", r.body)
		if st != r.status || code(out) != r.code {
			t.Errorf("%s: %d %v, want %d %s", r.name, st, out, r.status, r.code)
		}
	}

	st, out := c.do("officer@nll.se", "POST", "/api/v1/requisitions", body(string(total), "5050-1055"))
	if st != 201 || out["status"] != "draft" || out["amount_kr"] != total {
		t.Fatalf("create: %d %v", st, out)
	}
	id := out["id"].(string)
	if st, out := c.do("officer@nll.se", "POST", "/api/v1/requisitions", body("5", "5050-1055")); st != 409 || code(out) != "conflict" {
		t.Errorf("second live: %d %v", st, out)
	}
	if st, out := c.do("officer@vll.se", "GET", "/api/v1/requisitions/"+id, ""); st != 403 || code(out) != "forbidden" {
		t.Errorf("other region reads: %d %v", st, out)
	}
	if st, out := c.do("officer@vll.se", "GET", "/api/v1/requisitions?recipient=region-25", ""); st != 403 {
		t.Errorf("other region lists: %d %v", st, out)
	}
	if st, out := c.do("officer@nll.se", "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 403 {
		t.Errorf("officer signs: %d %v", st, out)
	}
	if st, out := c.do("sign@nll.se", "POST", "/api/v1/requisitions/"+id+"/sign", "", "Idempotency-Key", "k1"); st != 200 || out["status"] != "submitted" {
		t.Fatalf("sign: %d %v", st, out)
	}
	st, out = c.do("sign@nll.se", "POST", "/api/v1/requisitions/"+id+"/sign", "", "Idempotency-Key", "k1")
	if st != 200 || out["status"] != "submitted" {
		t.Errorf("replayed sign: %d %v", st, out)
	}
	if st, out := c.do("sign@nll.se", "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 409 {
		t.Errorf("sign twice without key: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/requisitions/"+id+"/approve", ""); st != 200 || out["status"] != "approved" {
		t.Fatalf("approve: %d %v", st, out)
	}
	c.readyToPay()
	st, out = c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`)
	if st != 201 || out["number_of_transactions"] != json.Number("1") || out["control_sum_kr"] != total {
		t.Fatalf("batch: %d %v", st, out)
	}
	batch := out["id"].(string)
	c.attest(batch)
	st, out = c.do("pay@kammarkollegiet.se", "GET", "/api/v1/payment-batches/"+batch+"/pain.001", "")
	if st != 200 || !strings.Contains(out["raw"].(string), "<CtrlSum>"+string(total)+".00</CtrlSum>") {
		t.Errorf("pain.001: %d %v", st, out)
	}
	clk.Set(clk.Now().Add(24 * time.Hour))
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches/"+batch+"/confirm", `{"paid_on":"2023-11-16"}`); st != 200 || out["status"] != "paid" {
		t.Fatalf("confirm: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches/"+batch+"/confirm", ""); st != 409 {
		t.Errorf("confirm twice: %d %v", st, out)
	}
	st, out = c.do("officer@nll.se", "GET", "/api/v1/recipients/region-25/status", "")
	if st != 200 || out["paid_kr"] != total || out["allocation_kr"] != total || out["requisitioned_kr"] != total {
		t.Errorf("status: %d %v", st, out)
	}
	if st, out := c.do("officer@vll.se", "GET", "/api/v1/recipients/region-25/status", ""); st != 403 {
		t.Errorf("other region's status: %d %v", st, out)
	}
	// A requisition that does not exist is not_found for everyone: the
	// lookup comes before the access check (app.readable), which answers
	// forbidden only for another organisation's existing requisition, as
	// above (ids are random, so a 403 tells no one what to guess).
	if st, out := c.do("officer@nll.se", "GET", "/api/v1/requisitions/nope", ""); st != 404 || code(out) != "not_found" {
		t.Errorf("unknown id: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "GET", "/api/v1/requisitions/R-NOPE", ""); st != 404 || code(out) != "not_found" {
		t.Errorf("unknown id for payer: %d %v", st, out)
	}
}

func TestSigningOnSecondDecember(t *testing.T) {
	c, _, clk := setup(t, "2023-11-30T12:00:00+01:00")
	st, out := c.do("officer@nll.se", "POST", "/api/v1/requisitions", body("1000", "5050-1055"))
	if st != 201 {
		t.Fatalf("create: %d %v", st, out)
	}
	clk.Set(time.Date(2023, 12, 2, 8, 0, 0, 0, clock.Stockholm))
	st, out = c.do("sign@nll.se", "POST", "/api/v1/requisitions/"+out["id"].(string)+"/sign", "")
	if st != 422 || code(out) != "deadline_passed" {
		t.Errorf("sign on 2 December: %d %v", st, out)
	}
	st, out = c.do("sign@nll.se", "GET", "/api/v1/recipients/region-25/status", "")
	if st != 200 || out["lapsed"] != true {
		t.Errorf("status: %d %v", st, out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
