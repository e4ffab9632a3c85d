// Package ocr owns the Swedish OCR reference ("OCR-nummer") that a payer
// writes on a payment so that the receiver's bank can tell what it pays:
// the common Bankgirot form with a length digit and a check digit.
//
// A reference is 2–25 digits: the base, then the length digit (the whole
// reference's length, check digit included, modulo 10), then the Luhn
// (mod 10) check digit computed over everything before it.
package ocr

import (
	"errors"
	"strings"
)

// Limits of a reference's length, length and check digits included.
const (
	MinLen = 2
	MaxLen = 25
)

// Errors returned for references that are malformed or fail a check.
var (
	ErrFormat      = errors.New("en OCR-referens är 2–25 siffror")
	ErrLengthDigit = errors.New("OCR-referensens längdsiffra stämmer inte")
	ErrCheckDigit  = errors.New("OCR-referensens kontrollsiffra stämmer inte")
)

// Make returns the reference for base (digits only): base, length digit,
// check digit. A base that is not 0–23 digits is ErrFormat.
func Make(base string) (string, error) {
	if len(base) > MaxLen-2 || !digits(base) {
		return "", ErrFormat
	}
	n := len(base) + 2
	withLen := base + string(rune('0'+n%10))
	return withLen + string(rune('0'+checkDigit(withLen))), nil
}

// Parse validates a reference as people write it (spaces and hyphens are
// dropped) and returns its digits.
func Parse(s string) (string, error) {
	d := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\u00a0':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(d) < MinLen || len(d) > MaxLen || !digits(d) {
		return "", ErrFormat
	}
	if int(d[len(d)-2]-'0') != len(d)%10 {
		return "", ErrLengthDigit
	}
	if int(d[len(d)-1]-'0') != checkDigit(d[:len(d)-1]) {
		return "", ErrCheckDigit
	}
	return d, nil
}

// Valid reports whether s is a valid reference.
func Valid(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// Find returns the valid references among the runs of digits in free
// text (a payment's unstructured remittance information), in order.
func Find(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r < '0' || r > '9' }) {
		if d, err := Parse(f); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// checkDigit is the Luhn check digit for the digits s: from the right,
// every other digit doubled (starting with the rightmost), digit sums
// added, and the digit that brings the sum to a multiple of ten.
func checkDigit(s string) int {
	sum := 0
	double := true
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
