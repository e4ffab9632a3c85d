// Package money holds the one type the product uses for amounts: whole
// Swedish kronor in an int64. There is no float anywhere near it.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kr is an amount in whole Swedish kronor.
type Kr int64

// ErrOverflow is returned when a sum does not fit in a Kr.
var ErrOverflow = errors.New("beloppet är för stort (överflöd)")

// Add returns a+b, or ErrOverflow when the sum does not fit.
func Add(a, b Kr) (Kr, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, fmt.Errorf("%d + %d: %w", a, b, ErrOverflow)
	}
	return a + b, nil
}

// Sub returns a-b, or ErrOverflow when the difference does not fit.
func Sub(a, b Kr) (Kr, error) {
	if (b < 0 && a > math.MaxInt64+b) || (b > 0 && a < math.MinInt64+b) {
		return 0, fmt.Errorf("%d - %d: %w", a, b, ErrOverflow)
	}
	return a - b, nil
}

// Sum adds the amounts, checking every step for overflow.
func Sum(amounts ...Kr) (Kr, error) {
	var total Kr
	for _, a := range amounts {
		var err error
		if total, err = Add(total, a); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// Mul returns a*n, or ErrOverflow when the product does not fit.
func Mul(a Kr, n int64) (Kr, error) {
	if a == 0 || n == 0 {
		return 0, nil
	}
	p := int64(a) * n
	if p/n != int64(a) || (a == -1 && n == math.MinInt64) || (n == -1 && a == math.MinInt64) {
		return 0, fmt.Errorf("%d × %d: %w", a, n, ErrOverflow)
	}
	return Kr(p), nil
}

// Group formats n with a space between groups of three digits, the Swedish
// way: 1103067686 becomes "1 103 067 686". Negative numbers get a minus sign
// (U+2212 is not used so that the text can be pasted into a spreadsheet).
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// String formats the amount for people: "1 103 067 686 kr".
func (k Kr) String() string {
	return Group(int64(k)) + " kr"
}
