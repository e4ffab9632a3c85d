package document

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"narvard/internal/csvfile"
	"narvard/internal/xlsxfile"
)

// ActivityWorkbook writes a table of activity reports (one row per
// report, one column per answer cell) as XLSX: text stays text, numbers
// are integer cells. A cell is nil, a string, a bool or an int64.
func ActivityWorkbook(header []string, rows [][]any) ([]byte, error) {
	s := xlsxfile.New("Verksamhetsrapporter")
	defer s.Close()
	h := make([]any, len(header))
	for i, x := range header {
		h[i] = x
	}
	s.Header(h...)
	for _, r := range rows {
		s.Row(r...)
	}
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ActivityCSV writes the same table as CSV (UTF-8, comma): text cells
// made safe for spreadsheets (csvfile.Text), numbers as numbers.
func ActivityCSV(header []string, rows [][]any) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(csvfile.Texts(header...)); err != nil {
		return nil, err
	}
	for _, r := range rows {
		line := make([]string, len(r))
		for i, c := range r {
			switch c := c.(type) {
			case nil:
			case string:
				line[i] = csvfile.Text(c)
			case int64:
				line[i] = strconv.FormatInt(c, 10)
			case bool:
				line[i] = strconv.FormatBool(c)
			default:
				return nil, fmt.Errorf("document: a cell of type %T", c)
			}
		}
		if err := w.Write(line); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
