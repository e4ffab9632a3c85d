package survey

import (
	"fmt"
	"html"
	"strings"
)

// Chart layout, in SVG user units.
const (
	chartWidth  = 760
	labelWidth  = 260
	barWidth    = 420
	barHeight   = 22
	rowGap      = 10
	legendRowH  = 20
	chartMargin = 10
)

// greys are the segments' fills, dark to light, with the text colour
// readable on each: the chart reads in grey-scale print, and every
// segment wide enough carries its per cent.
var greys = []struct{ fill, text string }{
	{"#1a1a1a", "#ffffff"}, {"#595959", "#ffffff"}, {"#969696", "#000000"}, {"#c8c8c8", "#000000"}, {"#ececec", "#000000"},
	{"#3a3a3a", "#ffffff"}, {"#7a7a7a", "#ffffff"}, {"#b0b0b0", "#000000"},
}

// SVG draws the table as stacked horizontal bars, one per row, each
// segment an option's per cent labelled inside it, with n after the bar,
// a legend and a text alternative (title and desc, role img) that says
// every figure.
func SVG(t Table) string {
	var b strings.Builder
	legendRows := (len(t.Options) + 2) / 3
	height := chartMargin*2 + len(t.Rows)*(barHeight+rowGap) + legendRows*legendRowH + 24
	id := "diagram-" + html.EscapeString(t.Question)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d" font-family="sans-serif" font-size="12">`,
		chartWidth, height, chartWidth, height, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(t.Text), id, html.EscapeString(Alt(t)))
	y := chartMargin
	for _, r := range t.Rows {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelWidth-8, y+barHeight/2+4, html.EscapeString(r.Label))
		x := labelWidth
		for i, p := range r.Percent {
			w := p * barWidth / 100
			g := greys[i%len(greys)]
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="1"/>`, x, y, w, barHeight, g.fill)
			if w >= 24 {
				fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="%s">%d %%</text>`, x+w/2, y+barHeight/2+4, g.text, p)
			}
			x += w
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">n = %d</text>`, labelWidth+barWidth+8, y+barHeight/2+4, r.N)
		y += barHeight + rowGap
	}
	y += 8
	for i, o := range t.Options {
		lx, ly := labelWidth+(i%3)*150, y+(i/3)*legendRowH
		g := greys[i%len(greys)]
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="14" fill="%s" stroke="#000000" stroke-width="0.5"/><text x="%d" y="%d">%s</text>`,
			lx, ly, g.fill, lx+20, ly+11, html.EscapeString(o.Text))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// Alt is the chart's text alternative: per row, each option's per cent
// and count, and n.
func Alt(t Table) string {
	var rows []string
	for _, r := range t.Rows {
		parts := make([]string, len(t.Options))
		for i, o := range t.Options {
			parts[i] = fmt.Sprintf("%s %d %% (%d)", o.Text, r.Percent[i], r.Counts[i])
		}
		rows = append(rows, fmt.Sprintf("%s: %s; n = %d.", r.Label, strings.Join(parts, ", "), r.N))
	}
	return strings.Join(rows, " ")
}
