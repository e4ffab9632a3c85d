// Package xlsxfile writes the product's spreadsheets: one sheet, a bold
// header row, rows of text and numbers, a bold total row, amounts grouped
// in thousands.
//
// It is the one place that knows xuri/excelize. Money goes in as money.Kr
// and comes out as an integer cell, never a float and never text; a float
// is for a share or a mean. Text stays text, so a code such as "01" keeps
// its leading zero.
package xlsxfile

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"narvard/internal/money"
)

// GroupedFormat is the number format of amounts: whole numbers with a
// thousands separator, shown in the reader's locale.
const GroupedFormat = "#,##0"

// Sheet is a workbook of one sheet, written row by row from the top. The
// first error sticks: later calls do nothing and WriteTo returns it.
type Sheet struct {
	f        *excelize.File
	name     string
	next     int // the next row, from 1
	header   int // the header row's width, 0 without a header
	total    int // the total row, 0 without one
	totalLen int // its width
	grouped  [][2]string
	err      error
}

// New starts a workbook whose one sheet has the name.
func New(name string) *Sheet {
	s := &Sheet{f: excelize.NewFile(), name: name, next: 1}
	s.err = s.f.SetSheetName("Sheet1", name)
	return s
}

// Header writes the next row in bold and keeps it in view when the sheet
// is scrolled.
func (s *Sheet) Header(cells ...any) {
	s.header = len(cells)
	s.Row(cells...)
	if s.err == nil {
		s.err = s.f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: s.next - 1,
			TopLeftCell: fmt.Sprintf("A%d", s.next), ActivePane: "bottomLeft"})
	}
}

// Row writes the next row. A cell is nil (empty), a string, a bool, an
// int, an int64, a money.Kr or a float64.
func (s *Sheet) Row(cells ...any) {
	if s.err != nil {
		return
	}
	row := make([]any, len(cells))
	for i, c := range cells {
		switch c := c.(type) {
		case nil, string, bool, int64, float64:
			row[i] = c
		case int:
			row[i] = int64(c)
		case money.Kr:
			row[i] = int64(c)
		default:
			s.err = fmt.Errorf("xlsxfile: %s%d: a cell of type %T", s.name, s.next, c)
			return
		}
	}
	s.err = s.f.SetSheetRow(s.name, fmt.Sprintf("A%d", s.next), &row)
	s.next++
}

// Skip leaves the next row empty.
func (s *Sheet) Skip() { s.next++ }

// Total writes the next row in bold with its numbers grouped in thousands.
func (s *Sheet) Total(cells ...any) {
	s.total, s.totalLen = s.next, len(cells)
	s.Row(cells...)
}

// Group groups the numbers in columns from to to (letters, such as "C"
// and "J") in thousands, in every row but the first.
func (s *Sheet) Group(from, to string) {
	s.grouped = append(s.grouped, [2]string{from, to})
}

// Width sets the width of columns from to to, in characters.
func (s *Sheet) Width(from, to string, width float64) {
	if s.err == nil {
		s.err = s.f.SetColWidth(s.name, from, to, width)
	}
}

// Title sets the workbook's title, shown by spreadsheet programs in the
// file's properties.
func (s *Sheet) Title(title string) {
	if s.err == nil {
		s.err = s.f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "narvard"})
	}
}

// WriteTo styles the header, the grouped columns and the total row, and
// writes the workbook to w.
func (s *Sheet) WriteTo(w io.Writer) (int64, error) {
	if s.err == nil {
		s.err = s.style()
	}
	if s.err != nil {
		return 0, s.err
	}
	return s.f.WriteTo(w)
}

// Close lets go of the workbook.
func (s *Sheet) Close() error { return s.f.Close() }

func (s *Sheet) style() error {
	format := GroupedFormat
	last := s.next - 1
	if s.header > 0 {
		if err := s.styleRow(1, s.header, &excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
			return err
		}
	}
	if len(s.grouped) > 0 && last >= 2 {
		num, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			return err
		}
		for _, g := range s.grouped {
			if err := s.f.SetCellStyle(s.name, g[0]+"2", fmt.Sprintf("%s%d", g[1], last), num); err != nil {
				return err
			}
		}
	}
	if s.total > 0 && s.totalLen > 0 {
		return s.styleRow(s.total, s.totalLen, &excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &format})
	}
	return nil
}

// styleRow gives the first n cells of row r the style.
func (s *Sheet) styleRow(r, n int, style *excelize.Style) error {
	id, err := s.f.NewStyle(style)
	if err != nil {
		return err
	}
	to, err := excelize.CoordinatesToCellName(n, r)
	if err != nil {
		return err
	}
	return s.f.SetCellStyle(s.name, fmt.Sprintf("A%d", r), to, id)
}

// Column is the letters of the nth column, counted from 1: 1 is "A", 26
// is "Z", 27 is "AA".
func Column(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}
