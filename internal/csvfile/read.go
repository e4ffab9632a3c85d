package csvfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// File is a CSV file read whole: its header and its non-blank rows.
type File struct {
	Name       string // as the caller gave it; used in errors
	HeaderLine int    // physical line of the header, usually 1
	header     []string
	index      map[string]int  // lower-case column name → field index
	dup        map[string]bool // names that occur more than once
	rows       []Row
}

// Row is one non-blank row of a file with its physical line number.
type Row struct {
	Line   int // 1-based physical line where the row starts; the header is line 1
	file   *File
	fields []string // trimmed
}

// ReadFile reads the CSV file at path; errors name it by its base name.
func ReadFile(path string) (*File, error) {
	name := filepath.Base(path)
	fh, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: name, Msg: "filen kan inte öppnas: " + err.Error(), Err: err}
	}
	defer fh.Close()
	return Read(name, fh)
}

// Read reads a whole CSV file from r; name is the file's name as errors
// should show it. The first non-blank line is the header. Blank lines and
// lines whose fields are all empty (as spreadsheets export empty rows) are
// skipped; rows may be shorter than the header, and longer only with empty
// fields. It refuses empty files, binary files, text that is not UTF-8,
// files larger than MaxSize and broken quoting, with a *Error.
func Read(name string, r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "filen kan inte läsas: " + err.Error(), Err: err}
	}
	if len(data) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("%s (högst %d MB)", ErrTooLarge, MaxSize>>20), Err: ErrTooLarge}
	}
	text, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	delim, text := delimiter(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	f := &File{Name: name}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(name, err)
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for i := range rec {
			rec[i] = trim(rec[i])
			blank = blank && rec[i] == ""
		}
		if blank {
			continue
		}
		if f.header == nil {
			f.setHeader(line, rec)
			continue
		}
		if err := f.checkWidth(line, rec, delim); err != nil {
			return nil, err
		}
		f.rows = append(f.rows, Row{Line: line, file: f, fields: rec})
	}
	if f.header == nil {
		return nil, &Error{File: name, Msg: ErrEmptyFile.Error(), Err: ErrEmptyFile}
	}
	return f, nil
}

// checkWidth refuses a row with values beyond the header's columns: in a
// comma separated file that is typically a decimal comma splitting a
// number in two, and reading on would take the wrong numbers.
func (f *File) checkWidth(line int, rec []string, delim rune) error {
	if len(rec) <= len(f.header) || !slices.ContainsFunc(rec[len(f.header):], func(s string) bool { return s != "" }) {
		return nil
	}
	msg := fmt.Sprintf("raden har %d fält men rubrikraden bara %d", len(rec), len(f.header))
	if delim == ',' {
		msg += "; ett tal med decimalkomma (12,5) blir två fält i en kommaseparerad fil"
	} else {
		msg += "; ge den extra kolumnen en rubrik"
	}
	return &Error{File: f.Name, Line: line, Msg: msg, Err: ErrFieldCount}
}

// syntaxError turns an encoding/csv error into a *Error.
func syntaxError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: name, Msg: ErrSyntax.Error() + ": " + err.Error(), Err: ErrSyntax}
	}
	if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line {
		msg := fmt.Sprintf(`ett fält som börjar med citattecken (") avslutas aldrig; det fortsätter till rad %d`, pe.Line)
		return &Error{File: name, Line: pe.StartLine, Msg: msg, Err: ErrSyntax}
	}
	msg := `ett citattecken (") står fel; ett fält med citattecken ska börja och sluta med " och skriva "" för varje " inuti`
	return &Error{File: name, Line: pe.Line, Msg: msg, Err: ErrSyntax}
}

func (f *File) setHeader(line int, rec []string) {
	f.HeaderLine = line
	f.header = rec
	f.index = make(map[string]int, len(rec))
	f.dup = map[string]bool{}
	for i, h := range rec {
		if h == "" {
			continue
		}
		key := strings.ToLower(h)
		if _, seen := f.index[key]; seen {
			f.dup[key] = true
			continue
		}
		f.index[key] = i
	}
}

// Columns returns the header's column names as written, trimmed.
func (f *File) Columns() []string { return append([]string(nil), f.header...) }

// Has reports whether the header has the column; names are matched
// case-insensitively after trimming.
func (f *File) Has(col string) bool {
	_, ok := f.index[strings.ToLower(trim(col))]
	return ok
}

// Require returns a *Error on the header line naming the columns that are
// missing or that occur more than once, or nil when every one is there
// exactly once. Other columns are allowed.
func (f *File) Require(cols ...string) error {
	var missing []string
	for _, c := range cols {
		key := strings.ToLower(trim(c))
		if f.dup[key] {
			return f.Err(f.HeaderLine, fmt.Sprintf("kolumnen %q finns flera gånger", c))
		}
		if _, ok := f.index[key]; !ok {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	msg := "kolumnen " + missing[0] + " saknas"
	if len(missing) > 1 {
		msg = "kolumnerna " + strings.Join(missing, ", ") + " saknas"
	}
	e := f.Err(f.HeaderLine, msg+"; rubrikraden har: "+shorten(strings.Join(f.header, ", "), maxShownHeader))
	e.Err = ErrMissingColumn
	return e
}

// Rows returns the rows after the header.
func (f *File) Rows() []Row { return f.rows }

// LastLine returns the line of the last row, or of the header when there
// are no rows: where to report something missing from the file.
func (f *File) LastLine() int {
	if len(f.rows) == 0 {
		return f.HeaderLine
	}
	return f.rows[len(f.rows)-1].Line
}

// Err returns a *Error about the file at the given line (0 for the whole
// file).
func (f *File) Err(line int, msg string) *Error {
	return &Error{File: f.Name, Line: line, Msg: msg}
}

// Get returns the row's trimmed value in the column, or "" when the header
// has no such column or the row is shorter.
func (r Row) Get(col string) string {
	i, ok := r.file.index[strings.ToLower(trim(col))]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return r.fields[i]
}

// Err returns a *Error about the row's value in the column.
func (r Row) Err(col, msg string) *Error {
	return &Error{File: r.file.Name, Line: r.Line, Field: col, Value: r.Get(col), Msg: msg}
}

// Int parses the row's value in the column with ParseInt; the error is a
// *Error wrapping ParseInt's.
func (r Row) Int(col string) (int64, error) {
	n, err := ParseInt(r.Get(col))
	if err != nil {
		e := r.Err(col, err.Error())
		e.Err = err
		return 0, e
	}
	return n, nil
}

// Count is Int for figures that cannot be negative, such as a population;
// a negative value gives a *Error wrapping ErrNegative.
func (r Row) Count(col string) (int64, error) {
	n, err := r.Int(col)
	if err == nil && n < 0 {
		e := r.Err(col, ErrNegative.Error())
		e.Err = ErrNegative
		return 0, e
	}
	return n, err
}
