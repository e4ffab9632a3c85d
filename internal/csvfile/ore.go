package csvfile

import (
	"errors"
	"strings"

	"narvard/internal/money"
)

// ErrNotAmount is the message for a value that is not an amount in
// kronor with at most two decimals.
var ErrNotAmount = errors.New("är inget belopp i kronor (till exempel 1 234,56 eller -34.50)")

// ParseOre parses an amount in kronor with öre as people and spreadsheets
// write it: "1 234,56", "1234.56", "-34,5", "1234" (a decimal comma or
// point, at most two decimals, thousands grouped as ParseInt allows).
func ParseOre(s string) (money.Ore, error) {
	s = trim(s)
	if s == "" {
		return 0, ErrEmptyValue
	}
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		whole, frac = s[:i], s[i+1:]
		if frac == "" || len(frac) > 2 || strings.Trim(frac, "0123456789") != "" {
			return 0, ErrNotAmount
		}
	}
	if whole == "" || whole == "-" || whole == "\u2212" {
		whole += "0"
	}
	kr, err := ParseInt(whole)
	if err != nil || kr > 1e15 || kr < -1e15 {
		return 0, ErrNotAmount
	}
	ore := int64(0)
	for _, c := range frac + strings.Repeat("0", 2-len(frac)) {
		ore = ore*10 + int64(c-'0')
	}
	if strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "\u2212") {
		ore = -ore
	}
	return money.Ore(kr*100 + ore), nil
}

// Ore parses the row's value in the column with ParseOre; the error is a
// *Error wrapping ParseOre's.
func (r Row) Ore(col string) (money.Ore, error) {
	o, err := ParseOre(r.Get(col))
	if err != nil {
		e := r.Err(col, err.Error())
		e.Err = err
		return 0, e
	}
	return o, nil
}
