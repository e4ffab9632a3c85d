package org

import (
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/ident"
)

func TestSeed(t *testing.T) {
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := Seed(a)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	seen := map[string]bool{}
	for _, o := range orgs {
		kinds[o.Kind]++
		if seen[o.ID] {
			t.Errorf("duplicate %s", o.ID)
		}
		seen[o.ID] = true
		if o.OrgNr != "" {
			if _, err := ident.OrgNr(o.OrgNr); err != nil {
				t.Errorf("%s: org nr %s: %v", o.ID, o.OrgNr, err)
			}
		}
		if o.Kind == KindRegion && o.OrgNr == "" {
			t.Errorf("%s has no org nr", o.ID)
		}
	}
	if kinds[KindRegion] != 21 || kinds[KindRSS] != 21 || kinds[KindKommun] != 290 || kinds[KindAgency] != 2 {
		t.Errorf("kinds = %v", kinds)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		id, kind, code string
		ok             bool
	}{
		{"region-25", KindRegion, "25", true},
		{"rss-01", KindRSS, "01", true},
		{"kommun-0114", KindKommun, "0114", true},
		{"skr", KindSKR, "", true},
		{"region-2", "", "", false},
		{"kommun-01", "", "", false},
		{"kammarkollegiet", "", "", false},
	}
	for _, tt := range tests {
		k, c, ok := Parse(tt.id)
		if k != tt.kind || c != tt.code || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %q, %v", tt.id, k, c, ok)
		}
	}
}
