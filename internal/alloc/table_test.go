package alloc

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/money"
)

func gnv(t testing.TB) *agreement.Agreement {
	t.Helper()
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// vfuInputs returns a reporting set with ties: several reporters with the
// same increase, some decreasing, regions and municipalities mixed.
func vfuInputs(a *agreement.Agreement) Inputs {
	in := FromAgreement(a)
	in.VFU = []VFUReport{
		{"0114", 10, 13}, {"0115", 5, 8}, {"01", 400, 403}, // three ties of +3
		{"25", 100, 90},  // decrease: nothing
		{"2584", 20, 20}, // no change: nothing
		{"12", 300, 377},
		{"1280", 0, 1},
	}
	return in
}

func checkColumnsSum(t *testing.T, tab *Table) {
	t.Helper()
	sums, grand, err := tab.ColumnTotals()
	if err != nil {
		t.Fatal(err)
	}
	var want money.Kr
	for i, c := range tab.Columns {
		if sums[i] != c.Amount {
			t.Errorf("%s/%s sums to %d, want %d", tab.Name, c.ID, sums[i], c.Amount)
		}
		want += c.Amount
	}
	if grand != want {
		t.Errorf("%s grand total %d, want %d", tab.Name, grand, want)
	}
}

func TestEveryColumnSumsExactly(t *testing.T) {
	a := gnv(t)
	for _, name := range agreement.TableIDs {
		t.Run(string(name), func(t *testing.T) {
			tab, err := Build(a, vfuInputs(a), name)
			if err != nil {
				t.Fatal(err)
			}
			checkColumnsSum(t, tab)
			for i := 1; i < len(tab.Rows); i++ {
				if tab.Rows[i-1].Code >= tab.Rows[i].Code {
					t.Errorf("rows not sorted: %s before %s", tab.Rows[i-1].Code, tab.Rows[i].Code)
				}
			}
		})
	}
}

func TestNaraVardIsTwoPartsApportionedSeparately(t *testing.T) {
	a := gnv(t)
	in := FromAgreement(a)
	tab, err := Build(a, in, agreement.TableRegioner)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := LargestRemainder(2089000000, claimsOf(in, func(c County) int64 { return c.Befolkning }))
	if err != nil {
		t.Fatal(err)
	}
	var rural []Claim
	for _, r := range in.Rural {
		rural = append(rural, Claim{r.Code, big.NewRat(r.Belopp, 1)})
	}
	rur, err := LargestRemainder(300000000, rural)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range tab.Rows {
		if got, want := r.Cells[0].Amount, pop[i].Amount+rur[i].Amount; got != want {
			t.Errorf("%s nara_vard = %d, want %d + %d", r.Code, got, pop[i].Amount, rur[i].Amount)
		}
	}
}

func claimsOf(in Inputs, f func(County) int64) []Claim {
	var out []Claim
	for _, c := range in.Counties {
		out = append(out, Claim{c.Code, big.NewRat(f(c), 1)})
	}
	return out
}

func TestBasePlusPopulation(t *testing.T) {
	in := Inputs{Counties: []County{{Code: "01", Befolkning: 3}, {Code: "02", Befolkning: 1}}}
	got, err := basePlusPopulation(1000, 100, &in)
	if err != nil {
		t.Fatal(err)
	}
	// 800 left: 600 and 200 on top of 100 each.
	if got[0].Amount != 700 || got[1].Amount != 300 {
		t.Errorf("got %d, %d", got[0].Amount, got[1].Amount)
	}
	if _, err := basePlusPopulation(150, 100, &in); err == nil {
		t.Error("bases larger than the amount accepted")
	}
}

func TestMixedKey(t *testing.T) {
	// Population 1:3, health care 1:1 → weights 1/2·1/4 + 1/2·1/2 = 3/8 and 5/8.
	in := Inputs{Counties: []County{{Code: "01", Befolkning: 1, KommunalHSV: 5}, {Code: "02", Befolkning: 3, KommunalHSV: 5}}}
	mix := []agreement.MixTerm{{Factor: "befolkning", Weight: "1/2"}, {Factor: "kommunal_hsv", Weight: "1/2"}}
	got, err := byClaims(800, mixedClaims(mix, &in))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Amount != 300 || got[1].Amount != 500 {
		t.Errorf("got %d, %d", got[0].Amount, got[1].Amount)
	}
	if got[0].Fraction.Cmp(big.NewRat(3, 8)) != 0 {
		t.Errorf("fraction = %s", got[0].Fraction.RatString())
	}
}

func TestRuralKeyCounts(t *testing.T) {
	rw := agreement.RuralWeights{Tatortsnara: 1, Glesa: 4, MycketGlesa: 6}
	in := Inputs{Rural: []Rural{
		{Code: "01", Counts: true, Tatortsnara: 10},                          // 10
		{Code: "02", Counts: true, Glesa: 5},                                 // 20
		{Code: "03", Counts: true, Tatortsnara: 4, Glesa: 1, MycketGlesa: 1}, // 14
	}}
	got, err := byClaims(440, ruralClaims(rw, &in))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Amount != 100 || got[1].Amount != 200 || got[2].Amount != 140 {
		t.Errorf("got %d %d %d", got[0].Amount, got[1].Amount, got[2].Amount)
	}
}

func TestVFUOnlyIncreasesReceive(t *testing.T) {
	a := gnv(t)
	tab, err := Build(a, vfuInputs(a), agreement.TableVFU)
	if err != nil {
		t.Fatal(err)
	}
	// Total increase 3+3+3+77+1 = 87; 250 000 000 × 3/87 = 8 620 689,655… each.
	want := map[string]money.Kr{"01": 8620690, "0114": 8620690, "0115": 8620689, "12": 221264368, "1280": 2873563, "25": 0, "2584": 0}
	for _, r := range tab.Rows {
		if r.Cells[0].Amount != want[r.Code] {
			t.Errorf("%s = %d, want %d", r.Code, r.Cells[0].Amount, want[r.Code])
		}
	}
	if _, err := Build(a, FromAgreement(a), agreement.TableVFU); err == nil || !strings.Contains(err.Error(), "VFU") {
		t.Errorf("vfu without reports: err = %v", err)
	}
}

func TestBuildRejects(t *testing.T) {
	a := gnv(t)
	in := FromAgreement(a)
	for i := range in.Counties {
		in.Counties[i].Befolkning = 0
	}
	if _, err := Build(a, in, agreement.TableRegioner); err == nil {
		t.Error("all-zero population accepted")
	}
	if _, err := Build(a, FromAgreement(a), "kommun"); err == nil {
		t.Error("unknown table accepted")
	}
}

func BenchmarkAllocateAllTables(b *testing.B) {
	a := gnv(b)
	in := vfuInputs(a)
	for i := range 290 {
		in.VFU = append(in.VFU, VFUReport{Code: fmt.Sprintf("9%03d", i), WeeksBase: int64(i), WeeksCurrent: int64(i + i%7)})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range agreement.TableIDs {
			if _, err := Build(a, in, name); err != nil {
				b.Fatal(err)
			}
		}
	}
}
