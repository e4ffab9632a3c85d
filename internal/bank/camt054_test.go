package bank

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// filled is the test notification with its placeholders replaced.
func filled(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/notification.xml")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer("OCR_A", "10000180", "OCR_B", "10000289", "AMOUNT_BATCH", "3000.00",
		"AMOUNT_1", "1000.00", "AMOUNT_2", "2000", "REQ_1", "R-1", "REQ_2", "R-2", "BATCH", "B-1-1").Replace(string(b)))
}

func TestParse(t *testing.T) {
	n, err := Parse(filled(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.MessageID != "CAMT054-20240415-0001" || n.Created.IsZero() || len(n.Entries) != 4 {
		t.Fatalf("notification = %+v", n)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	e := n.Entries[0]
	if e.N != 1 || e.Direction != Credit || !e.Booked || e.Amount != 250000000 || e.Currency != "SEK" || !e.BookingDate.Equal(day("2024-04-12")) {
		t.Errorf("entry 1 = %+v", e)
	}
	if tr := e.Transactions; len(tr) != 1 || tr[0].EndToEndID != "" || len(tr[0].References) != 1 || tr[0].References[0] != "10000180" || tr[0].Amount != 250000000 {
		t.Errorf("entry 1 transactions = %+v", tr)
	}
	e = n.Entries[1]
	if len(e.Transactions) != 3 || e.Amount != 111020050 {
		t.Fatalf("entry 2 = %+v", e)
	}
	if tr := e.Transactions[0]; tr.Amount != 100050000 || tr.Unstructured != "Återbetalning OCR 10000289" {
		t.Errorf("entry 2 tx 1 = %+v", tr)
	}
	if tr := e.Transactions[2]; tr.Amount != 970050 {
		t.Errorf("entry 2 tx 3 = %+v", tr)
	}
	e = n.Entries[2]
	if e.Direction != Debit || len(e.Transactions) != 2 || e.Amount != 300000 {
		t.Fatalf("entry 3 = %+v", e)
	}
	if tr := e.Transactions[1]; tr.EndToEndID != "R-2" || tr.PmtInfID != "B-1-1" || tr.Amount != 200000 {
		t.Errorf("entry 3 tx 2 = %+v", tr)
	}
	if tr := n.Entries[3].Transactions; len(tr) != 1 || tr[0].EndToEndID != "AVGIFT-APRIL" || tr[0].Amount != 12500 {
		t.Errorf("entry 4 = %+v", tr)
	}
}

func TestParseRefusesWhole(t *testing.T) {
	good := string(filled(t))
	for name, c := range map[string]struct{ doc, want string }{
		"empty":           {"", "tom"},
		"not xml":         {"hej", "tom"},
		"truncated":       {good[:len(good)/2], "läsbar XML"},
		"camt.053":        {strings.ReplaceAll(good, "camt.054.001.02", "camt.053.001.02"), "rotelementet"},
		"no namespace":    {strings.Replace(good, `xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"`, "", 1), "rotelementet"},
		"pain.001":        {`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>`, "rotelementet"},
		"no message":      {`<Document xmlns="` + Namespace + `"></Document>`, "BkToCstmrDbtCdtNtfctn saknas"},
		"no msgid":        {strings.Replace(good, "<MsgId>CAMT054-20240415-0001</MsgId>", "", 1), "MsgId saknas"},
		"comma amount":    {strings.Replace(good, "2500000.00</Amt>\n", "2500000,00</Amt>\n", 1), "post 1 (Ntry): Amt"},
		"too many dec":    {strings.Replace(good, ">125.00<", ">125.001<", 1), "post 4 (Ntry): Amt"},
		"negative":        {strings.Replace(good, ">125.00<", ">-125.00<", 1), "post 4"},
		"no currency":     {strings.Replace(good, `<Amt Ccy="SEK">125.00`, `<Amt>125.00`, 1), "valutan"},
		"bad indicator":   {strings.Replace(good, "<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBT</CdtDbtInd>", 1), "post 3 (Ntry): CdtDbtInd"},
		"no booking":      {strings.Replace(good, "<BookgDt><Dt>2024-04-12</Dt></BookgDt>", "", 1), "post 1 (Ntry): BookgDt saknas"},
		"bad date":        {strings.Replace(good, "2024-04-12</Dt></BookgDt>", "2024-13-12</Dt></BookgDt>", 1), "inget datum"},
		"sum mismatch":    {strings.Replace(good, ">9700.50<", ">9700.00<", 1), "post 2 (Ntry): transaktionernas belopp"},
		"two documents":   {good + good, "mer än ett dokument"},
		"trailing text":   {good + "x", "text efter"},
		"no amount in tx": {strings.Replace(good, `<AmtDtls><TxAmt><Amt Ccy="SEK">100000.00</Amt></TxAmt></AmtDtls>`, "", 1), "TxDtls 2: saknar belopp"},
	} {
		_, err := Parse([]byte(c.doc))
		if !errors.Is(err, ErrDocument) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Ore
		ok   bool
	}{
		{"0", 0, true}, {"1", 100, true}, {"1.5", 150, true}, {"1.50", 150, true}, {"1.05", 105, true},
		{"1103067686.00", 110306768600, true}, {"12.34000", 1234, true}, {" 7.00 ", 700, true},
		{"999999999999999999", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"1.005", 0, false},
		{"1e3", 0, false}, {"+1", 0, false}, {"-1", 0, false}, {"1 000", 0, false}, {"", 0, false},
	} {
		got, err := parseAmount(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("parseAmount(%q) = %d, %v; want %d ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
	if kr, exact := Ore(970050).Kronor(); kr != 9700 || exact {
		t.Errorf("Kronor = %d, %v", kr, exact)
	}
	if s := Ore(970050).String(); s != "9 700,50 kr" {
		t.Errorf("String = %q", s)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(filled(f))
	f.Add([]byte(`<Document xmlns="` + Namespace + `"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>x</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="SEK">1.5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-01-01</Dt></BookgDt></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrDocument) {
				t.Fatalf("error %v does not wrap ErrDocument", err)
			}
			return
		}
		if n.MessageID == "" {
			t.Fatal("accepted without a message id")
		}
		for _, e := range n.Entries {
			if (e.Direction != Credit && e.Direction != Debit) || e.Amount < 0 || e.BookingDate.IsZero() || len(e.Transactions) == 0 {
				t.Fatalf("accepted a bad entry %+v", e)
			}
			for _, tr := range e.Transactions {
				if tr.Amount < 0 || len(tr.Currency) != 3 {
					t.Fatalf("accepted a bad transaction %+v", tr)
				}
			}
		}
	})
}
