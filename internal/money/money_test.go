package money

import (
	"errors"
	"math"
	"testing"
)

func TestGroup(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1 000"},
		{1103067686, "1 103 067 686"},
		{-114364, "-114 364"},
		{-2, "-2"},
		{math.MaxInt64, "9 223 372 036 854 775 807"},
	}
	for _, tt := range tests {
		if got := Group(tt.in); got != tt.want {
			t.Errorf("Group(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Kr(6394500000).String(); got != "6 394 500 000 kr" {
		t.Errorf("String = %q", got)
	}
}

func TestOverflow(t *testing.T) {
	if _, err := Add(math.MaxInt64, 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("Add overflow: err = %v", err)
	}
	if _, err := Add(math.MinInt64, -1); !errors.Is(err, ErrOverflow) {
		t.Errorf("Add underflow: err = %v", err)
	}
	if _, err := Sub(math.MinInt64, 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("Sub underflow: err = %v", err)
	}
	if _, err := Mul(math.MaxInt64/2+1, 2); !errors.Is(err, ErrOverflow) {
		t.Errorf("Mul overflow: err = %v", err)
	}
	if s, err := Sum(1, 2, 3); err != nil || s != 6 {
		t.Errorf("Sum = %d, %v", s, err)
	}
	if _, err := Sum(math.MaxInt64, 1, -5); !errors.Is(err, ErrOverflow) {
		t.Errorf("Sum overflow: err = %v", err)
	}
	if m, err := Mul(500000, 21); err != nil || m != 10500000 {
		t.Errorf("Mul = %d, %v", m, err)
	}
}
