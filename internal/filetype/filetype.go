// Package filetype decides what kind of file people send as underlag (a
// document request's answer, a report's attachment) from its content, never
// from its name: a PDF by its magic, an XLSX, DOCX or ODS by the parts of
// its ZIP container, a CSV as text. Only those five are accepted; a
// program (ELF, or a Windows "MZ" executable) is refused by name, whatever
// it is called.
package filetype

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"narvard/internal/fault"
)

// MaxSize is the largest file accepted: 20 MB.
const MaxSize = 20 << 20

// Type is a kind of file accepted, with the content type it is served as.
type Type struct {
	Name        string // PDF, XLSX, DOCX, ODS, CSV
	ContentType string
	Ext         string // ".pdf", …
}

// The accepted types.
var (
	PDF  = Type{"PDF", "application/pdf", ".pdf"}
	XLSX = Type{"XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"}
	DOCX = Type{"DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"}
	ODS  = Type{"ODS", "application/vnd.oasis.opendocument.spreadsheet", ".ods"}
	CSV  = Type{"CSV", "text/csv; charset=utf-8", ".csv"}
	// CSVLatin1 is a CSV file that is not UTF-8, read as Latin-1.
	CSVLatin1 = Type{"CSV", "text/csv; charset=iso-8859-1", ".csv"}
)

// Types lists the accepted types, for messages and forms.
const Types = "PDF, XLSX, CSV, ODS eller DOCX"

// odsMimetype is the content of an ODS file's first entry, "mimetype".
const odsMimetype = "application/vnd.oasis.opendocument.spreadsheet"

// Detect returns the type of the file's content, or refuses it with a
// Swedish message naming the file: empty, too large, a program, or none of
// the accepted types.
func Detect(name string, data []byte) (Type, error) {
	switch {
	case len(data) == 0:
		return Type{}, refuse("Filen %q är tom.", name)
	case len(data) > MaxSize:
		return Type{}, fault.New(fault.TooLarge, "Filen %q är större än 20 MB.", name)
	case isProgram(data):
		return Type{}, refuse("Filen %q är ett program, inte ett dokument, och tas inte emot (tillåtna filtyper: %s).", name, Types)
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return zipType(name, data)
	}
	if t, ok := textType(data); ok {
		return t, nil
	}
	return Type{}, refuse("Filen %q är ingen av de tillåtna filtyperna (%s).", name, Types)
}

func refuse(format string, args ...any) error { return fault.New(fault.Invalid, format, args...) }

// isProgram: an ELF binary, or a Windows/DOS executable ("MZ") that is not
// text (a CSV may begin with the letters MZ).
func isProgram(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\x7fELF")) {
		return true
	}
	if !bytes.HasPrefix(data, []byte("MZ")) {
		return false
	}
	_, text := textType(data)
	return !text
}

// zipType reads the container's table of contents (not its contents,
// except ODS's short mimetype entry): [Content_Types].xml with xl/ is an
// XLSX, with word/ a DOCX; a mimetype entry naming the spreadsheet an ODS.
func zipType(name string, data []byte) (Type, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Type{}, refuse("Filen %q ser ut som en ZIP-fil men går inte att läsa: %v.", name, err)
	}
	var contentTypes, xl, word bool
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case f.Name == "mimetype" && isODS(f):
			return ODS, nil
		}
	}
	switch {
	case contentTypes && xl:
		return XLSX, nil
	case contentTypes && word:
		return DOCX, nil
	}
	return Type{}, refuse("Filen %q är en ZIP-fil men inte ett Excel-, Word- eller OpenDocument-kalkylark (tillåtna filtyper: %s).", name, Types)
}

// isODS reads at most the length of the ODS mimetype from the entry.
func isODS(f *zip.File) bool {
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, int64(len(odsMimetype))+1))
	return string(b) == odsMimetype
}

// textType: text without NULs or other control characters than tab, line
// feed, carriage return and form feed; UTF-8 if it is valid UTF-8, else
// Latin-1.
func textType(data []byte) (Type, bool) {
	for _, c := range data {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f {
			return Type{}, false
		}
	}
	if utf8.Valid(data) {
		return CSV, true
	}
	return CSVLatin1, true
}

// SafeName returns the file name as downloads give it: the last element of
// the path people's browsers send, without control characters or quotes,
// at most 200 bytes, and with the type's extension when it has none of its
// own ("underlag" when nothing is left).
func SafeName(name string, t Type) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		name = "underlag"
	}
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if !strings.EqualFold(filepath.Ext(name), t.Ext) {
		name += t.Ext
	}
	return name
}
