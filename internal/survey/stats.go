package survey

import (
	"math/big"
	"slices"
)

// Stats are an integer question's (or a table cell's) figures over those
// who answered: n, the sum, and the mean and median as exact rationals
// (MeanExact "339/4") and as text with a decimal comma, two decimals at
// most ("84,75").
type Stats struct {
	ID          string `json:"id,omitempty"`
	Text        string `json:"text,omitempty"`
	N           int    `json:"n"`
	Sum         int64  `json:"sum"`
	Mean        string `json:"mean"`
	MeanExact   string `json:"mean_exact"`
	Median      string `json:"median"`
	MedianExact string `json:"median_exact"`
}

// statsOf computes the figures of the values; with none, n is 0 and the
// mean and median empty.
func statsOf(vals []int64) Stats {
	st := Stats{N: len(vals)}
	if len(vals) == 0 {
		return st
	}
	for _, v := range vals {
		st.Sum += v
	}
	mean := big.NewRat(st.Sum, int64(len(vals)))
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	median := big.NewRat(sorted[mid], 1)
	if len(sorted)%2 == 0 {
		median = new(big.Rat).SetFrac(new(big.Int).Add(big.NewInt(sorted[mid-1]), big.NewInt(sorted[mid])), big.NewInt(2))
	}
	st.Mean, st.MeanExact = Decimal(mean, 2), mean.RatString()
	st.Median, st.MedianExact = Decimal(median, 2), median.RatString()
	return st
}
