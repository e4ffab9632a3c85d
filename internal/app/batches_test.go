package app

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
)

// testAccount is the paying agencies' account in the tests: Bankgirot's
// example number.
var testAccount = org.Account{Type: org.AccountBankgiro, Number: "5050-1055"}

// readyToPay gives the agency its own account, as an admin would, unless
// it has one.
func readyToPay(t *testing.T, a *App, agency string) {
	t.Helper()
	ctx := context.Background()
	o, err := a.Organisation(ctx, agency)
	if err != nil {
		t.Fatal(err)
	}
	if o.Account.IsSet() {
		return
	}
	admin := auth.Actor{Email: "admin@narvard.test", Org: agency, Role: auth.Admin}
	acct := testAccount
	if _, err := a.UpdateOrganisation(ctx, admin, agency, OrganisationEdit{Name: o.Name, OrgNr: o.OrgNr, Host: o.Host, Address: o.Address, Account: &acct}); err != nil {
		t.Fatal(err)
	}
}

// attest has a second payer of the batch's agency attest it.
func attest(t *testing.T, a *App, id string) {
	t.Helper()
	ctx := context.Background()
	b, err := a.Batch(ctx, auth.Actor{Role: auth.Auditor}, id)
	if err != nil {
		t.Fatal(err)
	}
	second := auth.Actor{Email: "attestant@" + b.Payer + ".test", Name: "Andra Utbetalaren", Org: b.Payer, Role: auth.Payer}
	if _, err := a.AttestBatch(ctx, second, id); err != nil {
		t.Fatal(err)
	}
}

