package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"narvard/internal/followup"
)

// colKind is how a follow-up column is shown.
type colKind int

const (
	kindText       colKind = iota // as the engine writes it
	kindCount                     // a count, grouped by thousands
	kindShare                     // a share, in per cent with one decimal
	kindIndex                     // a continuity index between 0 and 1
	kindChange                    // a change in per cent, signed
	kindPoints                    // a change in percentage points, signed
	kindGoal                      // ja or nej
	kindSuppressed                // the suppressed counts, by their labels
)

// colSpec is one output column of the follow-up as the page shows it.
type colSpec struct {
	name  string
	label string
	kind  colKind
	// deps are the counts the column is derived from: when its cell is
	// empty and one of them is suppressed (in the row, or for a change in
	// the first period's row), the cell is shown as suppressed.
	deps []string
	// share's numerator and denominator, exact.
	num, den func(followup.Row) int
	// an index's value.
	val func(followup.Row) float64
	// base: the column compares the row with the first period's.
	base bool
}

// pct writes a goal given as a fraction in per cent: 0.55 is "55 %".
func pct(f float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(1000*f)/10, 'f', -1, 64), ".", ",", 1) + " %"
}

// followupCols are every column of followup.Columns with its Swedish
// label; the goals in the labels are the engine's.
var followupCols = func() []colSpec {
	l := []string{"listade"}
	fl := []string{"med_fast_lakare", "listade"}
	sabo := []string{"sabo_med_fast_lakare", "sabo_listade"}
	vk := []string{"med_fast_vardkontakt", "listade"}
	re := []string{"aterinskrivningar_30", "utskrivningar_65"}
	cocGoal := "+" + pct(followup.GoalCOCIncrease)
	return []colSpec{
		{name: "grupp", label: "Grupp", kind: kindText},
		{name: "period", label: "Period", kind: kindText},
		{name: "listade", label: "Listade", kind: kindCount, deps: l},
		{name: "med_fast_lakare", label: "Med fast läkarkontakt", kind: kindCount, deps: fl[:1]},
		{name: "andel_fast_lakare", label: "Andel med fast läkarkontakt", kind: kindShare, deps: fl,
			num: func(r followup.Row) int { return r.MedFastLakare }, den: func(r followup.Row) int { return r.Listade }},
		{name: "sabo_listade", label: "Listade i särskilt boende (SÄBO)", kind: kindCount, deps: sabo[1:]},
		{name: "sabo_med_fast_lakare", label: "I SÄBO med fast läkarkontakt", kind: kindCount, deps: sabo[:1]},
		{name: "andel_fast_lakare_sabo", label: "Andel i SÄBO med fast läkarkontakt", kind: kindShare, deps: sabo,
			num: func(r followup.Row) int { return r.SaboMedFastLakare }, den: func(r followup.Row) int { return r.SaboListade }},
		{name: "patienter_coc", label: "Patienter med minst två besök (valt yrke)", kind: kindCount, deps: []string{"patienter_coc"}},
		{name: "coc", label: "Kontinuitetsindex COC (valt yrke)", kind: kindIndex, deps: []string{"patienter_coc"}, val: func(r followup.Row) float64 { return r.COC }},
		{name: "upc", label: "Kontinuitetsindex UPC (valt yrke)", kind: kindIndex, deps: []string{"patienter_coc"}, val: func(r followup.Row) float64 { return r.UPC }},
		{name: "listade_per_specialist", label: "Listade per specialist i allmänmedicin", kind: kindText, deps: l},
		{name: "listade_per_st", label: "Listade per ST-läkare", kind: kindText, deps: l},
		{name: "med_fast_vardkontakt", label: "Med fast vårdkontakt", kind: kindCount, deps: vk[:1]},
		{name: "andel_fast_vardkontakt", label: "Andel med fast vårdkontakt", kind: kindShare, deps: vk,
			num: func(r followup.Row) int { return r.MedFastVardkontakt }, den: func(r followup.Row) int { return r.Listade }},
		{name: "patienter_coc_lakare", label: "Patienter med minst två läkarbesök", kind: kindCount, deps: []string{"patienter_coc_lakare"}},
		{name: "coc_lakare", label: "COC till läkare", kind: kindIndex, deps: []string{"patienter_coc_lakare"}, val: func(r followup.Row) float64 { return r.COCLakare }},
		{name: "upc_lakare", label: "UPC till läkare", kind: kindIndex, deps: []string{"patienter_coc_lakare"}, val: func(r followup.Row) float64 { return r.UPCLakare }},
		{name: "patienter_coc_alla", label: "Patienter med minst två kontakter", kind: kindCount, deps: []string{"patienter_coc_alla"}},
		{name: "coc_alla", label: "COC för alla kontakter", kind: kindIndex, deps: []string{"patienter_coc_alla"}, val: func(r followup.Row) float64 { return r.COCAlla }},
		{name: "upc_alla", label: "UPC för alla kontakter", kind: kindIndex, deps: []string{"patienter_coc_alla"}, val: func(r followup.Row) float64 { return r.UPCAlla }},
		{name: "sabo_patienter_coc", label: "Patienter i SÄBO med minst två läkarbesök", kind: kindCount, deps: []string{"sabo_patienter_coc"}},
		{name: "coc_lakare_sabo", label: "COC till läkare i SÄBO", kind: kindIndex, deps: []string{"sabo_patienter_coc"}, val: func(r followup.Row) float64 { return r.COCLakareSabo }},
		{name: "utskrivningar_65", label: "Utskrivningar, 65 år och äldre", kind: kindCount, deps: re[1:]},
		{name: "aterinskrivningar_30", label: "Oplanerade återinskrivningar inom 30 dagar", kind: kindCount, deps: re[:1]},
		{name: "andel_aterinskrivningar_30", label: "Andel oplanerade återinskrivningar inom 30 dagar", kind: kindShare, deps: re,
			num: func(r followup.Row) int { return r.Aterinskrivningar }, den: func(r followup.Row) int { return r.Utskrivningar }},
		{name: "forandring_coc_lakare_procent", label: "COC till läkare, förändring sedan första perioden", kind: kindChange, deps: []string{"patienter_coc_lakare"}, base: true},
		{name: "mal_coc_lakare_uppnatt", label: "COC till läkare: målet " + cocGoal + " nått", kind: kindGoal, deps: []string{"patienter_coc_lakare"}, base: true},
		{name: "forandring_coc_alla_procent", label: "COC för alla kontakter, förändring sedan första perioden", kind: kindChange, deps: []string{"patienter_coc_alla"}, base: true},
		{name: "mal_coc_alla_uppnatt", label: "COC för alla kontakter: målet " + cocGoal + " nått", kind: kindGoal, deps: []string{"patienter_coc_alla"}, base: true},
		{name: "forandring_coc_lakare_sabo_procent", label: "COC till läkare i SÄBO, förändring sedan första perioden", kind: kindChange, deps: []string{"sabo_patienter_coc"}, base: true},
		{name: "mal_coc_lakare_sabo_uppnatt", label: "COC till läkare i SÄBO: målet " + cocGoal + " nått", kind: kindGoal, deps: []string{"sabo_patienter_coc"}, base: true},
		{name: "mal_fast_lakare_uppnatt", label: "Fast läkarkontakt: målet " + pct(followup.GoalNamedGP) + " nått", kind: kindGoal, deps: fl},
		{name: "mal_fast_lakare_sabo_uppnatt", label: "Fast läkarkontakt i SÄBO: målet " + pct(followup.GoalNamedGPSabo) + " nått", kind: kindGoal, deps: sabo},
		{name: "forandring_aterinskrivningar_procentenheter", label: "Andel återinskrivna, förändring sedan första perioden (procentenheter)", kind: kindPoints, deps: re, base: true},
		{name: "undertryckt", label: "Undertryckta celler", kind: kindSuppressed},
	}
}()

