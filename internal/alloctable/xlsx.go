package alloctable

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"narvard/internal/alloc"
)

// WriteXLSX writes the table as a workbook: a header row, one row per
// recipient with its code as text and its name, amounts as integer cells
// formatted with thousands separators, and a total row.
func WriteXLSX(w io.Writer, t *alloc.Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Name
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head := []any{"Kod", "Mottagare"}
	if t.Name == alloc.TableVFU {
		head = append(head, "Ökning (veckor)")
	}
	for _, c := range t.Columns {
		head = append(head, c.Label)
	}
	if hasTotal(t) {
		head = append(head, "Totalt")
	}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	for i, r := range t.Rows {
		rec := []any{r.Code, r.Name}
		if r.VFU != nil {
			rec = append(rec, r.VFU.Increase())
		}
		for _, c := range r.Cells {
			rec = append(rec, int64(c.Amount))
		}
		if hasTotal(t) {
			total, err := r.Total()
			if err != nil {
				return err
			}
			rec = append(rec, int64(total))
		}
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &rec); err != nil {
			return err
		}
	}
	sums, grand, err := t.ColumnTotals()
	if err != nil {
		return err
	}
	sum := []any{nil, "Totalt"}
	if t.Name == alloc.TableVFU {
		sum = append(sum, nil)
	}
	for _, s := range sums {
		sum = append(sum, int64(s))
	}
	if hasTotal(t) {
		sum = append(sum, int64(grand))
	}
	last := len(t.Rows) + 2
	if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", last), &sum); err != nil {
		return err
	}
	if err := style(f, sheet, len(head), last); err != nil {
		return err
	}
	f.SetDocProps(&excelize.DocProperties{Title: t.Agreement.ShortName + " – " + tableTitles[t.Name], Creator: "narvard"})
	_, err = f.WriteTo(w)
	return err
}

// style makes the header and total rows bold, numbers grouped in
// thousands, and the columns wide enough.
func style(f *excelize.File, sheet string, cols, last int) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	numFmt := "#,##0"
	num, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	boldNum, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(cols)
	steps := []struct {
		from, to string
		style    int
	}{
		{"A1", lastCol + "1", bold},
		{"C2", fmt.Sprintf("%s%d", lastCol, last), num},
		{fmt.Sprintf("A%d", last), fmt.Sprintf("%s%d", lastCol, last), boldNum},
	}
	for _, s := range steps {
		if err := f.SetCellStyle(sheet, s.from, s.to, s.style); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "B", "B", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "C", lastCol, 18); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
