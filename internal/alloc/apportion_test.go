package alloc

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"narvard/internal/money"
)

func claims(pairs ...any) []Claim {
	var out []Claim
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Claim{Code: pairs[i].(string), Weight: big.NewRat(int64(pairs[i+1].(int)), 1)})
	}
	return out
}

func amounts(s []Share) map[string]money.Kr {
	m := map[string]money.Kr{}
	for _, x := range s {
		m[x.Code] = x.Amount
	}
	return m
}

func TestLargestRemainder(t *testing.T) {
	tests := []struct {
		name   string
		amount money.Kr
		claims []Claim
		want   map[string]money.Kr
	}{
		{"even", 10, claims("a", 1, "b", 1), map[string]money.Kr{"a": 5, "b": 5}},
		{"one left, tie to lower code", 1, claims("b", 1, "a", 1), map[string]money.Kr{"a": 1, "b": 0}},
		{"tie compares codes as text", 1, claims("10", 1, "09", 1), map[string]money.Kr{"09": 1, "10": 0}},
		{"two-digit before four-digit", 1, claims("0114", 1, "01", 1), map[string]money.Kr{"01": 1, "0114": 0}},
		{"largest remainder wins", 10, claims("a", 1, "b", 2), map[string]money.Kr{"a": 3, "b": 7}},
		// 100 × 1/3 = 33.33 each → 33,33,33 and one left to the lowest code.
		{"thirds", 100, claims("x", 1, "y", 1, "z", 1), map[string]money.Kr{"x": 34, "y": 33, "z": 33}},
		{"zero weight gets nothing", 7, claims("a", 0, "b", 3), map[string]money.Kr{"a": 0, "b": 7}},
		{"zero amount", 0, claims("a", 1), map[string]money.Kr{"a": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LargestRemainder(tt.amount, tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if amounts(got)[k] != v {
					t.Errorf("%s = %d, want %d (all: %v)", k, amounts(got)[k], v, amounts(got))
				}
			}
		})
	}
}

func TestLargestRemainderErrors(t *testing.T) {
	if _, err := LargestRemainder(10, claims("a", 0, "b", 0)); !errors.Is(err, ErrZeroWeights) {
		t.Errorf("all zero: err = %v", err)
	}
	if _, err := LargestRemainder(10, nil); !errors.Is(err, ErrZeroWeights) {
		t.Errorf("no claims: err = %v", err)
	}
	if _, err := LargestRemainder(10, claims("a", 1, "a", 2)); err == nil {
		t.Error("duplicate code accepted")
	}
	if _, err := LargestRemainder(10, []Claim{{"a", big.NewRat(-1, 1)}}); err == nil {
		t.Error("negative weight accepted")
	}
	if _, err := LargestRemainder(-1, claims("a", 1)); err == nil {
		t.Error("negative amount accepted")
	}
}

// TestLargestRemainderProperties checks, on random inputs, the rule's
// invariants: the sum is exact, each amount is its floor or floor+1, and
// no one with a larger remainder is passed over.
func TestLargestRemainderProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		n := 1 + r.IntN(40)
		var cs []Claim
		for i := range n {
			cs = append(cs, Claim{Code: string(rune('A'+i%26)) + string(rune('a'+i/26)), Weight: big.NewRat(r.Int64N(1e7), 1+r.Int64N(50))})
		}
		cs[0].Weight = big.NewRat(1+r.Int64N(1e6), 1)
		amount := money.Kr(r.Int64N(5e9))
		got, err := LargestRemainder(amount, cs)
		if err != nil {
			t.Fatal(err)
		}
		var sum money.Kr
		for _, s := range got {
			sum += s.Amount
			if s.Amount != s.Floor && s.Amount != s.Floor+1 {
				t.Fatalf("%s: amount %d not floor %d or floor+1", s.Code, s.Amount, s.Floor)
			}
		}
		if sum != amount {
			t.Fatalf("sum %d != amount %d", sum, amount)
		}
		for _, a := range got {
			for _, b := range got {
				if a.Extra && !b.Extra && a.Remainder.Cmp(b.Remainder) < 0 {
					t.Fatalf("%s got an extra krona over %s with a larger remainder", a.Code, b.Code)
				}
			}
		}
	}
}
