// Package csvfile reads CSV files as people really have them: comma or
// semicolon separated, UTF-8 with or without a byte order mark, CRLF or LF
// line endings, blank lines and stray whitespace. It finds columns by name,
// gives every row its physical line number and reports problems in Swedish
// as FILE:LINE: FIELD "VALUE" MESSAGE so that people can fix the file.
package csvfile

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Errors that a *Error wraps, for callers who want to tell problems apart
// with errors.Is. Their texts are the Swedish messages used in the
// reports.
var (
	ErrEmptyFile     = errors.New("filen är tom (rubrikraden saknas)")
	ErrBinary        = errors.New("filen är inte en textfil (den innehåller binära data)")
	ErrEncoding      = errors.New(`filen är inte UTF-8-kodad text (spara den som "CSV UTF-8")`)
	ErrTooLarge      = errors.New("filen är för stor")
	ErrSyntax        = errors.New("citattecknen stämmer inte")
	ErrFieldCount    = errors.New("raden har fler fält än rubrikraden")
	ErrMissingColumn = errors.New("kolumnen saknas")
	ErrEmptyValue    = errors.New("saknar värde")
	ErrNotInteger    = errors.New("är inte ett heltal")
	ErrDecimal       = errors.New("är ett decimaltal; ange ett heltal")
	ErrRange         = errors.New("är för stort")
	ErrNegative      = errors.New("får inte vara negativt")
)

// Error is a problem in a CSV file, located so that people can find it:
//
//	lan.csv:5: befolkning "abc" är inte ett heltal
//	lan.csv:1: kolumnen "befolkning" saknas
//	lan.csv: filen är tom (rubrikraden saknas)
type Error struct {
	File  string // the file's name as the caller gave it, e.g. "lan.csv"
	Line  int    // 1-based physical line; 0 for the file as a whole
	Field string // the column, or "" for a problem that is not in one column
	Value string // the offending value as written, or ""
	Msg   string // what is wrong, in Swedish
	Err   error  // one of the Err variables above, or nil
}

// How many characters of a value, and of a header, an error message shows.
const (
	maxShown       = 40
	maxShownHeader = 200
)

// Error formats the problem as FILE:LINE: FIELD "VALUE" MSG, leaving out
// the parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(" ")
	}
	if e.Value != "" {
		b.WriteString(strconv.Quote(shorten(e.Value, maxShown)))
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// shorten cuts s to limit characters so that a message stays readable.
func shorten(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
