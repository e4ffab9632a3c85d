package geo

import (
	"slices"
	"testing"
)

func TestMunicipalities(t *testing.T) {
	all := Municipalities()
	if len(all) != 290 {
		t.Fatalf("municipalities = %d, want 290", len(all))
	}
	seen := map[string]bool{}
	for _, m := range all {
		if len(m.Code) != 4 || m.Code[:2] != m.County || seen[m.Code] || m.Name == "" {
			t.Errorf("bad municipality %+v", m)
		}
		seen[m.Code] = true
	}
	if m, ok := Kommun("2584"); !ok || m.Name != "Kiruna" {
		t.Errorf("Kommun(2584) = %+v, %v", m, ok)
	}
	if _, ok := Kommun("0100"); ok {
		t.Error("Kommun(0100) found")
	}
}

func TestCountiesWrittenOnce(t *testing.T) {
	cs := Counties()
	if len(cs) != 21 {
		t.Fatalf("counties = %d, want 21", len(cs))
	}
	for _, m := range Municipalities() {
		if _, ok := CountyByCode(m.County); !ok {
			t.Errorf("%s %s: county %s not in lan.csv", m.Code, m.Name, m.County)
		}
	}
	if c, ok := CountyByCode("25"); !ok || c.Name != "Norrbottens län" || c.Region != "Region Norrbotten" {
		t.Errorf("25 = %+v, %v", c, ok)
	}
	if _, ok := CountyByCode("02"); ok {
		t.Error("02 is not a county")
	}
}

func TestCountyCodes(t *testing.T) {
	codes := CountyCodes()
	if len(codes) != 21 || codes[0] != "01" || codes[20] != "25" || slices.Contains(codes, "02") {
		t.Errorf("county codes %v", codes)
	}
}
