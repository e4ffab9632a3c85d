package alloctable

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/money"
)

// WriteText writes the table for people: a title, names, amounts formatted
// the Swedish way ("1 103 067 686") and a total row.
func WriteText(w io.Writer, t *alloc.Table) error {
	head := []string{"Kod", "Mottagare"}
	if t.HasReports() {
		head = append(head, "Ökning (veckor)")
	}
	for _, c := range t.Columns {
		head = append(head, c.Label)
	}
	if hasTotal(t) {
		head = append(head, "Totalt")
	}
	rows := [][]string{head}
	for _, r := range t.Rows {
		rec := []string{r.Code, r.Name}
		if r.VFU != nil {
			rec = append(rec, money.Group(r.VFU.Increase()))
		}
		for _, c := range r.Cells {
			rec = append(rec, money.Group(int64(c.Amount)))
		}
		if hasTotal(t) {
			total, err := r.Total()
			if err != nil {
				return err
			}
			rec = append(rec, money.Group(int64(total)))
		}
		rows = append(rows, rec)
	}
	sums, grand, err := t.ColumnTotals()
	if err != nil {
		return err
	}
	sum := []string{"", "Totalt"}
	if t.HasReports() {
		sum = append(sum, "")
	}
	for _, s := range sums {
		sum = append(sum, money.Group(int64(s)))
	}
	if hasTotal(t) {
		sum = append(sum, money.Group(int64(grand)))
	}
	rows = append(rows, sum)
	title, note := t.Spec.Title, "Belopp i kronor."
	if t.Basis == agreement.BindingPublished {
		note = "Belopp i kronor enligt bilaga (bindande), inte beräknade enligt nyckeln."
	}
	if _, err := fmt.Fprintf(w, "%s – %s\n%s\n\n", t.Agreement.ShortName, title, note); err != nil {
		return err
	}
	return writeAligned(w, rows, 2)
}

// writeAligned writes rows as columns; the first textCols columns are
// left-aligned, the rest (numbers) right-aligned. A rule separates the last
// row (the total) from the others.
func writeAligned(w io.Writer, rows [][]string, textCols int) error {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(r []string) {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < textCols {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		b.WriteString("\n")
	}
	for i, r := range rows {
		if i == len(rows)-1 {
			total := 2 * (len(width) - 1)
			for _, x := range width {
				total += x
			}
			b.WriteString(strings.Repeat("-", total) + "\n")
		}
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
