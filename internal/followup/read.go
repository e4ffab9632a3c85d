// Package followup computes the reform's follow-up indicators from
// patient-level extracts: the share with a named GP (fast läkarkontakt),
// in the population and in special housing (SÄBO), continuity of care
// (COC, Bice–Boxerman, and UPC) and listed patients per GP. Files are
// streamed; ids are interned to dense integers; small cells are suppressed.
package followup

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxReported is how many bad rows are listed before only a count is kept.
const maxReported = 20

// BadRows collects the rows a file had to leave out.
type BadRows struct {
	File    string
	Count   int
	Reports []string
}

func (b *BadRows) add(line int, field, value, reason string) {
	b.Count++
	if len(b.Reports) < maxReported {
		if len(value) > 40 {
			value = value[:40] + "…"
		}
		b.Reports = append(b.Reports, fmt.Sprintf("%s:%d: %s %q %s", b.File, line, field, value, reason))
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

// lines reads a delimited text file row by row: comma or semicolon (from
// the header), UTF-8 with or without BOM, CRLF or LF, blank lines skipped.
// Quoted fields are handled on the lines that have quotes.
type lines struct {
	name   string
	sc     *bufio.Scanner
	sep    byte
	line   int
	cols   map[string]int
	fields []string
	raw    [][]byte
}

func newLines(name string, r io.Reader, required ...string) (*lines, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	l := &lines{name: name, sc: sc}
	for {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, l.line+1, err)
			}
			return nil, fmt.Errorf("%s:1: filen är tom (rubrikraden saknas)", name)
		}
		l.line++
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			break
		}
	}
	head := bytes.TrimPrefix(sc.Bytes(), []byte("\xef\xbb\xbf"))
	if err := textOnly(head); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, l.line, err)
	}
	l.sep = ','
	if bytes.Count(head, []byte{';'}) > bytes.Count(head, []byte{','}) {
		l.sep = ';'
	}
	l.cols = map[string]int{}
	for i, c := range l.split(head) {
		l.cols[strings.ToLower(strings.TrimSpace(c))] = i
	}
	for _, c := range required {
		if _, ok := l.cols[c]; !ok {
			return nil, fmt.Errorf("%s:%d: kolumnen %q saknas", name, l.line, c)
		}
	}
	return l, nil
}

// textOnly refuses binary content.
func textOnly(b []byte) error {
	ascii := true
	for _, c := range b {
		switch {
		case c >= 0x80:
			ascii = false
		case c < 0x20 && c != '\t' && c != '\r':
			return errBinary
		}
	}
	if !ascii && !utf8.Valid(b) {
		return errBinary
	}
	return nil
}

var errBinary = errors.New("filen är inte en textfil (binärt innehåll); spara den som CSV UTF-8")

func (l *lines) split(b []byte) []string {
	b = bytes.TrimRight(b, "\r")
	if bytes.IndexByte(b, '"') >= 0 {
		r := csv.NewReader(bytes.NewReader(b))
		r.Comma = rune(l.sep)
		r.FieldsPerRecord = -1
		if rec, err := r.Read(); err == nil {
			return rec
		}
	}
	l.fields = l.fields[:0]
	for {
		i := bytes.IndexByte(b, l.sep)
		if i < 0 {
			l.fields = append(l.fields, string(bytes.TrimSpace(b)))
			return l.fields
		}
		l.fields = append(l.fields, string(bytes.TrimSpace(b[:i])))
		b = b[i+1:]
	}
}

// next returns the next non-blank row, or nil at the end. A binary line is
// an error for the whole file.
func (l *lines) next() ([]string, error) {
	for l.sc.Scan() {
		l.line++
		b := l.sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if err := textOnly(b); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", l.name, l.line, err)
		}
		return l.split(b), nil
	}
	if err := l.sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", l.name, l.line+1, err)
	}
	return nil, nil
}

func (l *lines) get(row []string, col string) string {
	i, ok := l.cols[col]
	if !ok || i >= len(row) {
		return ""
	}
	return row[i]
}

// nextRaw is next without copying: the fields are slices of the line,
// valid until the next call. Lines with quotes take the careful way.
func (l *lines) nextRaw() ([][]byte, error) {
	for l.sc.Scan() {
		l.line++
		b := bytes.TrimRight(l.sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if err := textOnly(b); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", l.name, l.line, err)
		}
		l.raw = l.raw[:0]
		if bytes.IndexByte(b, '"') >= 0 {
			for _, f := range l.split(b) {
				l.raw = append(l.raw, []byte(f))
			}
			return l.raw, nil
		}
		for {
			i := bytes.IndexByte(b, l.sep)
			if i < 0 {
				l.raw = append(l.raw, bytes.TrimSpace(b))
				return l.raw, nil
			}
			l.raw = append(l.raw, bytes.TrimSpace(b[:i]))
			b = b[i+1:]
		}
	}
	if err := l.sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", l.name, l.line+1, err)
	}
	return nil, nil
}

func (l *lines) getRaw(row [][]byte, col string) []byte {
	i, ok := l.cols[col]
	if !ok || i >= len(row) {
		return nil
	}
	return row[i]
}

// dayNumber reads YYYY-MM-DD as yyyymmdd, checking that the date exists.
func dayNumber(b []byte) (int, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
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
