package ident

import (
	"testing"
)

// FuzzAccounts: organisation numbers, bankgiro and plusgiro numbers and
// BICs are accepted in one normal form that reads back as itself and
// passes its check, or refused with an error and nothing; never a panic.
func FuzzAccounts(f *testing.F) {
	for _, s := range []string{"232100-0016", "16232100-0016", "5050-1055", "4 56 78-9", "ESSESESS", "essesess123", "NDEASESSXXX", "", "-", "ı", "SE45"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, parse := range map[string]func(string) (string, error){"OrgNr": OrgNr, "Bankgiro": Bankgiro, "Plusgiro": Plusgiro, "BIC": BIC} {
			got, err := parse(s)
			if err != nil {
				if got != "" {
					t.Errorf("%s(%q) = %q with error %v", name, s, got, err)
				}
				continue
			}
			if again, err := parse(got); err != nil || again != got {
				t.Errorf("%s(%q) = %q, which reads back as %q, %v", name, s, got, again, err)
			}
			if name != "BIC" && !Luhn(Digits(got)) {
				t.Errorf("%s(%q) accepted %q failing Luhn", name, s, got)
			}
			for i := 0; i < len(got); i++ {
				if c := got[i]; !isDigit(c) && !isUpper(c) && c != '-' {
					t.Errorf("%s(%q) = %q: not in its normal form", name, s, got)
				}
			}
		}
	})
}
