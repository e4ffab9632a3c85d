package document

import (
	"io"
	"strings"

	"narvard/internal/money"
	"narvard/internal/xlsxfile"
)

// StatusRow is one recipient's line in the national status workbook.
type StatusRow struct {
	Recipient, Name                        string
	Allocation, Requisitioned, Paid, Costs money.Kr
	Unspent, Repaid, Due, Reclaimed        money.Kr
	RequisitionStatus, ReportStatus        string
	Lapsed, Reclaim                        bool
	NextDeadline                           string
	// The payment batch of the recipient's requisition and the two who
	// pay: who made it and when, who attested it and when.
	Batch, MadeBy, MadeAt, AttestedBy, AttestedAt string
	// VFU money fixed by the closed VFU round, and of it paid.
	VFU, VFUPaid money.Kr
	// Activity is where the recipient is with its activity reports.
	Activity string
}

// StatusXLSX writes the national status as a workbook: one row per
// recipient, amounts as whole-krona numeric cells, and a sum row.
func StatusXLSX(w io.Writer, agreementName string, rows []StatusRow) error {
	s := xlsxfile.New("Status")
	defer s.Close()
	s.Header("Mottagare-id", "Mottagare", "Tilldelat", "Rekvirerat", "Utbetalt", "Kostnader", "Ej förbrukat",
		"Återbetalt", "Skyldigt", "Återkrävt", "Rekvisition", "Redovisning", "Flaggor", "Nästa tidsfrist",
		"Betalningsomgång", "Skapad av", "Skapad", "Attesterad av", "Attesterad", "VFU fastställt", "VFU utbetalt", "Verksamhetsrapport")
	sums := make([]money.Kr, 8)
	var vfu, vfuPaid money.Kr
	for _, r := range rows {
		amounts := []money.Kr{r.Allocation, r.Requisitioned, r.Paid, r.Costs, r.Unspent, r.Repaid, r.Due, r.Reclaimed}
		rec := []any{r.Recipient, r.Name}
		for j, a := range amounts {
			rec = append(rec, a)
			sums[j] += a
		}
		var flags []string
		if r.Lapsed {
			flags = append(flags, "förfallen")
		}
		if r.Reclaim {
			flags = append(flags, "återkrav")
		}
		rec = append(rec, r.RequisitionStatus, r.ReportStatus, strings.Join(flags, ", "), r.NextDeadline,
			r.Batch, r.MadeBy, r.MadeAt, r.AttestedBy, r.AttestedAt, r.VFU, r.VFUPaid, r.Activity)
		vfu, vfuPaid = vfu+r.VFU, vfuPaid+r.VFUPaid
		s.Row(rec...)
	}
	sum := []any{nil, "Summa"}
	for _, x := range sums {
		sum = append(sum, x)
	}
	sum = append(sum, nil, nil, nil, nil, nil, nil, nil, nil, nil, vfu, vfuPaid)
	s.Total(sum...)
	s.Group("C", "J")
	s.Width("A", "A", 16)
	s.Width("B", "B", 34)
	s.Width("C", "J", 16)
	s.Width("K", "N", 20)
	s.Width("O", "S", 22)
	s.Width("T", "U", 16)
	s.Width("V", "V", 28)
	s.Title(agreementName + " – nationell status")
	_, err := s.WriteTo(w)
	return err
}