// colByName is the column of that name.
func colByName(name string) colSpec {
	i := slices.IndexFunc(followupCols, func(c colSpec) bool { return c.name == name })
	if i < 0 {
		panic("web: no follow-up column " + name)
	}
	return followupCols[i]
}

// colLabel is a column's label, the name itself for an unknown one.
func colLabel(name string) string {
	if i := slices.IndexFunc(followupCols, func(c colSpec) bool { return c.name == name }); i >= 0 {
		return followupCols[i].label
	}
	return name
}

// cell is one shown cell: its text, and whether it is a figure withheld.
type cell struct {
	Text       string
	Num        bool
	Suppressed bool
}

// cellOf shows a row's cell of the column; raw is the engine's cell
// (followup.DisplayCells), empty where a figure is suppressed or does not
// apply. A figure is shown only when the engine shows one.
func (c colSpec) cellOf(r followup.Row, raw string) cell {
	num := c.kind != kindText && c.kind != kindSuppressed && c.kind != kindGoal || c.name == "listade_per_specialist" || c.name == "listade_per_st"
	if raw == "" {
		return cell{Num: num, Suppressed: c.withheld(r)}
	}
	switch c.kind {
	case kindShare:
		return cell{Text: perCent(c.num(r), c.den(r)), Num: true}
	case kindIndex:
		return cell{Text: decimal(c.val(r), 2), Num: true}
	case kindChange:
		return cell{Text: withSign(raw) + " %", Num: true}
	case kindPoints:
		return cell{Text: withSign(raw), Num: true}
	case kindGoal:
		return cell{Text: map[string]string{"ja": "Ja", "nej": "Nej"}[raw]}
	case kindSuppressed:
		var names []string
		for n := range strings.SplitSeq(raw, ";") {
			names = append(names, colLabel(n))
		}
		return cell{Text: strings.Join(names, ", ")}
	}
	return cell{Text: raw, Num: num}
}

// withheld reports whether an empty cell is empty because a count it is
// derived from is suppressed.
func (c colSpec) withheld(r followup.Row) bool {
	for _, d := range c.deps {
		if r.IsSuppressed(d) || c.base && r.Base != nil && r.Base.IsSuppressed(d) {
			return true
		}
	}
	return false
}

// perCent is a/b in per cent with one decimal, rounded half up exactly:
// "65,8 %".
func perCent(a, b int) string {
	if b <= 0 {
		return ""
	}
	tenths := (2000*int64(a) + int64(b)) / (2 * int64(b))
	return fmt.Sprintf("%d,%d %%", tenths/10, tenths%10)
}

// decimal writes v with prec decimals and a decimal comma.
func decimal(v float64, prec int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', prec, 64), ".", ",", 1)
}

// withSign puts a plus before a change that is not negative.
func withSign(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return "+" + s
}
