package followup

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"narvard/internal/csvfile"
	"narvard/internal/money"
)

// Columns are the output's columns, in order.
var Columns = []string{"grupp", "listade", "med_fast_lakare", "andel_fast_lakare", "sabo_listade", "sabo_med_fast_lakare",
	"andel_fast_lakare_sabo", "patienter_coc", "coc", "upc", "listade_per_specialist", "listade_per_st", "undertryckt"}

// cells renders a row with suppression applied: a suppressed count and
// every figure derived from it are empty. dec is the decimal separator.
func (r Row) cells(dec string) []string {
	sup := r.IsSuppressed
	count := func(name string, n int) string {
		if sup(name) {
			return ""
		}
		return strconv.Itoa(n)
	}
	share := func(num, den string, a, b int) string {
		if sup(num) || sup(den) || b == 0 {
			return ""
		}
		return strings.Replace(strconv.FormatFloat(float64(a)/float64(b), 'f', 4, 64), ".", dec, 1)
	}
	mean := func(v float64) string {
		if sup("patienter_coc") || r.PatienterCOC == 0 {
			return ""
		}
		return strings.Replace(strconv.FormatFloat(v, 'f', 4, 64), ".", dec, 1)
	}
	per := func(n int) string {
		if sup("listade") || !r.HasClinicians || n == 0 {
			return ""
		}
		return strings.Replace(strconv.FormatFloat(float64(r.Listade)/float64(n), 'f', 1, 64), ".", dec, 1)
	}
	return []string{r.Group, count("listade", r.Listade), count("med_fast_lakare", r.MedFastLakare),
		share("med_fast_lakare", "listade", r.MedFastLakare, r.Listade), count("sabo_listade", r.SaboListade),
		count("sabo_med_fast_lakare", r.SaboMedFastLakare), share("sabo_med_fast_lakare", "sabo_listade", r.SaboMedFastLakare, r.SaboListade),
		count("patienter_coc", r.PatienterCOC), mean(r.COC), mean(r.UPC), per(r.Specialists), per(r.STDoctor), strings.Join(r.Suppressed, ";")}
}

// DisplayCells is a row's cells for people, in the CSV's columns:
// decimal commas and counts grouped by thousands (1 103 067), suppression
// applied.
func DisplayCells(r Row) []string {
	c := r.cells(",")
	for _, i := range []int{1, 2, 4, 5, 7} {
		if n, err := strconv.ParseInt(c[i], 10, 64); err == nil {
			c[i] = money.Group(n)
		}
	}
	return c
}

// WriteCSV writes the indicators as CSV with decimal points. The text
// cells (the group, which comes from the files, and what was suppressed)
// are made safe for spreadsheets (csvfile.Text).
func WriteCSV(w io.Writer, res *Result) error {
	cw := csv.NewWriter(w)
	cw.Write(Columns)
	for _, r := range res.Rows {
		c := r.cells(".")
		c[0], c[len(c)-1] = csvfile.Text(c[0]), csvfile.Text(c[len(c)-1])
		cw.Write(c)
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the indicators as JSON: the rows with the CSV's columns
// (numbers as numbers, suppressed values as null) and what was left out.
func WriteJSON(w io.Writer, res *Result) error {
	var rows []map[string]any
	for _, r := range res.Rows {
		row := map[string]any{}
		for i, c := range r.cells(".") {
			switch {
			case Columns[i] == "grupp" || Columns[i] == "undertryckt":
				row[Columns[i]] = c
			case c == "":
				row[Columns[i]] = nil
			default:
				row[Columns[i]] = json.Number(c)
			}
		}
		rows = append(rows, row)
	}
	out := map[string]any{"min_cell": res.MinCell, "rows": rows, "besok_lasta": res.VisitsRead, "besok_anvanda": res.VisitsUsed,
		"besok_ej_listade": res.VisitsUnlisted, "uteslutna_rader": excluded(res)}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func excluded(res *Result) map[string]int {
	out := map[string]int{}
	for _, b := range res.Bad {
		out[b.File] = b.Count
	}
	return out
}

// WriteText writes the indicators for people, Swedish number formats.
func WriteText(w io.Writer, res *Result) error {
	head := []string{"Grupp", "Listade", "Med fast läkare", "Andel", "SÄBO listade", "SÄBO med fast läkare", "Andel SÄBO",
		"Patienter COC", "COC", "UPC", "Per specialist", "Per ST", "Undertryckt"}
	rows := [][]string{head}
	for _, r := range res.Rows {
		rows = append(rows, DisplayCells(r))
	}
	width := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i == 0 || i == len(r)-1 {
				b.WriteString(c + pad + "  ")
			} else {
				b.WriteString(pad + c + "  ")
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nCeller med färre än %d personer är undertryckta. Mål: fast läkarkontakt minst 55 %% (SÄBO 80 %%), COC +20 %%, 1 100 listade per specialist och 550 per ST-läkare.\n", res.MinCell)
	for _, bad := range res.Bad {
		fmt.Fprintf(&b, "%s: %d rader uteslutna.\n", bad.File, bad.Count)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
