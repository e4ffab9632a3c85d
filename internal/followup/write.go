package followup

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"narvard/internal/csvfile"
	"narvard/internal/money"
)

// Columns are the output's columns, in order.
var Columns = []string{"grupp", "period", "listade", "med_fast_lakare", "andel_fast_lakare", "sabo_listade", "sabo_med_fast_lakare",
	"andel_fast_lakare_sabo", "patienter_coc", "coc", "upc", "listade_per_specialist", "listade_per_st",
	"med_fast_vardkontakt", "andel_fast_vardkontakt",
	"patienter_coc_lakare", "coc_lakare", "upc_lakare", "patienter_coc_alla", "coc_alla", "upc_alla",
	"sabo_patienter_coc", "coc_lakare_sabo",
	"utskrivningar_65", "aterinskrivningar_30", "andel_aterinskrivningar_30",
	"forandring_coc_lakare_procent", "mal_coc_lakare_uppnatt", "forandring_coc_alla_procent", "mal_coc_alla_uppnatt",
	"forandring_coc_lakare_sabo_procent", "mal_coc_lakare_sabo_uppnatt", "mal_fast_lakare_uppnatt", "mal_fast_lakare_sabo_uppnatt",
	"forandring_aterinskrivningar_procentenheter",
	"undertryckt"}

// TextHeadings are the columns' headings for people, in the order of
// Columns.
var TextHeadings = []string{"Grupp", "Period", "Listade", "Med fast läkare", "Andel", "SÄBO listade", "SÄBO med fast läkare", "Andel SÄBO",
	"Patienter COC", "COC", "UPC", "Per specialist", "Per ST",
	"Med fast vårdkontakt", "Andel fast vårdkontakt",
	"Patienter COC läkare", "COC läkare", "UPC läkare", "Patienter COC alla", "COC alla", "UPC alla",
	"SÄBO patienter COC", "COC läkare SÄBO",
	"Utskrivningar 65+", "Återinskrivningar 30 d", "Andel återinskrivna",
	"COC läkare förändring %", "COC läkare +20 %", "COC alla förändring %", "COC alla +20 %",
	"COC SÄBO förändring %", "COC SÄBO +20 %", "Fast läkare 55 %", "Fast läkare SÄBO 80 %",
	"Återinskrivna förändring %-enheter",
	"Undertryckt"}

// countColumns are the columns that hold counts (grouped by thousands
// for people).
var countColumns = []string{"listade", "med_fast_lakare", "sabo_listade", "sabo_med_fast_lakare", "patienter_coc",
	"med_fast_vardkontakt", "patienter_coc_lakare", "patienter_coc_alla", "sabo_patienter_coc", "utskrivningar_65", "aterinskrivningar_30"}

// textColumns are the columns that hold text, not numbers.
var textColumns = []string{"grupp", "period", "undertryckt",
	"mal_coc_lakare_uppnatt", "mal_coc_alla_uppnatt", "mal_coc_lakare_sabo_uppnatt", "mal_fast_lakare_uppnatt", "mal_fast_lakare_sabo_uppnatt"}

// cellMaker renders one row's cells with suppression applied: a
// suppressed count and every figure derived from it are empty. dec is
// the decimal separator.
type cellMaker struct {
	r   *Row
	dec string
}

func (m cellMaker) fixed(v float64, prec int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', prec, 64), ".", m.dec, 1)
}

func (m cellMaker) count(name string, n int, has bool) string {
	if !has || m.r.IsSuppressed(name) {
		return ""
	}
	return strconv.Itoa(n)
}

// share is a/b, empty when either is suppressed or b is 0.
func (m cellMaker) share(num, den string, a, b int, has bool) string {
	if v, ok := shareOf(m.r, num, den, a, b); ok && has {
		return m.fixed(v, 4)
	}
	return ""
}

