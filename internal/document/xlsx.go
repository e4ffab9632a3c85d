package document

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"narvard/internal/money"
)

// StatusRow is one recipient's line in the national status workbook.
type StatusRow struct {
	Recipient, Name                        string
	Allocation, Requisitioned, Paid, Costs money.Kr
	Unspent, Repaid, Due, Reclaimed        money.Kr
	RequisitionStatus, ReportStatus        string
	Lapsed, Reclaim                        bool
	NextDeadline                           string
}

// StatusXLSX writes the national status as a workbook: one row per
// recipient, amounts as whole-krona numeric cells, and a sum row.
func StatusXLSX(w io.Writer, agreementName string, rows []StatusRow) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Status"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head := []any{"Mottagare-id", "Mottagare", "Tilldelat", "Rekvirerat", "Utbetalt", "Kostnader", "Ej förbrukat",
		"Återbetalt", "Skyldigt", "Återkrävt", "Rekvisition", "Redovisning", "Flaggor", "Nästa tidsfrist"}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	sums := make([]money.Kr, 8)
	for i, r := range rows {
		amounts := []money.Kr{r.Allocation, r.Requisitioned, r.Paid, r.Costs, r.Unspent, r.Repaid, r.Due, r.Reclaimed}
		rec := []any{r.Recipient, r.Name}
		for j, a := range amounts {
			rec = append(rec, int64(a))
			sums[j] += a
		}
		var flags []string
		if r.Lapsed {
			flags = append(flags, "förfallen")
		}
		if r.Reclaim {
			flags = append(flags, "återkrav")
		}
		rec = append(rec, r.RequisitionStatus, r.ReportStatus, strings.Join(flags, ", "), r.NextDeadline)
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &rec); err != nil {
			return err
		}
	}
	last := len(rows) + 2
	sum := []any{nil, "Summa"}
	for _, s := range sums {
		sum = append(sum, int64(s))
	}
	if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", last), &sum); err != nil {
		return err
	}
	numFmt := "#,##0"
	num, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	boldNum, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	for _, s := range []struct {
		from, to string
		style    int
	}{{"A1", "N1", bold}, {"C2", fmt.Sprintf("J%d", last), num}, {fmt.Sprintf("A%d", last), fmt.Sprintf("J%d", last), boldNum}} {
		if err := f.SetCellStyle(sheet, s.from, s.to, s.style); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		from, to string
		w        float64
	}{{"A", "A", 16}, {"B", "B", 34}, {"C", "J", 16}, {"K", "N", 20}} {
		if err := f.SetColWidth(sheet, c.from, c.to, c.w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	f.SetDocProps(&excelize.DocProperties{Title: agreementName + " – nationell status", Creator: "narvard"})
	_, err = f.WriteTo(w)
	return err
}
