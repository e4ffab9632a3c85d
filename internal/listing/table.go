package listing

import (
	"bytes"
	"fmt"

	"narvard/internal/money"
	"narvard/internal/xlsxfile"
)

// Table is a list as its XLSX export writes it: a header and one row per
// item. A cell is text, a whole number or money.Kr (an integer cell,
// never a float); dates go in as text, 2023-12-01, as in the product's
// other workbooks.
type Table struct {
	// Sheet is the sheet's name, Title the workbook's.
	Sheet, Title string
	Headers      []string
	Rows         [][]any
}

// Add appends a row.
func (t *Table) Add(cells ...any) { t.Rows = append(t.Rows, cells) }

// XLSX writes the table as a workbook of one sheet, amounts grouped in
// thousands.
func (t Table) XLSX() ([]byte, error) {
	s := xlsxfile.New(t.Sheet)
	defer s.Close()
	s.Title(t.Title)
	head := make([]any, len(t.Headers))
	for i, h := range t.Headers {
		head[i] = h
	}
	s.Header(head...)
	money := map[int]bool{}
	for _, r := range t.Rows {
		s.Row(r...)
		for i, c := range r {
			money[i] = money[i] || isKr(c)
		}
	}
	for i := range t.Headers {
		if money[i] {
			col := column(i)
			s.Group(col, col)
		}
	}
	s.Width("A", column(max(len(t.Headers)-1, 0)), 20)
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("listing: %s: %w", t.Sheet, err)
	}
	return buf.Bytes(), nil
}

func isKr(c any) bool { _, ok := c.(money.Kr); return ok }

// column is the letter(s) of the i-th column, from 0: A … Z, AA ….
func column(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
