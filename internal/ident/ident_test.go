package ident

import (
	"errors"
	"testing"
)

func TestOrgNr(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"232100-0016", "232100-0016", nil},
		{"2321000016", "232100-0016", nil},
		{"222000-0315", "222000-0315", nil},
		{"202100-0829", "202100-0829", nil},
		{"16202100-0829", "202100-0829", nil},
		{"232100-0017", "", ErrCheckDigit},
		{"232100-001", "", ErrFormat},
		{"23210O-0016", "", ErrFormat},
		{"", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := OrgNr(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("OrgNr(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestGiro(t *testing.T) {
	// 5050-1055 is Bankgirot's own example number.
	bg := []struct {
		in, want string
		err      error
	}{
		{"5050-1055", "5050-1055", nil},
		{"50501055", "5050-1055", nil},
		{"5050-1056", "", ErrCheckDigit},
		{"123-456", "", ErrFormat},
		{"991-2346", "991-2346", nil},
	}
	for _, tt := range bg {
		got, err := Bankgiro(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Bankgiro(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	pg := []struct {
		in, want string
		err      error
	}{
		{"12 34 56-6", "123456-6", nil},
		{"4 56 78-9", "", ErrCheckDigit},
		{"1", "", ErrFormat},
		{"18", "1-8", nil},
	}
	for _, tt := range pg {
		got, err := Plusgiro(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Plusgiro(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func FuzzLuhnNeverPanics(f *testing.F) {
	for _, s := range []string{"232100-0016", "5050-1055", "", "--", "１２３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := OrgNr(s); err == nil && !Luhn(Digits(got)) {
			t.Errorf("OrgNr(%q) accepted %q failing Luhn", s, got)
		}
		if got, err := Bankgiro(s); err == nil && !Luhn(Digits(got)) {
			t.Errorf("Bankgiro(%q) accepted %q failing Luhn", s, got)
		}
		_, _ = Plusgiro(s)
	})
}
