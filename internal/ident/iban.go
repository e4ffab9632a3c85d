package ident

import (
	"strings"
)

// ibanLengths are the lengths of the IBANs of the countries a Swedish
// paying agency banks in: Sweden and its neighbours. Another country's
// IBAN is accepted at any length from 15 to 34 characters.
var ibanLengths = map[string]int{"SE": 24, "NO": 15, "DK": 18, "FI": 18, "DE": 22, "GB": 22}

// IBAN validates an international bank account number (ISO 13616): two
// letters of country, two check digits and up to 30 letters and digits,
// whose mod-97 check (letters as 10…35, the first four characters moved to
// the end) leaves 1. People write it in groups of four, in either case;
// it is returned in the electronic form, upper case without spaces:
// "se45 5000 0000 0583 9825 7466" gives "SE4550000000058398257466".
func IBAN(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '\u00a0' || r == '-':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", ErrFormat
		}
	}
	n := b.String()
	if len(n) < 15 || len(n) > 34 || !isUpper(n[0]) || !isUpper(n[1]) || !isDigit(n[2]) || !isDigit(n[3]) {
		return "", ErrFormat
	}
	if want, ok := ibanLengths[n[:2]]; ok && len(n) != want {
		return "", ErrFormat
	}
	if mod97(n[4:]+n[:4]) != 1 {
		return "", ErrCheckDigit
	}
	return n, nil
}

// mod97 is the remainder of the number the characters spell, letters
// counting as two digits (A = 10 … Z = 35), divided by 97.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

// BIC validates a bank's business identifier code (ISO 9362, also called
// SWIFT code) as ISO 20022's BICIdentifier has it: four letters of bank,
// two of country, two of location (a letter or 2–9, then a letter other
// than O or a digit) and optionally three letters or digits of branch. It
// is returned in upper case: "essesess" gives "ESSESESS".
func BIC(s string) (string, error) {
	n := strings.ToUpper(strings.TrimSpace(s))
	if len(n) != 8 && len(n) != 11 {
		return "", ErrFormat
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		var ok bool
		switch {
		case i < 6:
			ok = isUpper(c)
		case i == 6:
			ok = isUpper(c) || (c >= '2' && c <= '9')
		case i == 7:
			ok = (isUpper(c) && c != 'O') || isDigit(c)
		default:
			ok = isUpper(c) || isDigit(c)
		}
		if !ok {
			return "", ErrFormat
		}
	}
	return n, nil
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
