package inputs

import (
	"fmt"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/csvfile"
	"narvard/internal/geo"
)

const codeCol = "kod"

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pad puts back the leading zeros that spreadsheets strip from codes.
func pad(code string, width int) string {
	return strings.Repeat("0", max(width-len(code), 0)) + code
}

// countyCode returns the row's county code: two digits, a single digit
// padded with a zero (spreadsheets strip leading zeros), which must be a
// county of the agreement.
func countyCode(r csvfile.Row, a *agreement.Agreement) (string, error) {
	raw := r.Get(codeCol)
	switch {
	case raw == "":
		return "", r.Err(codeCol, "saknar värde")
	case !digits(raw) || len(raw) > 2:
		return "", r.Err(codeCol, "är ingen länskod (två siffror, t.ex. 01)")
	}
	code := pad(raw, 2)
	if _, ok := a.County(code); !ok {
		return "", r.Err(codeCol, "är inte ett län i "+a.ID)
	}
	return code, nil
}

// recipientCode returns the row's code for a region (a county of the
// agreement, one or two digits) or a municipality (known to geo, three or
// four digits: a stripped leading zero is put back).
func recipientCode(r csvfile.Row, a *agreement.Agreement) (string, error) {
	raw := r.Get(codeCol)
	switch {
	case raw == "":
		return "", r.Err(codeCol, "saknar värde")
	case !digits(raw) || len(raw) > 4:
		return "", r.Err(codeCol, "är varken en länskod (två siffror) eller en kommunkod (fyra siffror)")
	case len(raw) <= 2:
		return countyCode(r, a)
	}
	code := pad(raw, 4)
	if _, ok := geo.Kommun(code); !ok {
		return "", r.Err(codeCol, "är ingen kommunkod")
	}
	return code, nil
}

// seen remembers on which line each code was given.
type seen map[string]int

// add records the code of the row, or returns an error naming the line
// where the code was given before.
func (s seen) add(r csvfile.Row, code string) error {
	if line, dup := s[code]; dup {
		msg := fmt.Sprintf("finns redan på rad %d", line)
		if r.Get(codeCol) != code {
			msg = fmt.Sprintf("(%s) finns redan på rad %d", code, line)
		}
		return r.Err(codeCol, msg)
	}
	s[code] = r.Line
	return nil
}

// missingCounties returns an error on the file's last line listing the
// agreement's counties that the file has no row for, or nil.
func missingCounties(f *csvfile.File, a *agreement.Agreement, s seen, what string) error {
	var missing []string
	for _, c := range a.Counties {
		if _, ok := s[c.Code]; !ok {
			missing = append(missing, c.Code)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return f.Err(f.LastLine(), fmt.Sprintf("rader saknas för %s: %s (alla %d län i %s ska finnas med)",
		what, strings.Join(missing, ", "), len(a.Counties), a.ID))
}
