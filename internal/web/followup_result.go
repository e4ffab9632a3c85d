package web

import (
	"strconv"
	"strings"

	"narvard/internal/followup"
	"narvard/internal/geo"
	"narvard/internal/money"
)

// resultView is a follow-up run's result as the page shows it: what was
// asked, what was left out and why, the tables by theme with Swedish
// labels and names, the map of the counties and the trend against the
// goals.
type resultView struct {
	ID        string
	Run       followup.Run
	Saved     bool // kept in the database: it has a page of its own
	CanDelete bool
	Files     []fileLine
	Periods   string
	ByLabel   string
	Yrke      string
	Elapsed   string
	Result    *followup.Result
	Excluded  []excludedFile
	// AnySuppressed is whether a figure is withheld anywhere.
	AnySuppressed bool
	Tables        []followupTable
	Map           *tileMap
	Trend         *trendView
}

// fileLine is one input file: its kind, name and size.
type fileLine struct{ Kind, Name, Size string }

// excludedFile is a file's rows left out: the first ones with their line
// and reason, and how many more.
type excludedFile struct {
	File  string
	Count int
	Rows  []excludedRow
	More  int
}

type excludedRow struct {
	Line   int
	Reason string
}

// followupTable is one theme's table.
type followupTable struct {
	ID, Caption string
	GroupHead   string
	HasPeriod   bool
	Heads       []string
	Rows        []followupRow
}

type followupRow struct {
	Group, Period string
	Cells         []cell
}

// tableThemes are the page's tables: their columns, each of
// followup.Columns but grupp and period in one of them (a test checks).
var tableThemes = []struct {
	id, caption string
	cols        []string
}{
	{"fast", "Fast läkarkontakt och fast vårdkontakt", []string{"listade", "med_fast_lakare", "andel_fast_lakare", "mal_fast_lakare_uppnatt",
		"sabo_listade", "sabo_med_fast_lakare", "andel_fast_lakare_sabo", "mal_fast_lakare_sabo_uppnatt",
		"med_fast_vardkontakt", "andel_fast_vardkontakt", "listade_per_specialist", "listade_per_st", "undertryckt"}},
	{"kontinuitet", "Kontinuitet (COC och UPC)", []string{"patienter_coc_lakare", "coc_lakare", "upc_lakare",
		"patienter_coc_alla", "coc_alla", "upc_alla", "sabo_patienter_coc", "coc_lakare_sabo",
		"patienter_coc", "coc", "upc", "undertryckt"}},
	{"forandring", "Förändring sedan första perioden", []string{"forandring_coc_lakare_procent", "mal_coc_lakare_uppnatt",
		"forandring_coc_alla_procent", "mal_coc_alla_uppnatt", "forandring_coc_lakare_sabo_procent", "mal_coc_lakare_sabo_uppnatt",
		"forandring_aterinskrivningar_procentenheter", "undertryckt"}},
	{"aterinskrivningar", "Oplanerade återinskrivningar inom 30 dagar, 65 år och äldre", []string{"utskrivningar_65", "aterinskrivningar_30",
		"andel_aterinskrivningar_30", "undertryckt"}},
}

// fileKinds name the extracts for people.
var fileKinds = map[followup.Stage]string{followup.StageListings: "Listningar", followup.StageVisits: "Besök",
	followup.StageClinicians: "Vårdgivare", followup.StageStays: "Slutenvård"}

// byLabels name the groupings for people.
var byLabels = map[string]string{followup.ByRiket: "Riket", followup.ByLan: "Län", followup.ByKommun: "Kommun",
	followup.ByRSS: "RSS (län)", followup.ByEnhet: "Vårdenhet", followup.ByKon: "Kön", followup.ByAldersgrupp: "Åldersgrupp"}

// byLabel names a grouping: its parts' names joined.
func byLabel(by string) string {
	parts, err := followup.ParseBy(by)
	if err != nil {
		return by
	}
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = byLabels[p]
	}
	return strings.Join(names, " och ")
}

// groupName names a group for people: counties and municipalities by
// name, sexes in words; parts of a combined grouping joined by commas.
func groupName(by []string, key string) string {
	if key == followup.ByRiket {
		return "Riket"
	}
	vals := strings.Split(key, "/")
	if len(vals) != len(by) {
		return key
	}
	for i, v := range vals {
		vals[i] = partName(by[i], v)
	}
	return strings.Join(vals, ", ")
}

