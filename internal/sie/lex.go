package sie

import (
	"bytes"
	"errors"
)

// A field is one field of a record as written: its text without the
// quotes, or, for an object list ({1 "9916" 6 "P7"}), its elements.
type field struct {
	text   []byte
	list   []field
	isList bool
}

// record is one line of the file that starts with a label.
type record struct {
	line   int
	label  string // upper case, with its #
	fields []field
}

var (
	errQuote = errors.New("citattecknen stämmer inte")
	errBrace = errors.New("objektlistans klamrar stämmer inte")
)

// splitRecord splits a line that begins with '#' into its label and
// fields. Fields are separated by spaces or tabs; a field in quotes may
// hold spaces, and \" inside it is a quote; an object list is one field
// in braces whose elements follow the same rules.
func splitRecord(line []byte) (string, []field, error) {
	fields, rest, err := splitFields(line, false)
	if err != nil {
		return "", nil, err
	}
	if len(rest) > 0 {
		return "", nil, errBrace
	}
	label := string(bytes.ToUpper(fields[0].text))
	return label, fields[1:], nil
}

// splitFields reads fields from s until its end or, inside an object
// list, the closing brace; it returns what follows the brace.
func splitFields(s []byte, inList bool) ([]field, []byte, error) {
	var fields []field
	for {
		s = bytes.TrimLeft(s, " \t")
		if len(s) == 0 {
			if inList {
				return nil, nil, errBrace
			}
			return fields, nil, nil
		}
		var f field
		var err error
		switch s[0] {
		case '}':
			if !inList {
				return nil, nil, errBrace
			}
			return fields, s[1:], nil
		case '{':
			if inList {
				return nil, nil, errBrace
			}
			f.isList = true
			f.list, s, err = splitFields(s[1:], true)
		case '"':
			f.text, s, err = quoted(s[1:])
		default:
			f.text, s = bare(s, inList)
		}
		if err != nil {
			return nil, nil, err
		}
		fields = append(fields, f)
	}
}

// quoted reads a quoted field's text after its opening quote.
func quoted(s []byte) ([]byte, []byte, error) {
	var text []byte
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			text = append(text, '"')
			i++
		case s[i] == '"':
			return text, s[i+1:], nil
		default:
			text = append(text, s[i])
		}
	}
	return nil, nil, errQuote
}

// bare reads an unquoted field, which ends at a space or a tab (and, in an
// object list, at the closing brace).
func bare(s []byte, inList bool) ([]byte, []byte) {
	end := bytes.IndexFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || (inList && r == '}')
	})
	if end < 0 {
		return s, nil
	}
	return s[:end], s[end:]
}
