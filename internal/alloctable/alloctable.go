// Package alloctable writes allocation tables (alloc.Table) for machines
// (CSV, JSON), for people (text with Swedish formatting, --explain) and for
// spreadsheets (XLSX). Every writer takes a finished table and never
// computes money of its own beyond the derived totals. Financial reports
// (redovisningar) are not written here: see grant and document.
package alloctable

import (
	"fmt"
	"io"
	"slices"

	"narvard/internal/alloc"
)

// Formats lists the output formats.
var Formats = []string{"csv", "json", "text", "xlsx"}

// Write writes the table in the named format.
func Write(w io.Writer, t *alloc.Table, format string) error {
	switch format {
	case "csv":
		return WriteCSV(w, t)
	case "json":
		return WriteJSON(w, t)
	case "text":
		return WriteText(w, t)
	case "xlsx":
		return WriteXLSX(w, t)
	}
	return fmt.Errorf("okänt format %q (välj %v)", format, Formats)
}

// ValidFormat reports whether format is one Write knows.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }

// header returns the machine column names of the table, as in the CSV
// header: kod, then the columns, then totalt (or, for vfu, kod,okning,belopp
// and for landsbygd kod,belopp).
func header(t *alloc.Table) []string {
	h := []string{"kod"}
	if t.HasReports() {
		h = append(h, "okning")
	}
	for _, c := range t.Columns {
		h = append(h, c.ID)
	}
	if hasTotal(t) {
		h = append(h, "totalt")
	}
	return h
}

// hasTotal reports whether the table has a total column: only tables with
// more than one column do.
func hasTotal(t *alloc.Table) bool { return len(t.Columns) > 1 }