func partName(by, v string) string {
	switch by {
	case followup.ByLan:
		if c, ok := geo.CountyByCode(v); ok {
			return c.Name
		}
	case followup.ByRSS:
		if c, ok := geo.CountyByCode(v); ok {
			return "RSS " + c.Name
		}
	case followup.ByKommun:
		if m, ok := geo.Kommun(v); ok {
			return m.Name
		}
		if v == "okänd" {
			return "Okänd kommun"
		}
	case followup.ByKon:
		switch v {
		case "K":
			return "Kvinnor"
		case "M":
			return "Män"
		}
	case followup.ByAldersgrupp:
		return v + " år"
	}
	return v
}

// newResultView shows a run's result.
func newResultView(run followup.Run) resultView {
	res := run.Result
	v := resultView{ID: run.ID, Run: run, Result: res, Periods: strings.Join(run.Inputs.Periods, ", "),
		ByLabel: byLabel(run.Inputs.By), Elapsed: formatDuration(run.Elapsed), Yrke: "läkare"}
	if run.Inputs.Yrke == "alla" {
		v.Yrke = "alla yrken"
	}
	for _, f := range run.Inputs.Files {
		v.Files = append(v.Files, fileLine{Kind: fileKinds[f.Kind], Name: f.Name, Size: byteSize(f.Bytes)})
	}
	for _, b := range res.Bad {
		v.Excluded = append(v.Excluded, excludedOf(b))
	}
	for _, r := range res.Rows {
		v.AnySuppressed = v.AnySuppressed || len(r.Suppressed) > 0
	}
	by, _ := followup.ParseBy(run.Inputs.By)
	for _, th := range tableThemes {
		if t, ok := buildTable(res, by, th.id, th.caption, th.cols); ok {
			v.Tables = append(v.Tables, t)
		}
	}
	return v
}

// excludedOf lists a file's left-out rows with their line and reason.
func excludedOf(b *followup.BadRows) excludedFile {
	e := excludedFile{File: b.File, Count: b.Count, More: b.Count - len(b.Reports)}
	for i, text := range b.Reports {
		line, reason := b.Line(i), text
		if rest, ok := strings.CutPrefix(text, b.File+":"); ok {
			if n, after, ok := strings.Cut(rest, ": "); ok {
				if l, err := strconv.Atoi(n); err == nil {
					line, reason = l, after
				}
			}
		}
		e.Rows = append(e.Rows, excludedRow{Line: line, Reason: reason})
	}
	return e
}

// buildTable is one theme's table, without the columns that are empty in
// every row (data the run did not have: no care contacts, no clinicians,
// no inpatient stays, one period); false when none is left but the
// suppressed counts.
func buildTable(res *followup.Result, by []string, id, caption string, names []string) (followupTable, bool) {
	idx := map[string]int{}
	for i, c := range followup.Columns {
		idx[c] = i
	}
	raws := make([][]string, len(res.Rows))
	for i, r := range res.Rows {
		raws[i] = followup.DisplayCells(r)
	}
	var cols []colSpec
	for _, n := range names {
		if c := colByName(n); columnUsed(c, res, raws, idx[n]) {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 || len(cols) == 1 && cols[0].kind == kindSuppressed {
		return followupTable{}, false
	}
	t := followupTable{ID: id, Caption: caption, GroupHead: groupHead(by), HasPeriod: len(res.Periods) > 1}
	for _, c := range cols {
		t.Heads = append(t.Heads, c.label)
	}
	for i, r := range res.Rows {
		row := followupRow{Group: groupName(by, r.Group), Period: r.Period}
		for _, c := range cols {
			row.Cells = append(row.Cells, c.cellOf(r, raws[i][idx[c.name]]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, true
}

// columnUsed reports whether column c (the k-th of the engine's) has a
// figure in any row, or a withheld one: a change only with a second
// period.
func columnUsed(c colSpec, res *followup.Result, raws [][]string, k int) bool {
	if c.base && len(res.Periods) < 2 {
		return false
	}
	for i, r := range res.Rows {
		if raws[i][k] != "" || c.kind != kindSuppressed && c.withheld(r) {
			return true
		}
	}
	return false
}

// groupHead is the heading of the groups' column.
func groupHead(by []string) string {
	names := make([]string, len(by))
	for i, p := range by {
		names[i] = byLabels[p]
	}
	return strings.Join(names, ", ")
}

// byteSize writes a file's size for people: "812 byte", "4,2 MB".
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return money.Group(n) + " byte"
	case n < 1000_000:
		return decimal(float64(n)/1e3, 1) + " kB"
	case n < 1000_000_000:
		return decimal(float64(n)/1e6, 1) + " MB"
	}
	return decimal(float64(n)/1e9, 1) + " GB"
}
