package csvfile

import (
	"errors"
	"strconv"
	"strings"
)

// ParseInt parses a whole number as people write it: optional surrounding
// whitespace, an optional leading minus ("-" or U+2212) and digits, which
// may be grouped by three with a space, a no-break space (U+00A0), a narrow
// no-break space (U+202F) or a thin space (U+2009): "2 437 158". It returns
// ErrEmptyValue, ErrDecimal for a decimal number such as "12,5" or "12.5",
// ErrRange when the number does not fit in an int64 and ErrNotInteger for
// anything else.
func ParseInt(s string) (int64, error) {
	s = trim(s)
	if s == "" {
		return 0, ErrEmptyValue
	}
	sign, rest := "", s
	if r, ok := strings.CutPrefix(s, "-"); ok {
		sign, rest = "-", r
	} else if r, ok := strings.CutPrefix(s, "\u2212"); ok {
		sign, rest = "-", r
	}
	if i := strings.IndexAny(rest, ".,"); i >= 0 {
		if isDecimal(rest[:i], rest[i+1:]) {
			return 0, ErrDecimal
		}
		return 0, ErrNotInteger
	}
	digits, ok := groupedDigits(rest)
	if !ok {
		return 0, ErrNotInteger
	}
	n, err := strconv.ParseInt(sign+digits, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, ErrRange
		}
		return 0, ErrNotInteger
	}
	return n, nil
}

// isDecimal reports whether whole and frac, the parts on either side of a
// decimal point or comma, make a decimal number such as "1 234,5" or ",5".
func isDecimal(whole, frac string) bool {
	if whole != "" {
		if _, ok := groupedDigits(whole); !ok {
			return false
		}
	}
	if frac == "" {
		return false
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return false
		}
	}
	return true
}

// groupedDigits returns the ASCII digits of s, which is either plain digits
// or digits grouped by three with thousands separators ("2 437 158"; the
// first group may have one to three digits).
func groupedDigits(s string) (string, bool) {
	var b strings.Builder
	group, groups := 0, 0 // digits in the current group; separators seen
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			b.WriteRune(r)
			group++
		case isThousandsSep(r):
			if group == 0 || (groups == 0 && group > 3) || (groups > 0 && group != 3) {
				return "", false
			}
			groups++
			group = 0
		default:
			return "", false
		}
	}
	if group == 0 || (groups > 0 && group != 3) {
		return "", false
	}
	return b.String(), true
}

// isThousandsSep reports whether r may separate groups of three digits.
func isThousandsSep(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009'
}
