package alloc

import (
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/money"
)

// The tests in this file each guard one key against a plausible break;
// the break they catch is named in each test's comment.

// TestMixedKeyUnequalWeights catches a mixed key whose halves are swapped
// (a weight applied to the other figure): with 1/2 and 1/2, as in the
// agreement, that change is invisible.
func TestMixedKeyUnequalWeights(t *testing.T) {
	// Population 1:3, health care 1:1 → 1/3·1/4 + 2/3·1/2 = 5/12 and
	// 1/3·3/4 + 2/3·1/2 = 7/12. Swapped: 1/3·1/2 + 2/3·1/4 = 4/12.
	in := Inputs{Counties: []County{{Code: "01", Befolkning: 1, KommunalHSV: 5}, {Code: "02", Befolkning: 3, KommunalHSV: 5}}}
	mix := []agreement.MixTerm{{Factor: "befolkning", Weight: "1/3"}, {Factor: "kommunal_hsv", Weight: "2/3"}}
	got, err := byClaims(1200, mixedClaims(mix, &in))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Amount != 500 || got[1].Amount != 700 {
		t.Errorf("got %d, %d; want 500, 700", got[0].Amount, got[1].Amount)
	}
	if want := "1/3 × befolkning 1 av 4 + 2/3 × individer med kommunal hälso- och sjukvård 5 av 10"; got[0].Basis != want {
		t.Errorf("basis = %q, want %q", got[0].Basis, want)
	}
}

// TestBaseAmountsOfTheAgreement catches a base amount that is dropped or
// not taken off before the rest is apportioned, in the code or in the
// agreement file: every region gets 500 000 kr plus its population share
// of what is left.
func TestBaseAmountsOfTheAgreement(t *testing.T) {
	a := gnv(t)
	in := FromAgreement(a)
	tab, err := Build(a, in, agreement.TableRegioner)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for ci, col := range tab.Columns {
		for _, p := range col.Parts {
			if p.Key != agreement.KeyBasePlusPopulation {
				continue
			}
			seen++
			if p.Base != 500000 {
				t.Errorf("%s/%s: base %d kr, want 500 000", col.ID, p.ID, p.Base)
			}
			rest := p.Amount - money.Kr(len(in.Counties))*p.Base
			pop, err := LargestRemainder(rest, claimsOf(in, func(c County) int64 { return c.Befolkning }))
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range tab.Rows {
				if got, want := r.Cells[ci].Amount, p.Base+pop[i].Amount; got != want {
					t.Errorf("%s %s = %d, want %d + %d", r.Code, col.ID, got, p.Base, pop[i].Amount)
				}
			}
		}
	}
	if seen != 2 {
		t.Errorf("%d parts with a base amount, want 2 (Vision e-hälsa, Ambulans)", seen)
	}
}

// TestRuralWeightsOfTheAgreement catches a changed weight of the rural
// key (tätortsnära ×1, glesa ×4, mycket glesa ×6), in the code or in the
// agreement file.
func TestRuralWeightsOfTheAgreement(t *testing.T) {
	in := Inputs{Rural: []Rural{
		{Code: "01", Counts: true, Tatortsnara: 10}, // 10
		{Code: "02", Counts: true, Glesa: 5},        // 20
		{Code: "03", Counts: true, MycketGlesa: 5},  // 30
	}}
	got, err := byClaims(600, ruralClaims(gnv(t).RuralWeights, &in))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Amount != 100 || got[1].Amount != 200 || got[2].Amount != 300 {
		t.Errorf("got %d %d %d; want 100 200 300", got[0].Amount, got[1].Amount, got[2].Amount)
	}
}

// TestVFUBasis catches a total increase that counts decreases: the
// explanation must name the increase of those who increase.
func TestVFUBasis(t *testing.T) {
	a := gnv(t)
	tab, err := Build(a, vfuInputs(a), agreement.TableVFU)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"12":   "ökning 77 veckor av total ökning 87",
		"25":   "ingen ökning (100 → 90 veckor)",
		"2584": "ingen ökning (20 → 20 veckor)",
	}
	for code, basis := range want {
		r, ok := tab.Row(code)
		if !ok || len(r.Cells[0].Parts) != 1 {
			t.Fatalf("row %s missing or not one part", code)
		}
		if got := r.Cells[0].Parts[0].Basis; got != basis {
			t.Errorf("%s basis = %q, want %q", code, got, basis)
		}
	}
}

// TestFixedAmount catches a fixed amount that goes to anyone but SKR, is
// split, or is apportioned by another key.
func TestFixedAmount(t *testing.T) {
	a := gnv(t)
	in := FromAgreement(a)
	var parts []agreement.Part
	for _, c := range a.Components {
		for _, p := range c.Parts {
			if p.Key == agreement.KeyFixed {
				parts = append(parts, p)
			}
		}
	}
	if len(parts) != 1 || parts[0].Amount != 51500000 {
		t.Fatalf("fixed parts %+v, want one of 51 500 000 kr", parts)
	}
	got, err := apportion(a, parts[0], &in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != "skr" || parts[0].To != "skr" || got[0].Amount != 51500000 || got[0].Basis != "fast belopp" {
		t.Errorf("fixed amount apportioned as %+v", got)
	}
}
