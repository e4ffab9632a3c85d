package sie

import (
	"errors"
	"strings"
	"time"

	"narvard/internal/money"
)

// maxDigits bounds an amount's digits so that sums of many cannot
// overflow int64.
const maxDigits = 15

var errAmount = errors.New("är inget belopp (ange kronor med punkt före ören, till exempel -1234.50)")

// parseAmount reads a SIE amount ("1234.50", "-0.5", "1234") into öre
// without floats. More than two decimals are accepted only when the
// extra ones are zero.
func parseAmount(s string) (money.Ore, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" && dot && frac != "" {
		whole = "0"
	}
	if !digits(whole) || !digits(frac) || (dot && frac == "") || whole == "" {
		return 0, errAmount
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, errors.New("har fler decimaler än ören")
		}
		frac = frac[:2]
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxDigits {
		return 0, errors.New("är för stort")
	}
	var o int64
	for _, c := range whole + frac + strings.Repeat("0", 2-len(frac)) {
		o = o*10 + int64(c-'0')
	}
	if neg {
		o = -o
	}
	return money.Ore(o), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDate reads a SIE date, YYYYMMDD, into a date at midnight UTC (the
// way the product keeps dates).
func parseDate(s string) (time.Time, error) {
	if len(s) != 8 || !digits(s) {
		return time.Time{}, errors.New("är inget datum (ÅÅÅÅMMDD)")
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		return time.Time{}, errors.New("är inget giltigt datum")
	}
	return t, nil
}
