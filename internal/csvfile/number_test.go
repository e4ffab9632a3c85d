package csvfile

import (
	"errors"
	"testing"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  error
	}{
		{"0", 0, nil},
		{"42", 42, nil},
		{"  42\t", 42, nil},
		{"007", 7, nil},
		{"-5", -5, nil},
		{"\u22125", -5, nil},
		{"-0", 0, nil},
		{"2437158", 2437158, nil},
		{"2 437 158", 2437158, nil},
		{"2\u00a0437\u00a0158", 2437158, nil},
		{"2\u202f437\u202f158", 2437158, nil},
		{"2\u2009437\u2009158", 2437158, nil},
		{"2 437\u00a0158", 2437158, nil},
		{"\u00a0123 456\u00a0", 123456, nil},
		{"-1 000", -1000, nil},
		{"\u22121 000", -1000, nil},
		{"999 999", 999999, nil},
		{"9223372036854775807", 9223372036854775807, nil},
		{"9 223 372 036 854 775 807", 9223372036854775807, nil},
		{"-9223372036854775808", -9223372036854775808, nil},

		{"", 0, ErrEmptyValue},
		{"   ", 0, ErrEmptyValue},
		{"\u00a0", 0, ErrEmptyValue},
		{"-", 0, ErrNotInteger},
		{"abc", 0, ErrNotInteger},
		{"12a", 0, ErrNotInteger},
		{"+5", 0, ErrNotInteger},
		{"--5", 0, ErrNotInteger},
		{"- 5", 0, ErrNotInteger},
		{"5-", 0, ErrNotInteger},
		{"1 23", 0, ErrNotInteger},
		{"12 34", 0, ErrNotInteger},
		{"1234 567", 0, ErrNotInteger},
		{"1 2345", 0, ErrNotInteger},
		{"1  234", 0, ErrNotInteger},
		{"1 234 ", 1234, nil},
		{"1\t234", 0, ErrNotInteger},
		{"1_234", 0, ErrNotInteger},
		{"١٢٣", 0, ErrNotInteger},
		{"1e6", 0, ErrNotInteger},
		{"0x10", 0, ErrNotInteger},
		{"1.234.567", 0, ErrNotInteger},
		{"1,2,3", 0, ErrNotInteger},
		{"12.", 0, ErrNotInteger},
		{"12,", 0, ErrNotInteger},
		{"a,5", 0, ErrNotInteger},

		{"12.5", 0, ErrDecimal},
		{"12,5", 0, ErrDecimal},
		{"12,0", 0, ErrDecimal},
		{"-12,5", 0, ErrDecimal},
		{",5", 0, ErrDecimal},
		{"1 234,56", 0, ErrDecimal},

		{"9223372036854775808", 0, ErrRange},
		{"-9223372036854775809", 0, ErrRange},
		{"99999999999999999999999999", 0, ErrRange},
	}
	for _, tt := range tests {
		got, err := ParseInt(tt.in)
		if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("ParseInt(%q) error = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseInt(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseIntMessagesDiffer(t *testing.T) {
	_, notInt := ParseInt("abc")
	_, dec := ParseInt("12,5")
	if notInt.Error() == dec.Error() {
		t.Fatalf("same message for a non-number and a decimal: %q", dec)
	}
}
