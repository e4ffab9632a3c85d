package web

import (
	"html/template"
	"math/big"
	"strconv"
	"strings"

	"narvard/internal/money"
)

// funcs are the templates' formatting helpers. Amounts are formatted the
// Swedish way, with a space between groups of three digits.
var funcs = template.FuncMap{
	"kr":     func(k money.Kr) string { return k.String() },
	"num":    func(k money.Kr) string { return money.Group(int64(k)) },
	"raw":    func(k money.Kr) string { return strconv.FormatInt(int64(k), 10) },
	"signed": signed,
}

// signed formats a difference with its sign: "+79 464", "-21 652", "0".
func signed(k money.Kr) string {
	if k > 0 {
		return "+" + money.Group(int64(k))
	}
	return money.Group(int64(k))
}

// percent writes an exact fraction as a percentage when it is a whole one
// ("50 %"), else as the fraction itself ("1/3").
func percent(r *big.Rat) string {
	p := new(big.Rat).Mul(r, big.NewRat(100, 1))
	if p.IsInt() {
		return p.Num().String() + " %"
	}
	return r.RatString()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
