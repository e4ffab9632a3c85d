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
		Debtor: Party{"Kammarkollegiet", "202100-0829"}, DebtorAcct: Account{"bankgiro", "5050-1055"},
		Transfers: []Transfer{
			{"R-7Q2X", 128092174, Party{"Region Norrbotten", "232100-0230"}, Account{"bankgiro", "991-2346"}, "GNV 2023 Norrbotten"},
			{"R-8K1C", 14188196, Party{"RSS Jämtlands län", ""}, Account{"plusgiro", "12 34 56-6"}, strings.Repeat("å", 200)},
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

// TestPain001ValidatesAgainstSchema checks the file against the schema in
// testdata with xmllint (Debian's libxml2-utils), which CI installs.
func TestPain001ValidatesAgainstSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing in CI; .ci/run must install libxml2-utils")
		}
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	out, err := Pain001(batch())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pain.xml")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xmllint, "--noout", "--schema", "testdata/pain.001.001.03-subset.xsd", file)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("schema validation failed: %v\n%s\n%s", err, msg, out)
	}
	// The schema must be able to say no.
	bad := strings.Replace(string(out), "<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CASH</PmtMtd>", 1)
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", "testdata/pain.001.001.03-subset.xsd", file).Run(); err == nil {
		t.Error("an invalid file passed the schema")
	}
}
