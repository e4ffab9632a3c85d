package csvfile

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSize is the largest file, in bytes, that Read accepts.
const MaxSize = 32 << 20

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
	zipMagic   = []byte("PK\x03\x04") // xlsx, ods and other zip files
)

// decode checks that data is UTF-8 text and returns it without byte order
// marks and with every line ending a single LF, so that line numbers are
// those an editor shows. A lone CR (old Mac files) ends a line too.
func decode(name string, data []byte) (string, error) {
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return "", &Error{File: name, Line: 1, Msg: `filen är UTF-16-kodad (spara den som "CSV UTF-8")`, Err: ErrEncoding}
	}
	if bytes.HasPrefix(data, zipMagic) {
		return "", &Error{File: name, Line: 1, Msg: `filen är en Excel- eller zip-fil, inte CSV (spara den som "CSV UTF-8")`, Err: ErrBinary}
	}
	for bytes.HasPrefix(data, bomUTF8) {
		data = data[len(bomUTF8):]
	}
	data = normalizeNewlines(data)
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line++
			case c == '\t' || c == '\r':
			case c < 0x20 || c == 0x7f:
				return "", &Error{File: name, Line: line, Msg: ErrBinary.Error(), Err: ErrBinary}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return "", &Error{File: name, Line: line, Msg: ErrEncoding.Error(), Err: ErrEncoding}
		}
		i += size
	}
	return string(data), nil
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(data []byte) []byte {
	if bytes.IndexByte(data, '\r') < 0 {
		return data
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		if data[i] != '\r' {
			out = append(out, data[i])
			continue
		}
		out = append(out, '\n')
		if i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
	}
	return out
}

// trim removes surrounding whitespace, including no-break spaces, and the
// invisible marks that spreadsheets leave behind (byte order mark, zero
// width space).
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
	})
}

// oneColumn is the delimiter used for a file whose header has neither comma
// nor semicolon: a control character, which decode has ruled out, so that
// every line is one field.
const oneColumn = '\x1f'

// delimiter finds the delimiter from the header, the first non-blank line:
// the one of comma and semicolon that occurs outside quotes, the more
// frequent if both do (semicolon on a tie, as Swedish spreadsheets write
// it). An Excel "sep=;" line names it instead; the returned text then has
// that line blanked, keeping the line numbers.
func delimiter(text string) (rune, string) {
	start := 0
	for start < len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if trim(text[start:end]) != "" {
			break
		}
		start = end + 1
	}
	if start >= len(text) {
		return oneColumn, text
	}
	first := text[start:]
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if f := strings.ToLower(trim(first)); len(f) == 5 && strings.HasPrefix(f, "sep=") && (f[4] == ',' || f[4] == ';') {
		return rune(f[4]), text[:start] + text[start+len(first):]
	}
	commas, semicolons, quoted := 0, 0, false
	for i := start; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			i = len(text)
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
	}
	switch {
	case semicolons == 0 && commas == 0:
		return oneColumn, text
	case commas > semicolons:
		return ',', text
	}
	return ';', text
}
