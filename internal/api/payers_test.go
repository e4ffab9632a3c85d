package api

import (
	"encoding/xml"
	"strings"
	"testing"
)

// approvedRequisition walks Region Norrbotten's requisition to approved.
func approvedRequisition(t *testing.T, c *client, amount string) string {
	t.Helper()
	st, out := c.do("officer@nll.se", "POST", "/api/v1/requisitions", body(amount, "991-2346"))
	if st != 201 {
		t.Fatalf("create: %d %v", st, out)
	}
	id := out["id"].(string)
	if st, out := c.do("sign@nll.se", "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 200 {
		t.Fatalf("sign: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/requisitions/"+id+"/approve", ""); st != 200 {
		t.Fatalf("approve: %d %v", st, out)
	}
	return id
}

// TestPayingAgencyAccount: without its own account Kammarkollegiet makes
// no batch (409, saying what to set and where); the admin sets it with
// PUT /organisations/{id}, checked per field, and GET shows it.
func TestPayingAgencyAccount(t *testing.T) {
	c, _, _ := setup(t, "2023-11-15T10:00:00+01:00")
	approvedRequisition(t, c, "1000")
	st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`)
	msg, _ := out["error"].(map[string]any)["message"].(string)
	if st != 409 || code(out) != "conflict" || !strings.Contains(msg, "PUT /api/v1/organisations/kammarkollegiet") || !strings.Contains(msg, "bankgironummer") {
		t.Fatalf("batch without an account: %d %v", st, out)
	}
	const put = "/api/v1/organisations/kammarkollegiet"
	for _, tt := range []struct{ body, field string }{
		{`{"name":"Kammarkollegiet","account":{"type":"iban","number":"SE45 5000 0000 0583 9825 7467","bic":"ESSESESS"}}`, "account.number"},
		{`{"name":"Kammarkollegiet","account":{"type":"iban","number":"SE45 5000 0000 0583 9825 7466","bic":"ESS"}}`, "account.bic"},
		{`{"name":"Kammarkollegiet","bankgiro":"5050-1056"}`, "account.number"},
	} {
		st, out := c.do("admin@kammarkollegiet.se", "PUT", put, tt.body)
		if st != 422 || code(out) != "invalid" || fields(out)[tt.field] == "" {
			t.Errorf("%s: %d %v, want 422 on %s", tt.body, st, out, tt.field)
		}
	}
	if st, out := c.do("pay@kammarkollegiet.se", "PUT", put, `{"name":"Kammarkollegiet","bankgiro":"5050-1055"}`); st != 403 {
		t.Errorf("payer sets the account: %d %v", st, out)
	}
	st, out = c.do("admin@kammarkollegiet.se", "PUT", put, `{"name":"Kammarkollegiet","org_nr":"202100-0829","iban":"se45 5000 0000 0583 9825 7466","bic":"essesess"}`)
	acct, _ := out["account"].(map[string]any)
	if st != 200 || acct["type"] != "iban" || acct["number"] != "SE4550000000058398257466" || acct["bic"] != "ESSESESS" {
		t.Fatalf("set IBAN: %d %v", st, out)
	}
	st, out = c.do("analys@regeringskansliet.se", "GET", "/api/v1/organisations", "")
	found := false
	for _, o := range out["organisations"].([]any) {
		o := o.(map[string]any)
		if o["id"] == "kammarkollegiet" {
			acct, _ := o["account"].(map[string]any)
			found = acct["number"] == "SE4550000000058398257466"
		}
	}
	if st != 200 || !found {
		t.Errorf("organisations: %d, account shown %v", st, found)
	}
	st, out = c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`)
	if st != 201 || out["payer"] != "kammarkollegiet" || out["debtor_account"].(map[string]any)["number"] != "SE4550000000058398257466" {
		t.Errorf("batch with the account: %d %v", st, out)
	}
}

