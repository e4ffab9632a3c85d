package survey

import (
	"fmt"
	"math/big"
	"strings"

	"narvard/internal/alloc"
	"narvard/internal/money"
)

// Percent gives each count its whole per cent of their sum by the largest
// remainder method, so that they sum to exactly 100: each gets the floor
// of its exact per cent and the points left over go one each to the
// largest remainders, ties to the one listed first. It is
// alloc.LargestRemainder apportioning 100 with each count's place as its
// code, zero-padded so that alloc's tie rule (the lower code as text) is
// the order listed. All zero (no one answered) gives all zero.
func Percent(counts []int) []int {
	out := make([]int, len(counts))
	claims := make([]alloc.Claim, len(counts))
	total := 0
	for i, c := range counts {
		claims[i] = alloc.Claim{Code: fmt.Sprintf("%06d", i), Weight: big.NewRat(int64(c), 1)}
		total += c
	}
	if total == 0 {
		return out
	}
	shares, err := alloc.LargestRemainder(money.Kr(100), claims)
	if err != nil {
		panic("survey: " + err.Error()) // counts are never negative and never all zero here
	}
	for i, s := range shares { // sorted by code: the order listed
		out[i] = int(s.Amount)
	}
	return out
}

// Share is count's per cent of n, rounded to whole per cent, halves up:
// for a multichoice option, whose per cents need not sum to 100.
func Share(count, n int) int {
	if n == 0 {
		return 0
	}
	return (200*count + n) / (2 * n)
}

// Decimal writes an exact rational with at most places decimals, rounded
// to nearest (halves away from zero), with a decimal comma and no
// trailing zeros: 339/4 is "84,75", 12 is "12".
func Decimal(r *big.Rat, places int) string {
	s := r.FloatString(places)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return strings.Replace(s, ".", ",", 1)
}
