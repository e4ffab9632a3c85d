package ident

import (
	"errors"
	"testing"
)

func TestIBAN(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466", nil},
		{"se4550000000058398257466", "SE4550000000058398257466", nil},
		{" SE45-5000-0000-0583-9825-7466 ", "SE4550000000058398257466", nil},
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", nil},
		{"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", nil},
		{"NO93 8601 1117 947", "NO9386011117947", nil},
		{"SE46 5000 0000 0583 9825 7466", "", ErrCheckDigit}, // check digits off by one
		{"SE45 5000 0000 0583 9825 7467", "", ErrCheckDigit}, // last digit changed
		{"SE45 5000 0000 0538 9825 7466", "", ErrCheckDigit}, // two digits swapped
		{"SE45 5000 0000 0583 9825 746", "", ErrFormat},      // a Swedish IBAN has 24 characters
		{"GB82 WEST 1234 5698 7654 3", "", ErrFormat},        // a British IBAN has 22
		{"FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606", nil},
		{"FR14 2004 1010 0505 0001 3M02 607", "", ErrCheckDigit}, // length not known: the check decides
		{"4550000000058398257466SE", "", ErrFormat},              // no country
		{"SEX5 5000 0000 0583 9825 7466", "", ErrFormat},         // letters for check digits
		{"SE45 5000 0000 0583 9825 7466 0000 0000 0000", "", ErrFormat},
		{"SE45 5000 0000 0583 9825 746å", "", ErrFormat},
		{"", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := IBAN(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("IBAN(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestBIC(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"ESSESESS", "ESSESESS", nil},
		{"essesess", "ESSESESS", nil},
		{"HANDSESS", "HANDSESS", nil},
		{"DEUTDEFF500", "DEUTDEFF500", nil},
		{"NDEASESSXXX", "NDEASESSXXX", nil},
		{"SWEDSE2S", "SWEDSE2S", nil},
		{"ESSESES", "", ErrFormat},
		{"ESSESESSX", "", ErrFormat},
		{"ESS1SESS", "", ErrFormat}, // digits only in location and branch
		{"ESSES1SS", "", ErrFormat},
		{"ESSESE1S", "", ErrFormat}, // location: not 0 or 1 first
		{"ESSESESO", "", ErrFormat}, // location: not O second
		{"ESSESES0", "ESSESES0", nil},
		{"ESSE SESS", "", ErrFormat},
		{"", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := BIC(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("BIC(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// FuzzIBAN: the parser never panics; what it accepts is in the electronic
// form, passes the mod-97 check, parses again to itself, and fails the
// check once any one digit is changed.
func FuzzIBAN(f *testing.F) {
	for _, s := range []string{"SE45 5000 0000 0583 9825 7466", "GB82WEST12345698765432", "", "SE", "ZZ00" + "0000000000000000", "se45\u00a05000", "ÅÄ45 1234 5678 9012 3456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := IBAN(s)
		if err != nil {
			if got != "" {
				t.Errorf("IBAN(%q) = %q with error %v", s, got, err)
			}
			return
		}
		if len(got) < 15 || len(got) > 34 || mod97(got[4:]+got[:4]) != 1 {
			t.Errorf("IBAN(%q) accepted %q", s, got)
		}
		if again, err := IBAN(got); err != nil || again != got {
			t.Errorf("IBAN(%q) = %q, %v; not stable", got, again, err)
		}
		for i := 4; i < len(got); i++ {
			if !isDigit(got[i]) {
				continue
			}
			changed := []byte(got)
			changed[i] = '0' + (got[i]-'0'+1)%10
			if _, err := IBAN(string(changed)); err == nil {
				t.Errorf("IBAN(%q) accepted with digit %d changed", changed, i)
			}
		}
	})
}
