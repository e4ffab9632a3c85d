// Package alloc apportions an agreement's money among its recipients,
// exactly: shares are rationals, amounts whole kronor, and every column sums
// to its amount by the largest-remainder method.
package alloc

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"narvard/internal/money"
)

// ErrZeroWeights is returned when no recipient has a positive weight.
var ErrZeroWeights = errors.New("alla vikter är noll")

// Claim is one recipient's weight in an apportionment. Weights need not sum
// to one; each recipient's share is its weight over the sum of weights.
type Claim struct {
	Code   string
	Weight *big.Rat
}

// Share is one recipient's outcome of an apportionment, with everything
// needed to explain it.
type Share struct {
	Code      string
	Weight    *big.Rat // the claim's weight
	Fraction  *big.Rat // weight / sum of weights, exact
	Exact     *big.Rat // amount × fraction, exact
	Floor     money.Kr // the whole kronor in Exact
	Remainder *big.Rat // Exact − Floor, in [0, 1)
	Rank      int      // 1-based place in the order of remainders
	Extra     bool     // whether it got one of the leftover kronor
	Leftover  int      // how many kronor the remainders shared in this apportionment
	Claims    int      // how many recipients took part
	Base      money.Kr // a base amount given before the apportionment, if any
	Amount    money.Kr // Base + Floor, plus one krona if Extra
}

// LargestRemainder apportions amount among the claims: every claim gets the
// floor of its exact share, and the kronor left over go one each to the
// largest remainders, ties to the lower code compared as text. The shares
// always sum to amount. The result is sorted by code.
func LargestRemainder(amount money.Kr, claims []Claim) ([]Share, error) {
	if amount < 0 {
		return nil, fmt.Errorf("negativt belopp %d", amount)
	}
	total := new(big.Rat)
	seen := make(map[string]bool, len(claims))
	for _, c := range claims {
		if c.Weight == nil || c.Weight.Sign() < 0 {
			return nil, fmt.Errorf("%s: negativ eller saknad vikt", c.Code)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("%s: koden finns två gånger", c.Code)
		}
		seen[c.Code] = true
		total.Add(total, c.Weight)
	}
	if total.Sign() == 0 {
		return nil, ErrZeroWeights
	}
	amt := new(big.Rat).SetInt64(int64(amount))
	shares := make([]Share, len(claims))
	var floors money.Kr
	for i, c := range claims {
		frac := new(big.Rat).Quo(c.Weight, total)
		exact := new(big.Rat).Mul(amt, frac)
		fl := new(big.Int).Quo(exact.Num(), exact.Denom()) // exact ≥ 0, so Quo floors
		rem := new(big.Rat).Sub(exact, new(big.Rat).SetInt(fl))
		shares[i] = Share{Code: c.Code, Weight: c.Weight, Fraction: frac, Exact: exact,
			Floor: money.Kr(fl.Int64()), Remainder: rem}
		floors += shares[i].Floor // each floor ≤ amount and they sum to ≤ amount
	}
	left := int(amount - floors) // < number of claims
	order := make([]*Share, len(shares))
	for i := range shares {
		order[i] = &shares[i]
	}
	slices.SortFunc(order, func(a, b *Share) int {
		if c := b.Remainder.Cmp(a.Remainder); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	for i, s := range order {
		s.Rank = i + 1
		s.Extra = i < left
		s.Leftover = left
		s.Claims = len(order)
		s.Amount = s.Floor
		if s.Extra {
			s.Amount++
		}
	}
	slices.SortFunc(shares, func(a, b Share) int { return cmp.Compare(a.Code, b.Code) })
	return shares, nil
}