// approved walks a requisition of the recipient's whole allocation to
// approved.
func approved(t *testing.T, a *App, officer, signatory, payer auth.Actor, recipient string) grant.Requisition {
	t.Helper()
	ctx := context.Background()
	al, _ := a.Allocation("gnv-2023", recipient)
	r, err := a.CreateRequisition(ctx, officer, form(recipient, al.Total()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	if r, err = a.ApproveRequisition(ctx, payer, r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestTwoPayers: the paying agency's own account is set by an admin and
// checked; without it no batch is made. A batch made by one payer is
// attested by another of the same agency, never by its maker or another
// agency's payer, and once; until then it gives no file and cannot be
// confirmed. The file carries the configured debtor account, and the
// batch and the audit log carry both names and times.
func TestTwoPayers(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	maker := addUser(t, a, "maker@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	second := addUser(t, a, "second@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	sos := addUser(t, a, "payer@socialstyrelsen.se", "socialstyrelsen", auth.Payer)
	auditor := addUser(t, a, "granskare@kammarkollegiet.se", "kammarkollegiet", auth.Auditor)
	admin := addUser(t, a, "admin@kammarkollegiet.se", "kammarkollegiet", auth.Admin)
	r := approved(t, a, officer, signatory, maker, "region-25")

	// No account: no batch, and the refusal says what to set and where.
	_, err := a.CreateBatch(ctx, maker, "gnv-2023", nil)
	if fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "/admin/organisationer/kammarkollegiet") ||
		!strings.Contains(err.Error(), "PUT /api/v1/organisations/kammarkollegiet") || !strings.Contains(err.Error(), "IBAN och BIC") {
		t.Fatalf("batch without an account: %v", err)
	}

	// The admin sets it; the check digits are checked, per field.
	kk, _ := a.Organisation(ctx, "kammarkollegiet")
	edit := OrganisationEdit{Name: kk.Name, OrgNr: kk.OrgNr}
	for _, tt := range []struct {
		acct  org.Account
		field string
	}{
		{org.Account{Type: "iban", Number: "SE45 5000 0000 0583 9825 7467", BIC: "ESSESESS"}, "account.number"},
		{org.Account{Type: "iban", Number: "SE45 5000 0000 0583 9825 7466", BIC: "ESSE"}, "account.bic"},
		{org.Account{Type: "bankgiro", Number: "5050-1056"}, "account.number"},
		{org.Account{Type: "plusgiro", Number: "12 34 56-6"}, "account.type"},
	} {
		e := edit
		e.Account = &tt.acct
		_, err := a.UpdateOrganisation(ctx, admin, "kammarkollegiet", e)
		var f *fault.Error
		if !errors.As(err, &f) || f.Code != fault.Invalid || f.Fields[tt.field] == "" {
			t.Errorf("account %+v: %v, want invalid %s", tt.acct, err, tt.field)
		}
	}
	e := edit
	e.Account = &org.Account{Type: "bankgiro", Number: "5050-1055"}
	// A recipient registers its bankgiro, where VFU money is paid; never
	// an IBAN.
	if _, err := a.UpdateOrganisation(ctx, admin, "region-25", OrganisationEdit{Name: "Region Norrbotten", Account: e.Account}); err != nil {
		t.Errorf("a bankgiro for a region: %v", err)
	}
	if _, err := a.UpdateOrganisation(ctx, admin, "region-25", OrganisationEdit{Name: "Region Norrbotten", IBAN: "SE4550000000058398257466", BIC: "ESSESESS"}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("an IBAN for a region: %v", err)
	}
	if _, err := a.UpdateOrganisation(ctx, maker, "kammarkollegiet", e); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("a payer setting the account: %v", err)
	}
	e.Account = &org.Account{Number: "se45 5000 0000 0583 9825 7466", BIC: "essesess"}
	kk, err = a.UpdateOrganisation(ctx, admin, "kammarkollegiet", e)
	if err != nil || kk.Account != (org.Account{Type: "iban", Number: "SE4550000000058398257466", BIC: "ESSESESS"}) {
		t.Fatalf("set account: %+v, %v", kk.Account, err)
	}
	// Another edit that names no account keeps it.
	edit.Address = "Box 2218, 103 15 Stockholm"
	if kk, err = a.UpdateOrganisation(ctx, admin, "kammarkollegiet", edit); err != nil || kk.Account.Number != "SE4550000000058398257466" {
		t.Fatalf("edit without account: %+v, %v", kk.Account, err)
	}

	// Socialstyrelsen's payer does not pay what Kammarkollegiet pays.
	readyToPay(t, a, "socialstyrelsen")
	if _, err := a.CreateBatch(ctx, sos, "gnv-2023", []string{r.ID}); fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "betalas av Kammarkollegiet") {
		t.Errorf("another agency's requisition: %v", err)
	}
	if _, err := a.CreateBatch(ctx, sos, "gnv-2023", nil); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("nothing for Socialstyrelsen to pay: %v", err)
	}
	if _, err := a.CreateBatch(ctx, auditor, "gnv-2023", nil); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("an auditor making a batch: %v", err)
	}

	b, err := a.CreateBatch(ctx, maker, "gnv-2023", nil)
	if err != nil || len(b.Requisitions) != 1 || b.Payer != "kammarkollegiet" || b.CreatedBy != maker.Email || b.Attested() {
		t.Fatalf("batch: %+v, %v", b.Batch, err)
	}
	// Unattested: no file, no confirmation.
	if _, err := a.PaymentFile(ctx, maker, b.ID); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("file of an unattested batch: %v", err)
	}
	if _, err := a.PaymentFile(ctx, auditor, b.ID); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("auditor's file of an unattested batch: %v", err)
	}
	if _, err := a.ConfirmBatch(ctx, maker, b.ID, time.Time{}); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("confirming an unattested batch: %v", err)
	}
	// The maker cannot attest, nor anyone but another payer of the agency.
	for _, who := range []auth.Actor{maker, sos, auditor, admin, officer} {
		if _, err := a.AttestBatch(ctx, who, b.ID); fault.CodeOf(err) != fault.Forbidden {
			t.Errorf("%s attesting: %v", who.Email, err)
		}
	}
	if _, err := a.AttestBatch(ctx, second, "B-NONE"); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("attesting no batch: %v", err)
	}
	at, err := a.AttestBatch(ctx, second, b.ID)
	if err != nil || at.AttestedBy != second.Email || at.AttestedByName != second.Name || at.AttestedAt.IsZero() || len(at.Requisitions) != 1 {
		t.Fatalf("attest: %+v, %v", at.Batch, err)
	}
	if _, err := a.AttestBatch(ctx, second, b.ID); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("attesting twice: %v", err)
	}
	if _, err := a.AttestBatch(ctx, maker, b.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("maker attesting after: %v", err)
	}

	// The account changes after the batch was made: the batch pays from
	// the one it was made and attested with.
	e.Account = &org.Account{Type: "bankgiro", Number: "991-2346"}
	if _, err := a.UpdateOrganisation(ctx, admin, "kammarkollegiet", e); err != nil {
		t.Fatal(err)
	}
	file, err := a.PaymentFile(ctx, maker, b.ID)
	if err != nil {
		t.Fatalf("pain.001: %v", err)
	}
	var doc struct {
		IBAN     string   `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct>Id>IBAN"`
		BIC      string   `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAgt>FinInstnId>BIC"`
		Name     string   `xml:"CstmrCdtTrfInitn>PmtInf>Dbtr>Nm"`
		OrgNr    string   `xml:"CstmrCdtTrfInitn>PmtInf>Dbtr>Id>OrgId>Othr>Id"`
		EndToEnd []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>PmtId>EndToEndId"`
	}
	if err := xml.Unmarshal(file, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.IBAN != "SE4550000000058398257466" || doc.BIC != "ESSESESS" || doc.Name != "Kammarkollegiet" || doc.OrgNr != "2021000829" ||
		len(doc.EndToEnd) != 1 || doc.EndToEnd[0] != r.ID {
		t.Errorf("debtor = %+v", doc)
	}
	if _, err := a.PaymentFile(ctx, auditor, b.ID); err != nil {
		t.Errorf("auditor's file: %v", err)
	}

	if _, err := a.ConfirmBatch(ctx, sos, b.ID, time.Time{}); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another agency's payer confirming: %v", err)
	}
	paid, err := a.ConfirmBatch(ctx, maker, b.ID, time.Time{})
	if err != nil || paid.AttestedBy != second.Email || paid.CreatedByName != maker.Name {
		t.Fatalf("confirm: %+v, %v", paid.Batch, err)
	}
	checkLedger(t, a)
	list, err := a.Batches(ctx, auditor)
	if err != nil || len(list) != 1 || list[0].AttestedBy != second.Email || list[0].CreatedBy != maker.Email || !list[0].Confirmed() {
		t.Errorf("batches = %+v, %v", list, err)
	}

	// The national status workbook names both for the recipient.
	wb, err := a.StatusWorkbook(ctx, auditor, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(wb))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Status")
	var row []string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "region-25" {
			row = r
		}
	}
	if len(row) < 19 || row[14] != b.ID || row[15] != maker.Name || row[16] == "" || row[17] != second.Name || row[18] == "" {
		t.Errorf("workbook row = %v", row)
	}

	// The audit log has both people and both times.
	err = a.db.View(ctx, func(tx *store.Tx) error {
		log, err := tx.AuditLog(0, false)
		if err != nil {
			return err
		}
		var actions []string
		for _, x := range log {
			if x.Object != "batch:"+b.ID {
				continue
			}
			actions = append(actions, x.Action+" "+x.Actor)
			if x.Action == "batch.attest" {
				var d map[string]string
				if err := json.Unmarshal([]byte(x.Detail), &d); err != nil {
					return err
				}
				if d["made_by"] != maker.Email || d["made_by_name"] != maker.Name || d["made_at"] == "" ||
					d["attested_by"] != second.Email || d["attested_by_name"] != second.Name || d["attested_at"] == "" {
					t.Errorf("attest entry = %v", d)
				}
			}
		}
		if strings.Join(actions, ", ") != "batch.create "+maker.Email+", batch.attest "+second.Email+", batch.confirm "+maker.Email {
			t.Errorf("audit = %v", actions)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