func shareOf(r *Row, num, den string, a, b int) (float64, bool) {
	if r.IsSuppressed(num) || r.IsSuppressed(den) || b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// mean is a mean over the patients counted by name.
func (m cellMaker) mean(name string, n int, v float64) string {
	if m.r.IsSuppressed(name) || n == 0 {
		return ""
	}
	return m.fixed(v, 4)
}

func (m cellMaker) per(n int) string {
	if m.r.IsSuppressed("listade") || !m.r.HasClinicians || n == 0 {
		return ""
	}
	return m.fixed(float64(m.r.Listade)/float64(n), 1)
}

// cocChange is the change of a mean COC against the base period, in per
// cent, and whether it reaches the +20 % goal; empty in the first period
// or where either is suppressed.
func (m cellMaker) cocChange(name string, coc func(*Row) (int, float64)) (string, string) {
	b := m.r.Base
	if b == nil || m.r.IsSuppressed(name) || b.IsSuppressed(name) {
		return "", ""
	}
	n0, v0 := coc(b)
	n1, v1 := coc(m.r)
	if n0 == 0 || n1 == 0 || v0 == 0 {
		return "", ""
	}
	change := (v1 - v0) / v0
	return m.fixed(100*change, 1), yesNo(change >= GoalCOCIncrease-1e-9)
}

// goal is whether a share reaches its goal, empty when suppressed.
func (m cellMaker) goal(num, den string, a, b int, goal float64) string {
	if v, ok := shareOf(m.r, num, den, a, b); ok {
		return yesNo(v >= goal-1e-12)
	}
	return ""
}

// readmitChange is the change of the readmission share against the base
// period, in percentage points.
func (m cellMaker) readmitChange() string {
	b := m.r.Base
	if b == nil || !m.r.HasSlutenvard {
		return ""
	}
	v0, ok0 := shareOf(b, "aterinskrivningar_30", "utskrivningar_65", b.Aterinskrivningar, b.Utskrivningar)
	v1, ok1 := shareOf(m.r, "aterinskrivningar_30", "utskrivningar_65", m.r.Aterinskrivningar, m.r.Utskrivningar)
	if !ok0 || !ok1 {
		return ""
	}
	return m.fixed(100*(v1-v0), 1)
}

// cells renders a row in the order of Columns.
func (r *Row) cells(dec string) []string {
	m := cellMaker{r, dec}
	lakare := func(r *Row) (int, float64) { return r.PatienterCOCLakare, r.COCLakare }
	alla := func(r *Row) (int, float64) { return r.PatienterCOCAlla, r.COCAlla }
	sabo := func(r *Row) (int, float64) { return r.SaboPatienterCOC, r.COCLakareSabo }
	chL, goalL := m.cocChange("patienter_coc_lakare", lakare)
	chA, goalA := m.cocChange("patienter_coc_alla", alla)
	chS, goalS := m.cocChange("sabo_patienter_coc", sabo)
	return []string{r.Group, r.Period,
		m.count("listade", r.Listade, true), m.count("med_fast_lakare", r.MedFastLakare, true),
		m.share("med_fast_lakare", "listade", r.MedFastLakare, r.Listade, true),
		m.count("sabo_listade", r.SaboListade, true), m.count("sabo_med_fast_lakare", r.SaboMedFastLakare, true),
		m.share("sabo_med_fast_lakare", "sabo_listade", r.SaboMedFastLakare, r.SaboListade, true),
		m.count("patienter_coc", r.PatienterCOC, true), m.mean("patienter_coc", r.PatienterCOC, r.COC),
		m.mean("patienter_coc", r.PatienterCOC, r.UPC), m.per(r.Specialists), m.per(r.STDoctor),
		m.count("med_fast_vardkontakt", r.MedFastVardkontakt, r.HasVardkontakt),
		m.share("med_fast_vardkontakt", "listade", r.MedFastVardkontakt, r.Listade, r.HasVardkontakt),
		m.count("patienter_coc_lakare", r.PatienterCOCLakare, true), m.mean("patienter_coc_lakare", r.PatienterCOCLakare, r.COCLakare),
		m.mean("patienter_coc_lakare", r.PatienterCOCLakare, r.UPCLakare),
		m.count("patienter_coc_alla", r.PatienterCOCAlla, true), m.mean("patienter_coc_alla", r.PatienterCOCAlla, r.COCAlla),
		m.mean("patienter_coc_alla", r.PatienterCOCAlla, r.UPCAlla),
		m.count("sabo_patienter_coc", r.SaboPatienterCOC, true), m.mean("sabo_patienter_coc", r.SaboPatienterCOC, r.COCLakareSabo),
		m.count("utskrivningar_65", r.Utskrivningar, r.HasSlutenvard), m.count("aterinskrivningar_30", r.Aterinskrivningar, r.HasSlutenvard),
		m.share("aterinskrivningar_30", "utskrivningar_65", r.Aterinskrivningar, r.Utskrivningar, r.HasSlutenvard),
		chL, goalL, chA, goalA, chS, goalS,
		m.goal("med_fast_lakare", "listade", r.MedFastLakare, r.Listade, GoalNamedGP),
		m.goal("sabo_med_fast_lakare", "sabo_listade", r.SaboMedFastLakare, r.SaboListade, GoalNamedGPSabo),
		m.readmitChange(),
		strings.Join(r.Suppressed, ";")}
}

// DisplayCells is a row's cells for people, in the CSV's columns:
// decimal commas and counts grouped by thousands (1 103 067), suppression
// applied.
func DisplayCells(r Row) []string {
	c := r.cells(",")
	for i, name := range Columns {
		if !slices.Contains(countColumns, name) {
			continue
		}
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
		c[0], c[1], c[len(c)-1] = csvfile.Text(c[0]), csvfile.Text(c[1]), csvfile.Text(c[len(c)-1])
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
			case Columns[i] == "grupp" || Columns[i] == "period" || Columns[i] == "undertryckt":
				row[Columns[i]] = c
			case slices.Contains(textColumns, Columns[i]) && c != "":
				row[Columns[i]] = c
			case c == "":
				row[Columns[i]] = nil
			default:
				row[Columns[i]] = json.Number(c)
			}
		}
		rows = append(rows, row)
	}
	out := map[string]any{"min_cell": res.MinCell, "perioder": res.Periods, "slutenvard_lasta": res.StaysRead, "slutenvard_ej_listade": res.StaysUnlisted, "rows": rows, "besok_lasta": res.VisitsRead, "besok_anvanda": res.VisitsUsed,
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
	head := TextHeadings
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
