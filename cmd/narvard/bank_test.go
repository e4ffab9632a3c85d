package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const feeOnly = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>CLI-1</MsgId><CreDtTm>2024-04-15T18:00:00</CreDtTm></GrpHdr>
<Ntfctn><Ntry><Amt Ccy="SEK">125.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-04-15</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><EndToEndId>AVGIFT</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="SEK">10.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-04-15</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>10000180</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>
`

func TestBankImport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "camt054.xml")
	if err := os.WriteFile(file, []byte(feeOnly), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "bank", "import", "--data", dir, file)
	if code != 0 || !strings.Contains(out, "Meddelandet CLI-1 inläst") || !strings.Contains(out, "Ej matchade (hanteras för hand): 2") ||
		!strings.Contains(out, "OCR-referensen 10000180 hör inte till någon skuld") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	// The file first, the flags after it; and a second time records nothing.
	code, out, _ = runCLI(t, "bank", "import", file, "--data", dir)
	if code != 0 || !strings.Contains(out, "lästes redan in") {
		t.Errorf("again: %d\n%s", code, out)
	}
	damaged := filepath.Join(t.TempDir(), "trasig.xml")
	os.WriteFile(damaged, []byte(feeOnly[:200]), 0o600)
	code, out, errOut = runCLI(t, "bank", "import", "--data", dir, damaged)
	if code != 1 || out != "" || !strings.Contains(errOut, "inget registrerades") {
		t.Errorf("damaged: %d\n%s\n%s", code, out, errOut)
	}
	// Socialstyrelsen's account's file (the VFU payout): the same reading,
	// as its payer; an agency that pays nothing is a usage error.
	sos := filepath.Join(t.TempDir(), "sos.xml")
	os.WriteFile(sos, []byte(strings.Replace(feeOnly, "CLI-1", "CLI-SOS-1", 1)), 0o600)
	code, out, errOut = runCLI(t, "bank", "import", "--data", dir, "--agency", "socialstyrelsen", sos)
	if code != 0 || !strings.Contains(out, "Meddelandet CLI-SOS-1 inläst") {
		t.Errorf("--agency socialstyrelsen: %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "bank", "import", "--data", dir, "--agency", "region-25", sos)
	if code != 2 || !strings.Contains(errOut, "ingen utbetalande myndighet") {
		t.Errorf("--agency region-25: %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "bank", "import", "--data", dir); code != 2 {
		t.Errorf("no file: %d", code)
	}
	if code, _, _ := runCLI(t, "bank"); code != 2 {
		t.Errorf("no subcommand: %d", code)
	}
}
