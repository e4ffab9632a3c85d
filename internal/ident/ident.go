// Package ident owns Sweden's identifier numbers for organisations and
// payments: organisation number, bankgiro and plusgiro, and the IBAN and
// BIC of an account held at a bank.
//
// It validates and normalises them (the Swedish three end in a Luhn, mod
// 10, check digit; an IBAN carries two mod-97 check digits, a BIC none); it
// knows nothing of users or sign-in, which are auth's.
package ident

import (
	"errors"
	"strings"
)

// Errors returned for identifiers that are malformed or fail the check.
var (
	ErrFormat     = errors.New("fel format")
	ErrCheckDigit = errors.New("kontrollsiffran stämmer inte")
)

// Luhn reports whether the digit string ends in a correct Luhn check digit.
func Luhn(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// digitsOnly strips the separators people write (space, hyphen) and
// returns the digits, or ErrFormat if anything else is there.
func digitsOnly(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\u00a0':
		default:
			return "", ErrFormat
		}
	}
	return b.String(), nil
}

// OrgNr validates an organisation number and returns it as NNNNNN-NNNN.
// A 12-digit form with century prefix 16 (used by some registers) is
// accepted too.
func OrgNr(s string) (string, error) {
	d, err := digitsOnly(s)
	if err != nil {
		return "", err
	}
	if len(d) == 12 && strings.HasPrefix(d, "16") {
		d = d[2:]
	}
	if len(d) != 10 {
		return "", ErrFormat
	}
	if !Luhn(d) {
		return "", ErrCheckDigit
	}
	return d[:6] + "-" + d[6:], nil
}

// Bankgiro validates a bankgiro number (7 or 8 digits) and returns it as
// NNN-NNNN or NNNN-NNNN.
func Bankgiro(s string) (string, error) {
	d, err := digitsOnly(s)
	if err != nil {
		return "", err
	}
	if len(d) != 7 && len(d) != 8 {
		return "", ErrFormat
	}
	if !Luhn(d) {
		return "", ErrCheckDigit
	}
	return d[:len(d)-4] + "-" + d[len(d)-4:], nil
}

// Plusgiro validates a plusgiro number (2 to 8 digits) and returns it in
// the usual form, digits with a hyphen before the check digit: 4 56 78-9
// is returned as 45678-9.
func Plusgiro(s string) (string, error) {
	d, err := digitsOnly(s)
	if err != nil {
		return "", err
	}
	if len(d) < 2 || len(d) > 8 {
		return "", ErrFormat
	}
	if !Luhn(d) {
		return "", ErrCheckDigit
	}
	return d[:len(d)-1] + "-" + d[len(d)-1:], nil
}

// Digits returns an identifier's digits without separators, as payment
// files want them.
func Digits(s string) string {
	d, _ := digitsOnly(s)
	return d
}
