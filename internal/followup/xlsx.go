package followup

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the indicators as a workbook: counts as integer cells,
// shares and means as numbers with four decimals, suppressed cells empty.
func WriteXLSX(w io.Writer, res *Result) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Indikatorer"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c
	}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	for i, r := range res.Rows {
		var rec []any
		for j, c := range r.cells(".") {
			switch {
			case j == 0 || j == len(Columns)-1 || c == "":
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
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &rec); err != nil {
			return err
		}
	}
	note := fmt.Sprintf("Celler med färre än %d personer är undertryckta.", res.MinCell)
	if err := f.SetCellValue(sheet, fmt.Sprintf("A%d", len(res.Rows)+3), note); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "M", 16); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}
