package payment

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func batch() File {
	at := time.Date(2023, 11, 20, 9, 30, 0, 0, time.UTC)
	return File{
		MessageID: "NARVARD-B-0001", Created: at, ExecuteOn: at,
		Debtor: Party{"Kammarkollegiet", "202100-0829"}, DebtorAcct: Account{Type: "bankgiro", Number: "5050-1055"},
		Transfers: []Transfer{
			{"R-7Q2X", 128092174, Party{"Region Norrbotten", "232100-0230"}, Account{Type: "bankgiro", Number: "991-2346"}, "GNV 2023 Norrbotten"},
			{"R-8K1C", 14188196, Party{"RSS Jämtlands län", ""}, Account{Type: "plusgiro", Number: "12 34 56-6"}, strings.Repeat("å", 200)},
		},
	}
}

func TestPain001Sums(t *testing.T) {
	out, err := Pain001(batch())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		GrpHdr struct {
			NbOfTxs string
			CtrlSum string
		} `xml:"CstmrCdtTrfInitn>GrpHdr"`
		Amounts []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>Amt>InstdAmt"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.GrpHdr.NbOfTxs != "2" || doc.GrpHdr.CtrlSum != "142280370.00" {
		t.Errorf("header = %+v", doc.GrpHdr)
	}
	if strings.Join(doc.Amounts, ",") != "128092174.00,14188196.00" {
		t.Errorf("amounts = %v", doc.Amounts)
	}
	for _, want := range []string{"<Prtry>BGNR</Prtry>", "<Id>9912346</Id>", "<MmbId>9960</MmbId>", "<Id>1234566</Id>", "<Id>2321000230</Id>"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %s", want)
		}
	}
}

func TestPain001Refuses(t *testing.T) {
	b := batch()
	b.Transfers = nil
	if _, err := Pain001(b); err == nil {
		t.Error("empty batch accepted")
	}
	b = batch()
	b.Transfers[0].Account.Number = "991-2347"
	if _, err := Pain001(b); err == nil {
		t.Error("bad bankgiro accepted")
	}
	b = batch()
	b.Transfers[1].Amount = 0
	if _, err := Pain001(b); err == nil {
		t.Error("zero amount accepted")
	}
}

// ibanBatch is the batch paid from an account held at a bank: the
// debtor's account is an IBAN and its agent the bank's BIC.
func ibanBatch() File {
	b := batch()
	b.Debtor = Party{"Socialstyrelsen", "202100-0555"}
	b.DebtorAcct = Account{Type: "iban", Number: "SE45 5000 0000 0583 9825 7466", BIC: "essesess"}
	return b
}

// TestPain001Debtor: the debtor's account is the one given, a bankgiro
// number (BGNR, no agent) or an IBAN with its bank's BIC as the debtor's
// agent, and a bad one refuses the file.
func TestPain001Debtor(t *testing.T) {
	type debtor struct {
		IBAN   string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct>Id>IBAN"`
		Othr   string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct>Id>Othr>Id"`
		Scheme string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAcct>Id>Othr>SchmeNm>Prtry"`
		BIC    string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAgt>FinInstnId>BIC"`
		NoAgt  string `xml:"CstmrCdtTrfInitn>PmtInf>DbtrAgt>FinInstnId>Othr>Id"`
		Name   string `xml:"CstmrCdtTrfInitn>PmtInf>Dbtr>Nm"`
	}
	for _, tt := range []struct {
		name string
		file File
		want debtor
	}{
		{"bankgiro", batch(), debtor{Othr: "50501055", Scheme: "BGNR", NoAgt: "NOTPROVIDED", Name: "Kammarkollegiet"}},
		{"iban", ibanBatch(), debtor{IBAN: "SE4550000000058398257466", BIC: "ESSESESS", Name: "Socialstyrelsen"}},
	} {
		out, err := Pain001(tt.file)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got debtor
		if err := xml.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s: debtor = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	for _, acct := range []Account{
		{Type: "iban", Number: "SE45 5000 0000 0583 9825 7467", BIC: "ESSESESS"},
		{Type: "iban", Number: "SE45 5000 0000 0583 9825 7466"},
		{Type: "iban", Number: "SE45 5000 0000 0583 9825 7466", BIC: "ESSE"},
		{Type: "bankgiro", Number: "5050-1056"},
		{},
	} {
		b := batch()
		b.DebtorAcct = acct
		if _, err := Pain001(b); err == nil {
			t.Errorf("debtor account %+v accepted", acct)
		}
	}
}

// TestPain001ValidatesAgainstSchema checks the file, paid from a bankgiro
// account and from an IBAN, against the schema in testdata with xmllint
// (Debian's libxml2-utils), which CI installs.
func TestPain001ValidatesAgainstSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing in CI; .ci/run must install libxml2-utils")
		}
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	file := filepath.Join(t.TempDir(), "pain.xml")
	for _, b := range []File{batch(), ibanBatch()} {
		out, err := Pain001(b)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, out, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(xmllint, "--noout", "--schema", "testdata/pain.001.001.03-subset.xsd", file)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("schema validation failed: %v\n%s\n%s", err, msg, out)
		}
		// The schema must be able to say no.
		for _, change := range [][2]string{{"<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CASH</PmtMtd>"}, {"<BIC>ESSESESS</BIC>", "<BIC>ESSE</BIC>"}} {
			bad := strings.Replace(string(out), change[0], change[1], 1)
			if bad == string(out) {
				continue
			}
			if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := exec.Command(xmllint, "--noout", "--schema", "testdata/pain.001.001.03-subset.xsd", file).Run(); err == nil {
				t.Errorf("an invalid file passed the schema: %s", change[1])
			}
		}
	}
}
