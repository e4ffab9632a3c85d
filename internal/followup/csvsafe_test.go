package followup

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// TestCSVTextCellsAreSafe: a unit id from the files that a spreadsheet
// would take as a formula is written with a leading ', in the indicators
// and in the comparison; the figures stay numbers.
func TestCSVTextCellsAreSafe(t *testing.T) {
	listings := listHead + "p1,25,=HYPERLINK(\"http://x\"),d1,0,K,1950\np2,25,E1,,0,M,1990\n"
	visits := visitHead + "p1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d1,lakare,fysisk\n"
	o := year2023
	o.By, o.MinCell = ByEnhet, 0
	res := compute(t, listings, visits, "", o)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, res); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs[1:] {
		if strings.Contains(r[0], "HYPERLINK") {
			found = true
			if r[0] != "'=HYPERLINK(\"http://x\")" || r[1] != "2023" || r[2] != "1" {
				t.Errorf("row %q", r)
			}
		}
	}
	if !found {
		t.Fatalf("no row of the unit:\n%s", buf.String())
	}
	var cmp bytes.Buffer
	bad := "grupp,coc,andel_fast_lakare,andel_fast_lakare_sabo\n@x,=1,-0.5,0.7\n"
	if err := Compare(&cmp, "a.csv", strings.NewReader(bad), "b.csv", strings.NewReader(bad)); err != nil {
		t.Fatal(err)
	}
	if want := "'@x,'=1,'=1,,,-0.5,nej,0.7,nej\n"; !strings.HasSuffix(cmp.String(), want) {
		t.Errorf("compare:\n%s\nwant the last line %q", cmp.String(), want)
	}
}
