package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/onward"
	"narvard/internal/org"
)

// TestOnwardPaymentFile: Jämtland's RSS, paid by Kammarkollegiet, decides
// an equal split, records a payment to two of its municipalities and has
// it as a pain.001 file from its own bankgiro to theirs: refused while the
// RSS has no account and while a municipality has no bankgiro (each
// named), refused to a municipality and to another county's RSS, and the
// file valid against the schema the payment package's test uses.
func TestOnwardPaymentFile(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	signatory := addUser(t, a, "s@rss-23.se", "rss-23", auth.Signatory)
	kkPay := addUser(t, a, "pay@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer)
	admin := addUser(t, a, "admin@narvard.test", org.Kammarkollegiet, auth.Admin)
	ostersund := addUser(t, a, "o@kommun-2380.se", "kommun-2380", auth.RecipientOfficer)
	otherRSS := addUser(t, a, "o@rss-25.se", "rss-25", auth.RecipientOfficer)
	pay(t, a, officer, signatory, kkPay, "rss-23")
	al, _ := a.Allocation("gnv-2023", "rss-23")
	specs := map[string]onward.Spec{}
	for _, c := range al.Components {
		specs[c.ID] = onward.Spec{Key: onward.Equal}
	}
	d, err := a.CreateOnward(ctx, officer, "gnv-2023", "rss-23", onward.Plan{Components: specs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DecideOnward(ctx, signatory, d.ID, "2023-11-15", "RSS 2023/1"); err != nil {
		t.Fatal(err)
	}
	p, err := a.PayOnward(ctx, officer, d.ID, "2023-11-20", []onward.PaymentLine{{Kommun: "2380", Amount: 100000}, {Kommun: "2309", Amount: 50000}})
	if err != nil {
		t.Fatal(err)
	}
	setBankgiro := func(id string, acct *org.Account, bankgiro string) {
		t.Helper()
		o, _ := a.Organisation(ctx, id)
		if _, err := a.UpdateOrganisation(ctx, admin, id, OrganisationEdit{Name: o.Name, OrgNr: o.OrgNr, Host: o.Host, Address: o.Address, Account: acct, Bankgiro: bankgiro}); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []auth.Actor{ostersund, otherRSS, kkPay} {
		if _, err := a.OnwardPaymentFile(ctx, who, p.ID); fault.CodeOf(err) != fault.Forbidden && fault.CodeOf(err) != fault.NotFound {
			t.Errorf("%s of %s has the file: %v", who.Role, who.Org, err)
		}
	}
	if _, err := a.OnwardPaymentFile(ctx, officer, "VU-finns-inte"); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("no such payment: %v", err)
	}
	if _, err := a.OnwardPaymentFile(ctx, officer, p.ID); fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "inget eget konto") {
		t.Errorf("without the RSS's account: %v", err)
	}
	acct := org.Account{Type: org.AccountBankgiro, Number: "5402-9681"}
	setBankgiro("rss-23", &acct, "")
	setBankgiro("kommun-2380", nil, "5050-1055")
	_, err = a.OnwardPaymentFile(ctx, officer, p.ID)
	if fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "kommun-2309") || strings.Contains(err.Error(), "kommun-2380") {
		t.Fatalf("kommun-2309 without a bankgiro: %v", err)
	}
	setBankgiro("kommun-2309", nil, "991-2346")
	file, err := a.OnwardPaymentFile(ctx, signatory, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := string(file)
	for _, want := range []string{"<MsgId>" + p.ID + "</MsgId>", "<CtrlSum>150000.00</CtrlSum>", "<ReqdExctnDt>2023-11-20</ReqdExctnDt>",
		"<Id>54029681</Id>", "<EndToEndId>" + p.ID + "-1</EndToEndId>", "<InstdAmt Ccy=\"SEK\">100000.00</InstdAmt>", "<Id>50501055</Id>",
		"<EndToEndId>" + p.ID + "-2</EndToEndId>", "<Id>9912346</Id>"} {
		if !strings.Contains(s, want) {
			t.Errorf("the file has not %s:\n%s", want, s)
		}
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing in CI")
		}
		t.Skip("xmllint not installed")
	}
	path := filepath.Join(t.TempDir(), "onward.xml")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", "../payment/testdata/pain.001.001.03-subset.xsd", path).CombinedOutput(); err != nil {
		t.Errorf("schema: %v\n%s", err, out)
	}
}
