package sie

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"narvard/internal/money"
)

func readRegion(t *testing.T) (*File, []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/region.se")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read("region.se", data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return f, data
}

func TestReadRegion(t *testing.T) {
	f, _ := readRegion(t)
	if !f.Checksummed {
		t.Error("the #KSUMMA was not checked")
	}
	if f.Company != "Region Jämtland Härjedalen" {
		t.Errorf("company %q: code page 437 not decoded", f.Company)
	}
	if f.Objects[ObjectRef{Dim: 6, ID: "P1"}] != "Hälsocentral Åre" {
		t.Errorf("objects %v", f.Objects)
	}
	if f.Generated != date("20240115") || f.GeneratedBy != "Ekonomiavdelningen" || f.Program != "Raindance 2023.1" {
		t.Errorf("#GEN %v %q, #PROGRAM %q", f.Generated, f.GeneratedBy, f.Program)
	}
	if len(f.Years) != 2 || f.Years[0].Start != date("20230101") || f.Years[0].End != date("20231231") {
		t.Errorf("years %+v", f.Years)
	}
	if len(f.Vouchers) != 7 {
		t.Fatalf("%d vouchers, want 7", len(f.Vouchers))
	}
	if v := f.Vouchers[3]; v.Text != `Kreditnota "material"` || v.Series != "B" || v.Number != "2" {
		t.Errorf("voucher %+v: the escaped quote", v)
	}
	// #BTRANS (removed) and #RTRANS (added, repeated as #TRANS) leave the
	// verification as it stands: two lines.
	if n := len(f.Vouchers[5].Trans); n != 2 {
		t.Errorf("corrected voucher has %d lines, want 2", n)
	}
}

func TestTransactions(t *testing.T) {
	f, _ := readRegion(t)
	tests := []struct {
		voucher, line int
		account       string
		amount        money.Ore
		date          string
		dim1, dim6    string
	}{
		{0, 0, "4010", 123456, "20230115", "9916", "P1"},
		{1, 2, "7010", 33334, "20230131", "9917", ""},
		{2, 0, "5010", 50025, "20230210", "9916", "P1"},
		{2, 2, "5010", 10000, "20230210", "1000", ""},
		{3, 0, "4010", -3456, "20230215", "9916", ""},
		{6, 0, "7010", 1, "20230531", "9916", ""},
	}
	for _, tt := range tests {
		tr := f.Vouchers[tt.voucher].Trans[tt.line]
		d1, _ := tr.Object(1)
		d6, _ := tr.Object(6)
		if tr.Account != tt.account || tr.Amount != tt.amount || tr.Date != date(tt.date) || d1 != tt.dim1 || d6 != tt.dim6 {
			t.Errorf("voucher %d line %d: %+v", tt.voucher, tt.line, tr)
		}
	}
}

// The checksum is the CRC-32 of the labels and the fields' texts between
// the two #KSUMMA records, without separators, quotes or braces.
func TestChecksumCoversFieldTexts(t *testing.T) {
	body := "#FLAGGA 0\n#KSUMMA\n#KONTO 1910 \"Kassa\"\n#OBJEKT 1 \"9916\" \"N\x84ra\"\n#KSUMMA %s\n"
	sum := crc("#KONTO" + "1910" + "Kassa" + "#OBJEKT" + "1" + "9916" + "N\x84ra")
	if _, err := Read("k.se", []byte(strings.Replace(body, "%s", sum, 1))); err != nil {
		t.Fatalf("a right sum refused: %v", err)
	}
	_, err := Read("k.se", []byte(strings.Replace(body, "%s", "12345", 1)))
	wantError(t, err, 5, "kontrollsumman stämmer inte")
}

// Every damaged copy of the region's file is refused whole, with the line.
func TestDamagedFilesAreRefused(t *testing.T) {
	_, data := readRegion(t)
	tests := []struct {
		name, old, new string
		line           int
		msg            string
	}{
		{"text changed", "februari, delad", "februari, delat", 66, "kontrollsumman stämmer inte"},
		{"unbalanced", "{} -1100", "{} -1099.99", 36, "balanserar inte: debet och kredit skiljer 0,01 kr"},
		{"unknown object", `{1 "1000"}`, `{1 "1001"}`, 40, `objekt "1001" i dimension 1 finns inte`},
		{"outside the years", "20230502", "20240502", 60, "utanför filens räkenskapsår"},
		{"comma decimal", "500.25", "500,25", 38, `belopp "500,25"`},
		{"three decimals", "499.75", "499.751", 39, "fler decimaler än ören"},
		{"bad date", "20230210", "20230230", 36, "inget giltigt datum"},
		{"open quote", `"Hyra februari, delad"`, `"Hyra februari, delad`, 36, "citattecknen"},
		{"open list", `{1 "9917"} 499.75`, `{1 "9917" 499.75`, 39, "klamrar"},
		{"transaction outside", "{\r\n\t#TRANS 3010", "\t#TRANS 3010", 49, "väntade { efter #VER"},
		{"unclosed", "\t#TRANS 1930 {} -0.50\r\n}\r\n", "\t#TRANS 1930 {} -0.50\r\n", 60, "saknar sitt avslutande }"},
		{"type 2", "#SIETYP 4", "#SIETYP 2", 4, "SIE-typ 2"},
		{"odd list", `{1 "9917"} 333.33`, `{1} 333.33`, 31, "par av dimension och objekt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			damaged := bytes.Replace(data, []byte(tt.old), []byte(tt.new), 1)
			if bytes.Equal(damaged, data) {
				t.Fatalf("%q not in the file", tt.old)
			}
			if tt.name != "text changed" {
				damaged = withoutChecksum(damaged)
			}
			_, err := Read("region.se", damaged)
			wantError(t, err, tt.line, tt.msg)
		})
	}
}

func TestAmounts(t *testing.T) {
	good := map[string]money.Ore{"0": 0, "1234.5": 123450, "-0.01": -1, "+7": 700, ".5": 50, "12.300": 1230, "-1234.56": -123456}
	for s, want := range good {
		if got, err := parseAmount(s); err != nil || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "-", "1.", "1,5", "1e3", "12.345", "1 000", "9999999999999999"} {
		if _, err := parseAmount(s); err == nil {
			t.Errorf("parseAmount(%q) accepted", s)
		}
	}
}

func TestUTF8WithByteOrderMark(t *testing.T) {
	src := "\uFEFF#SIETYP 4\n#FNAMN \"Åre kommun\"\n"
	f, err := Read("u.se", []byte(src))
	if err != nil || f.Company != "Åre kommun" {
		t.Fatalf("%q, %v", f.Company, err)
	}
}

func withoutChecksum(data []byte) []byte {
	i := bytes.LastIndex(data, []byte("#KSUMMA "))
	data = bytes.Replace(data[:i], []byte("#KSUMMA\r\n"), []byte("\r\n"), 1)
	return data
}

func wantError(t *testing.T, err error, line int, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want *sie.Error", err)
	}
	if (line != 0 && e.Line != line) || !strings.Contains(e.Error(), msg) {
		t.Errorf("error %q (line %d), want line %d and %q", e, e.Line, line, msg)
	}
}

func crc(s string) string {
	return checksumOf([]byte(s))
}

func date(s string) time.Time {
	d, err := parseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
