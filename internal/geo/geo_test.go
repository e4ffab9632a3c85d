package geo

import "testing"

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
