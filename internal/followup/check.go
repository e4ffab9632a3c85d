package followup

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// maxReported is how many bad rows are listed before only a count is kept.
const maxReported = 20

// BadRows collects the rows a file had to leave out: all are counted, and
// the first maxReported by line are described.
type BadRows struct {
	File    string
	Count   int
	Reports []string
	lines   []int // each report's line
}

// add counts a bad row, and describes it if it is among the first
// maxReported by line.
func (b *BadRows) add(line int, field, value, reason string) {
	b.Count++
	if len(b.Reports) == maxReported && line > slices.Max(b.lines) {
		return
	}
	if len(value) > 40 {
		value = value[:40] + "…"
	}
	b.keep(line, fmt.Sprintf("%s:%d: %s %q %s", b.File, line, field, value, reason))
}

// keep keeps a counted bad row's description if it is among the first
// maxReported by line: rows may come out of order (a chunk's duplicates
// are found while its other rows are checked).
func (b *BadRows) keep(line int, text string) {
	i := len(b.Reports)
	if i == maxReported {
		i = slices.Index(b.lines, slices.Max(b.lines))
		if line > b.lines[i] {
			return
		}
		b.Reports[i], b.lines[i] = text, line
		return
	}
	b.Reports, b.lines = append(b.Reports, text), append(b.lines, line)
}

// absorb adds another collection's bad rows to b.
func (b *BadRows) absorb(o *BadRows) {
	b.Count += o.Count
	for i, text := range o.Reports {
		b.keep(o.lines[i], text)
	}
}

// Summary is the bad rows as text: each listed, then a count of the rest.
func (b *BadRows) Summary() string {
	if b.Count == 0 {
		return ""
	}
	s := strings.Join(b.Reports, "\n")
	if rest := b.Count - len(b.Reports); rest > 0 {
		s += fmt.Sprintf("\n… och %d fel till", rest)
	}
	return s
}

// ErrStrict is returned under --strict when a file has bad rows.
var ErrStrict = errors.New("filen har felaktiga rader")

var errBinary = errors.New("filen är inte en textfil (binärt innehåll); spara den som CSV UTF-8")

// dayNumber reads YYYY-MM-DD as yyyymmdd, checking that the date exists.
// A time of day after it, as database exports write one
// ("2023-08-17 10:30:00", "2023-08-17T10:30"), is checked and dropped.
func dayNumber(b []byte) (int, bool) {
	b, ok := withoutTime(b)
	if !ok || len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	n := 0
	for i, c := range b {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return n, true
}

// withoutTime is b without a time of day after its first ten bytes (the
// date), and false if what follows them is not one.
func withoutTime(b []byte) ([]byte, bool) {
	if len(b) <= 10 {
		return b, true
	}
	return b[:10], (b[10] == ' ' || b[10] == 'T') && clockTime(b[11:])
}

// clockTime reports whether b is a time of day, HH:MM, HH:MM:SS or
// HH:MM:SS with a fraction of a second (up to nanoseconds); without a
// zone, as the date is taken as written.
func clockTime(b []byte) bool {
	if len(b) < 5 || b[2] != ':' || !upTo(b[:2], 23) || !upTo(b[3:5], 59) {
		return false
	}
	seconds := b[5:]
	if len(seconds) == 0 {
		return true
	}
	if len(seconds) < 3 || seconds[0] != ':' || !upTo(seconds[1:3], 59) {
		return false
	}
	fraction := seconds[3:]
	return len(fraction) == 0 || (fraction[0] == '.' && len(fraction) >= 2 && len(fraction) <= 10 && digits(fraction[1:]))
}

// upTo reports whether b is two digits of a number at most most.
func upTo(b []byte, most int) bool {
	return digits(b) && int(b[0]-'0')*10+int(b[1]-'0') <= most
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// atoi reads a non-negative decimal integer of at most nine digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// known reports whether b is one of the words, without allocating.
func known(b []byte, words []string) bool {
	for _, w := range words {
		if string(b) == w {
			return true
		}
	}
	return false
}
