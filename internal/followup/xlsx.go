package followup

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"narvard/internal/xlsxfile"
)

// WriteXLSX writes the indicators as a workbook: counts as integer cells,
// shares and means as numbers with four decimals, suppressed cells empty.
func WriteXLSX(w io.Writer, res *Result) error {
	s := xlsxfile.New("Indikatorer")
	defer s.Close()
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c
	}
	s.Row(head...)
	for _, r := range res.Rows {
		var rec []any
		for j, c := range r.cells(".") {
			switch {
			case slices.Contains(textColumns, Columns[j]) || c == "":
				rec = append(rec, c)
			default:
				if n, err := strconv.ParseInt(c, 10, 64); err == nil {
					rec = append(rec, n)
				} else if x, err := strconv.ParseFloat(c, 64); err == nil {
					rec = append(rec, x)
				} else {
					rec = append(rec, c)
				}
			}
		}
		s.Row(rec...)
	}
	s.Skip()
	s.Row(fmt.Sprintf("Celler med färre än %d personer är undertryckta.", res.MinCell))
	s.Width("A", "AJ", 16)
	_, err := s.WriteTo(w)
	return err
}
