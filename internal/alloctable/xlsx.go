package alloctable

import (
	"io"

	"narvard/internal/alloc"
	"narvard/internal/xlsxfile"
)

// WriteXLSX writes the table as a workbook: a header row, one row per
// recipient with its code as text and its name, amounts as integer cells
// formatted with thousands separators, and a total row.
func WriteXLSX(w io.Writer, t *alloc.Table) error {
	s := xlsxfile.New(string(t.Name))
	defer s.Close()
	head := []any{"Kod", "Mottagare"}
	if t.HasReports() {
		head = append(head, "Ökning (veckor)")
	}
	for _, c := range t.Columns {
		head = append(head, c.Label)
	}
	if hasTotal(t) {
		head = append(head, "Totalt")
	}
	s.Header(head...)
	for _, r := range t.Rows {
		rec := []any{r.Code, r.Name}
		if r.VFU != nil {
			rec = append(rec, r.VFU.Increase())
		}
		for _, c := range r.Cells {
			rec = append(rec, c.Amount)
		}
		if hasTotal(t) {
			total, err := r.Total()
			if err != nil {
				return err
			}
			rec = append(rec, total)
		}
		s.Row(rec...)
	}
	sums, grand, err := t.ColumnTotals()
	if err != nil {
		return err
	}
	sum := []any{nil, "Totalt"}
	if t.HasReports() {
		sum = append(sum, nil)
	}
	for _, x := range sums {
		sum = append(sum, x)
	}
	if hasTotal(t) {
		sum = append(sum, grand)
	}
	s.Total(sum...)
	lastCol := xlsxfile.Column(len(head))
	s.Group("C", lastCol)
	s.Width("B", "B", 34)
	s.Width("C", lastCol, 18)
	s.Title(t.Agreement.ShortName + " – " + t.Spec.Title)
	_, err = s.WriteTo(w)
	return err
}
