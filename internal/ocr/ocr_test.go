package ocr

import (
	"errors"
	"testing"

	"narvard/internal/ident"
)

func TestMake(t *testing.T) {
	for _, c := range []struct{ base, want string }{
		{"", "26"},                      // length 2: length digit 2, Luhn("2") = 6
		{"1234", "123463"},              // length 6; Luhn("12346") = 4
		{"100001", "10000180"},          // length 8
		{"12345678", "1234567806"},      // length 10: length digit 0
		{"99999999999999999999999", ""}, // 23 digits give 25: fine, checked below
	} {
		got, err := Make(c.base)
		if err != nil {
			t.Fatalf("Make(%q): %v", c.base, err)
		}
		if c.want != "" && got != c.want {
			t.Errorf("Make(%q) = %s, want %s", c.base, got, c.want)
		}
		if !ident.Luhn(got) {
			t.Errorf("Make(%q) = %s fails the Luhn check", c.base, got)
		}
		if _, err := Parse(got); err != nil {
			t.Errorf("Parse(Make(%q)) = %v", c.base, err)
		}
	}
	for _, bad := range []string{"123a", "123456789012345678901234", "-1"} {
		if _, err := Make(bad); !errors.Is(err, ErrFormat) {
			t.Errorf("Make(%q) = %v, want ErrFormat", bad, err)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"10000180", "10000180", nil},
		{"1000 0180", "10000180", nil},
		{" 1000-0180 ", "10000180", nil},
		{"10000181", "", ErrCheckDigit},
		{"10000170", "", ErrLengthDigit},
		{"1", "", ErrFormat},
		{"", "", ErrFormat},
		{"1000O180", "", ErrFormat},
		{"12345678901234567890123456", "", ErrFormat}, // 26 digits
		{"1234567806", "1234567806", nil},
	} {
		got, err := Parse(c.in)
		if !errors.Is(err, c.err) || got != c.want {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestFind(t *testing.T) {
	got := Find("Återbetalning OCR 10000180, faktura 123, ref 1234567806.")
	if len(got) != 2 || got[0] != "10000180" || got[1] != "1234567806" {
		t.Errorf("Find = %v", got)
	}
	if got := Find("inget här 12345"); got != nil {
		t.Errorf("Find = %v, want none", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"10000180", "26", "1000 0180", "x", "", "1234567806"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		if len(d) < MinLen || len(d) > MaxLen || !ident.Luhn(d) {
			t.Fatalf("Parse(%q) = %q accepted a bad reference", s, d)
		}
		again, err := Make(d[:len(d)-2])
		if err != nil || again != d {
			t.Fatalf("Make(base of %q) = %q, %v", d, again, err)
		}
	})
}

func FuzzMake(f *testing.F) {
	f.Add("100001")
	f.Fuzz(func(t *testing.T, base string) {
		r, err := Make(base)
		if err != nil {
			return
		}
		if got, err := Parse(r); err != nil || got != r {
			t.Fatalf("Parse(Make(%q)=%q) = %q, %v", base, r, got, err)
		}
	})
}