// TestAttest: the maker cannot attest (403), nor a payer of another
// agency; another payer of Kammarkollegiet can, once (then 409). Before
// that the batch gives no file and cannot be confirmed (409); after, the
// file's debtor is the configured account and the batch shows both.
func TestAttest(t *testing.T) {
	c, _, _ := setup(t, "2023-11-15T10:00:00+01:00")
	id := approvedRequisition(t, c, "128092174")
	c.readyToPay()
	st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"requisitions":["`+id+`"]}`)
	if st != 201 || out["status"] != "created" || out["attested"] != false || out["created_by"] != "pay@kammarkollegiet.se" {
		t.Fatalf("batch: %d %v", st, out)
	}
	batch := "/api/v1/payment-batches/" + out["id"].(string)
	if st, out := c.do("pay@kammarkollegiet.se", "GET", batch+"/pain.001", ""); st != 409 || code(out) != "conflict" {
		t.Errorf("file before attestation: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", batch+"/confirm", `{"paid_on":"2023-11-15"}`); st != 409 || code(out) != "conflict" {
		t.Errorf("confirm before attestation: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", batch+"/attest", ""); st != 403 || code(out) != "forbidden" {
		t.Errorf("maker attests: %d %v", st, out)
	}
	if st, out := c.do("pay@socialstyrelsen.se", "POST", batch+"/attest", ""); st != 403 {
		t.Errorf("Socialstyrelsen's payer attests: %d %v", st, out)
	}
	if st, out := c.do("officer@nll.se", "POST", batch+"/attest", ""); st != 403 {
		t.Errorf("officer attests: %d %v", st, out)
	}
	if st, out := c.do("second@kammarkollegiet.se", "POST", "/api/v1/payment-batches/B-NONE/attest", ""); st != 404 {
		t.Errorf("attest no batch: %d %v", st, out)
	}
	st, out = c.do("second@kammarkollegiet.se", "POST", batch+"/attest", "")
	if st != 200 || out["status"] != "attested" || out["attested_by"] != "second@kammarkollegiet.se" || out["attested_at"] == "" || out["created_by"] != "pay@kammarkollegiet.se" {
		t.Fatalf("attest: %d %v", st, out)
	}
	if st, out := c.do("second@kammarkollegiet.se", "POST", batch+"/attest", ""); st != 409 || code(out) != "conflict" {
		t.Errorf("attest twice: %d %v", st, out)
	}
	st, out = c.do("pay@kammarkollegiet.se", "GET", batch+"/pain.001", "")
	var doc struct {
		Acct   string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct>Id>Othr>Id"`
		Scheme string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct>Id>Othr>SchmeNm>Prtry"`
		Name   string `xml:"CstmrCdtTrfInitn>PmtInf>Dbtr>Nm"`
	}
	if st != 200 {
		t.Fatalf("file: %d %v", st, out)
	}
	if err := xml.Unmarshal([]byte(out["raw"].(string)), &doc); err != nil || doc.Acct != "50501055" || doc.Scheme != "BGNR" || doc.Name != "Kammarkollegiet" {
		t.Errorf("debtor = %+v, %v", doc, err)
	}
	if st, out := c.do("pay@socialstyrelsen.se", "POST", batch+"/confirm", `{"paid_on":"2023-11-15"}`); st != 403 {
		t.Errorf("Socialstyrelsen's payer confirms: %d %v", st, out)
	}
	if st, out := c.do("pay@kammarkollegiet.se", "POST", batch+"/confirm", `{"paid_on":"2023-11-15"}`); st != 200 || out["status"] != "paid" || out["attested_by"] != "second@kammarkollegiet.se" {
		t.Errorf("confirm: %d %v", st, out)
	}
	st, out = c.do("analys@regeringskansliet.se", "GET", "/api/v1/payment-batches", "")
	list, _ := out["payment_batches"].([]any)
	if st != 200 || len(list) != 1 || list[0].(map[string]any)["attested_by"] != "second@kammarkollegiet.se" || list[0].(map[string]any)["created_by"] != "pay@kammarkollegiet.se" {
		t.Errorf("list: %d %v", st, out)
	}
}
