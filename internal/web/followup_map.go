package web

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"narvard/internal/followup"
	"narvard/internal/geo"
)

// The overview of Sweden is a tile map drawn on the server: one tile per
// county, placed roughly as the county lies (no map data), coloured by the
// chosen indicator in the last period, with a legend and each tile's name
// and figure written on it. A suppressed figure is never drawn: its tile
// says so.

// tilePlaces are the counties' places on the tile grid: column, row.
var tilePlaces = map[string][2]int{
	"25": {2, 0}, "24": {1, 1}, "23": {0, 2}, "22": {1, 2}, "20": {0, 3}, "21": {1, 3},
	"17": {0, 4}, "19": {1, 4}, "03": {2, 4}, "14": {0, 5}, "18": {1, 5}, "04": {2, 5}, "01": {3, 5},
	"13": {0, 6}, "06": {1, 6}, "05": {2, 6}, "09": {3, 6}, "12": {0, 7}, "07": {1, 7}, "08": {2, 7}, "10": {1, 8},
}

const (
	tileW, tileH, tileStep, tileRowStep = 100, 58, 104, 62
	mapW, mapH                          = 4*tileStep + 60, 9 * tileRowStep // the legend reaches past the fourth column
)

// mapFills are the legend's classes, light to dark, each with a text
// colour that contrasts with it.
var mapFills = []struct{ fill, text string }{
	{"#deebf7", "#1b1f24"}, {"#9ecae1", "#1b1f24"}, {"#6baed6", "#1b1f24"}, {"#2171b5", "#ffffff"}, {"#08306b", "#ffffff"},
}

// mapIndicators are the columns the map can show.
var mapIndicators = []string{"andel_fast_lakare", "andel_fast_lakare_sabo", "andel_fast_vardkontakt", "coc_lakare", "coc_alla",
	"coc_lakare_sabo", "andel_aterinskrivningar_30", "forandring_coc_lakare_procent", "forandring_coc_alla_procent"}

type tileMap struct {
	Label, Period string
	Options       []mapOption
	Tiles         []tile
	Legend        []legendItem
	Width, Height int
	Query         string // the other choices of the page, kept by the form
}

type mapOption struct {
	Name, Label string
	Selected    bool
}

type tile struct {
	X, Y             int
	Code, Short      string
	Name, Value      string
	Fill, Text       string
	Suppressed, None bool
	value            float64
}

type legendItem struct {
	Y          int
	Fill, Text string
}

// countyMap is the overview for a run grouped by county (or RSS, whose
// groups are counties too), or nil for any other grouping.
func countyMap(res *followup.Result, by []string, chosen string) *tileMap {
	if len(by) != 1 || by[0] != followup.ByLan && by[0] != followup.ByRSS || len(res.Periods) == 0 {
		return nil
	}
	last := res.Periods[len(res.Periods)-1]
	rows := map[string]followup.Row{}
	raws := map[string][]string{}
	for _, r := range res.Rows {
		if r.Period == last {
			rows[r.Group], raws[r.Group] = r, followup.DisplayCells(r)
		}
	}
	m := &tileMap{Period: last, Width: mapW, Height: mapH}
	for _, name := range mapIndicators {
		i := slices.Index(followup.Columns, name)
		if slices.ContainsFunc(slices.Collect(maps.Values(raws)), func(c []string) bool { return c[i] != "" }) {
			m.Options = append(m.Options, mapOption{Name: name, Label: colLabel(name)})
		}
	}
	if len(m.Options) == 0 {
		return nil
	}
	pick := slices.IndexFunc(m.Options, func(o mapOption) bool { return o.Name == chosen })
	pick = max(pick, 0)
	m.Options[pick].Selected = true
	col := colByName(m.Options[pick].Name)
	m.Label = col.label
	i := slices.Index(followup.Columns, col.name)
	for _, c := range geo.Counties() {
		p := tilePlaces[c.Code]
		t := tile{X: p[0] * tileStep, Y: p[1] * tileRowStep, Code: c.Code, Short: shortCounty(c.Name), Name: c.Name, None: true}
		if r, ok := rows[c.Code]; ok {
			ce := col.cellOf(r, raws[c.Code][i])
			t.Suppressed, t.Value = ce.Suppressed, ce.Text
			t.None = ce.Text == "" && !ce.Suppressed
			if !t.None && !t.Suppressed {
				t.value = mapValue(col, r, raws[c.Code][i])
			}
		}
		m.Tiles = append(m.Tiles, t)
	}
	m.Legend = colour(m.Tiles, col)
	return m
}

// mapValue is a shown figure as a number, for its colour.
func mapValue(c colSpec, r followup.Row, raw string) float64 {
	switch c.kind {
	case kindShare:
		return float64(c.num(r)) / float64(c.den(r))
	case kindIndex:
		return c.val(r)
	}
	f, _ := strconv.ParseFloat(strings.Replace(strings.ReplaceAll(raw, " ", ""), ",", ".", 1), 64)
	return f
}

// colour gives the tiles with a figure one of five classes of equal width
// between the least and the greatest figure, and returns the legend.
func colour(tiles []tile, c colSpec) []legendItem {
	lo, hi, seen := extent(tiles)
	n := len(mapFills)
	class := func(v float64) int {
		if hi == lo {
			return n - 1
		}
		return min(n-1, int(float64(n)*(v-lo)/(hi-lo)))
	}
	for i := range tiles {
		t := &tiles[i]
		switch {
		case t.Suppressed:
			t.Fill, t.Text, t.Value = "#ffffff", "#1b1f24", "undertryckt"
		case t.None:
			t.Fill, t.Text, t.Value = "#ffffff", "#1b1f24", "saknas"
		default:
			k := class(t.value)
			t.Fill, t.Text = mapFills[k].fill, mapFills[k].text
		}
	}
	var legend []legendItem
	if seen {
		legend = classes(c, lo, hi)
	}
	legend = append(legend, legendItem{Fill: "#ffffff", Text: "undertryckt eller saknas"})
	for i := range legend {
		legend[i].Y = 40 + 22*i
	}
	return legend
}

// extent is the least and the greatest figure shown, and whether any is.
func extent(tiles []tile) (lo, hi float64, seen bool) {
	for _, t := range tiles {
		if t.None || t.Suppressed {
			continue
		}
		if !seen || t.value < lo {
			lo = t.value
		}
		if !seen || t.value > hi {
			hi = t.value
		}
		seen = true
	}
	return lo, hi, seen
}

// classes are the legend's lines of the five classes; one when every
// figure is the same.
func classes(c colSpec, lo, hi float64) []legendItem {
	n := len(mapFills)
	if hi == lo {
		return []legendItem{{Fill: mapFills[n-1].fill, Text: legendValue(c, hi)}}
	}
	step := (hi - lo) / float64(n)
	var out []legendItem
	for k := range n {
		out = append(out, legendItem{Fill: mapFills[k].fill, Text: legendValue(c, lo+float64(k)*step) + "–" + legendValue(c, lo+float64(k+1)*step)})
	}
	return out
}

// legendValue writes a class's edge as the column's figures are written.
func legendValue(c colSpec, v float64) string {
	switch c.kind {
	case kindShare:
		return decimal(100*v, 1) + " %"
	case kindIndex:
		return decimal(v, 2)
	}
	return decimal(v, 1) + " %"
}

// shortCounty is a county's name without "län" and the genitive s:
// Norrbottens län is Norrbotten.
func shortCounty(name string) string {
	return strings.TrimSuffix(strings.TrimSuffix(name, " län"), "s")
}
