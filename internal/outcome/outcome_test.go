package outcome

import (
	"os"
	"strings"
	"testing"
	"time"

	"narvard/internal/money"
	"narvard/internal/sie"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// The region's SIE file (internal/sie/testdata) summed by hand, cost
// object (dimension 1) by month, on the plan's objects 9916 and 9917:
//
//	9916 January:  4010 1 234,56                       = 1 234,56
//	9916 February: 5010 500,25, 4010 -34,56 (credit)   =   465,69
//	9916 March:    3010 is income, not a cost          =     0
//	9916 May:      7010 0,01 + 0,49                    =     0,50 → 1 kr
//	9917 January:  7010 333,33 + 333,33 + 333,34       = 1 000,00
//	9917 February: 5010 499,75                         =   499,75
//	9917 April:    4010 200,00 (#RTRANS; the #BTRANS
//	               on 9916 no longer counts)           =   200,00
//
// Object 1000's 100,00 is not on the plan.
func TestOutcomeFromSIE(t *testing.T) {
	data, err := os.ReadFile("../sie/testdata/region.se")
	if err != nil {
		t.Fatal(err)
	}
	f, err := sie.Read("region.se", data)
	if err != nil {
		t.Fatal(err)
	}
	got := Sum(FromSIE(f, 1), []string{"9916", "9917"}, day("2023-01-01"), day("2023-12-31"))
	want := map[Cell]money.Ore{
		{"9916", Month{2023, time.January}}:  123456,
		{"9916", Month{2023, time.February}}: 46569,
		{"9916", Month{2023, time.May}}:      50,
		{"9917", Month{2023, time.January}}:  100000,
		{"9917", Month{2023, time.February}}: 49975,
		{"9917", Month{2023, time.April}}:    20000,
	}
	if len(got.Cells) != len(want) {
		t.Errorf("cells %v, want %v", got.Cells, want)
	}
	for c, w := range want {
		if got.Cells[c] != w {
			t.Errorf("%v: %s, want %s", c, got.Cells[c], w)
		}
	}
	if got.Skipped != 1 {
		t.Errorf("skipped %d, want 1 (object 1000)", got.Skipped)
	}
	if kr := got.Cells[Cell{"9916", Month{2023, time.May}}].Kronor(); kr != 1 {
		t.Errorf("May rounds to %d kr, want 1 (0,50 summed in öre, then rounded)", kr)
	}
	if tot := got.Object("9916"); tot != 170075 || tot.Kronor() != 1701 {
		t.Errorf("9916 total %s", tot)
	}
	if t1 := got.Tertial("9917", 2023, 1); t1 != 169975 {
		t.Errorf("9917 first tertial %s, want 1 699,75", t1)
	}
	// Dimension 6 carries the projects: only P1's lines.
	proj := Sum(FromSIE(f, 6), []string{"P1"}, day("2023-01-01"), day("2023-12-31"))
	if proj.Object("P1") != 123456+50025 {
		t.Errorf("P1 %s", proj.Object("P1"))
	}
}

func TestOutcomeFromCSV(t *testing.T) {
	src := "\uFEFFdatum;konto;kostnadsobjekt;belopp\r\n" +
		"2023-01-15;4010;9916;1 234,56\r\n" +
		"2023-02-15;4010;9916;-34,56\r\n" +
		"2023-02-15;1930;9916;-1200,00\r\n" +
		"2023-05-02;7010;9916;0,49\r\n" +
		"2023-05-31;7010;9916;0.01\r\n" +
		"2024-01-02;7010;9916;5\r\n"
	entries, err := ReadCSV("utfall.csv", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	got := Sum(entries, []string{"9916"}, day("2023-01-01"), day("2023-12-31"))
	if got.Object("9916") != 120050 || got.Skipped != 1 {
		t.Errorf("9916 %s, skipped %d", got.Object("9916"), got.Skipped)
	}
	for _, bad := range []struct{ line, want string }{
		{"2023-13-01;4010;9916;1", `utfall.csv:2: datum "2023-13-01" är inget datum`},
		{"2023-01-01;4010;9916;1,234", `utfall.csv:2: belopp "1,234" är inget belopp`},
		{"2023-01-01;;9916;1", `utfall.csv:2: konto saknar värde`},
	} {
		_, err := ReadCSV("utfall.csv", strings.NewReader("datum;konto;kostnadsobjekt;belopp\n"+bad.line+"\n"))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.line, err, bad.want)
		}
	}
}

func TestIsCostAccount(t *testing.T) {
	for acc, want := range map[string]bool{"4010": true, "7999": true, "3010": false, "8010": false, "1930": false, "": false, "40a0": false} {
		if IsCostAccount(acc) != want {
			t.Errorf("IsCostAccount(%q) = %v", acc, !want)
		}
	}
}
