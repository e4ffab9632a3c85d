package survey

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/agreement"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
)

// kommunSurvey is the municipal survey of December 2019 (seed 001, Bilaga
// 3) sent to all 290 municipalities.
func kommunSurvey(t testing.TB) Survey {
	t.Helper()
	l, err := questionnaire.Builtin(agreement.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	tm, ok := l.Get("enkat-kommuner-2019")
	if !ok {
		t.Fatal("no municipal survey template")
	}
	var ids []string
	for _, m := range geo.Municipalities() {
		ids = append(ids, org.KommunID(m.Code))
	}
	return Survey{ID: "E-1", Title: tm.Title, Template: tm, Owner: org.Socialstyrelsen, Recipients: ids,
		Opens: time.Date(2019, 12, 16, 0, 0, 0, 0, time.UTC), Closes: time.Date(2020, 1, 27, 0, 0, 0, 0, time.UTC)}
}

func known(id string) bool {
	for _, m := range geo.Municipalities() {
		if org.KommunID(m.Code) == id {
			return true
		}
	}
	return false
}

func imported(t *testing.T, s Survey, csv string) []Response {
	t.Helper()
	list, err := ReadImport(s, "svar.csv", strings.NewReader(csv), known)
	if err != nil {
		t.Fatal(err)
	}
	var out []Response
	for _, im := range list {
		out = append(out, Response{Survey: s.ID, Recipient: im.Recipient, Answers: im.Answers, Submitted: true, Source: SourceImport})
	}
	return out
}

func find(t *testing.T, res Results, id string) QuestionResult {
	t.Helper()
	for _, q := range res.Questions {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("no question %s", id)
	return QuestionResult{}
}

// TestPercentLargestRemainder: whole per cents by the largest remainder,
// ties to the option listed first, always summing to 100.
func TestPercentLargestRemainder(t *testing.T) {
	for _, c := range []struct{ counts, want []int }{
		{[]int{105, 114, 2, 4, 1}, []int{47, 50, 1, 2, 0}}, // Tabell 3, arbetsterapeut
		{[]int{132, 90, 2, 1, 1}, []int{58, 40, 1, 1, 0}},  // sjuksköterska: .44 and .44 tie, the first wins
		{[]int{1, 1, 1}, []int{34, 33, 33}},                // a three-way tie
		{[]int{0, 0, 0}, []int{0, 0, 0}},                   // no one answered
		{[]int{1, 2}, []int{33, 67}},                       // 33.3 and 66.7
		{[]int{3, 3, 0, 15, 204}, []int{1, 1, 0, 7, 91}},   // farmaceut, n = 225
		{[]int{7, 0, 0, 0, 1}, []int{88, 0, 0, 0, 12}},     // 87.5 and 12.5: a tie, the first wins
	} {
		got := Percent(c.counts)
		if !slices.Equal(got, c.want) {
			t.Errorf("Percent(%v) = %v, want %v", c.counts, got, c.want)
		}
		sum := 0
		for _, p := range got {
			sum += p
		}
		if sum != 100 && slices.Max(c.counts) > 0 {
			t.Errorf("Percent(%v) sums to %d", c.counts, sum)
		}
	}
}

// matrixCSV: five municipalities answer q3; Ale skips farmaceut; q2 and
// the branch q2a; a multichoice-free template.
const matrixCSV = "recipient;q1.politisk;q2;q2a;q3.sjukskoterska;q3.farmaceut;q4\r\n" +
	"kommun-1440;ja;nej;ja;brist;finns_inte;Hyrpersonal\r\n" +
	"kommun-1489;nej;nej;nej;brist;;\r\n" +
	"kommun-0114;;ja;;balans;vet_inte;\r\n" +
	"kommun-0115;ja;nej;ja;balans;finns_inte;\r\n" +
	"kommun-0117;ja;ja;;overskott;finns_inte;Omfördelning av uppgifter\r\n" +
	"kommun-0120;;;;brist;balans;\r\n" +
	"kommun-0125;;;;brist;brist;\r\n"

// TestMatrixByHand checks every count, n and per cent of the matrix
// question against a hand computation: q3.sjukskoterska 4 brist, 2
// balans, 1 överskott of n = 7 is 57.14, 28.57, 14.29: floors 57 + 28 +
// 14 = 99, the point left to the largest remainder (.57, balans) → 57, 29,
// 14; q3.farmaceut, which kommun-1489 skipped, 1 brist, 1 balans, 1 vet
// inte, 3 finns inte of n = 6 is 16.67, 16.67, 16.67, 50: floors 98, the
// two points to the three tied .67s in the order listed → brist 17,
// balans 17, vet inte 16.
func TestMatrixByHand(t *testing.T) {
	s := kommunSurvey(t)
	res := Compute(s, imported(t, s, matrixCSV), map[string]string{"kommun-1440": "Ale kommun", "kommun-0117": "Österåker"})
	if res.Invited != 290 || res.Responded != 7 || res.Summary() != "7 av 290 kommuner har svarat (2 %)" {
		t.Errorf("invited %d responded %d: %q", res.Invited, res.Responded, res.Summary())
	}
	q3 := find(t, res, "q3")
	want := map[string]struct {
		n       int
		counts  []int
		percent []int
	}{
		"sjukskoterska":           {7, []int{4, 2, 1, 0, 0}, []int{57, 29, 14, 0, 0}},
		"specialistsjukskoterska": {0, []int{0, 0, 0, 0, 0}, []int{0, 0, 0, 0, 0}},
		"farmaceut":               {6, []int{1, 1, 0, 1, 3}, []int{17, 17, 0, 16, 50}},
	}
	if q3.N != 7 {
		t.Errorf("q3 n = %d, want 7", q3.N)
	}
	for _, r := range q3.Rows {
		w, ok := want[r.ID]
		if !ok {
			continue
		}
		if r.N != w.n {
			t.Errorf("%s: n = %d, want %d", r.ID, r.N, w.n)
		}
		for i, o := range q3.Options {
			if r.Counts[o.ID] != w.counts[i] || r.Percent[o.ID] != w.percent[i] {
				t.Errorf("%s %s: %d (%d), want %d (%d)", r.ID, o.ID, r.Counts[o.ID], r.Percent[o.ID], w.counts[i], w.percent[i])
			}
		}
	}
	// The branch: q2a is shown to those who said no to q2 (3 of them) and
	// its n is theirs.
	q2a := find(t, res, "q2a")
	if q2a.N != 3 || q2a.Branch == nil || q2a.Branch.N != 3 || q2a.Counts["ja"] != 2 || q2a.Percent["ja"] != 67 {
		t.Errorf("q2a: n %d branch %+v counts %v percent %v", q2a.N, q2a.Branch, q2a.Counts, q2a.Percent)
	}
	if q1 := find(t, res, "q1"); q1.N != 4 || q1.Rows[0].N != 4 || q1.Rows[0].Percent["ja"] != 75 || q1.Rows[1].N != 0 {
		t.Errorf("q1: %+v", q1)
	}
	q4 := find(t, res, "q4")
	if q4.N != 2 || q4.Answers[0].Name != "Ale kommun" || q4.Answers[1].Text != "Omfördelning av uppgifter" {
		t.Errorf("q4: %+v", q4)
	}
}

// TestBranchAnswerDropped: an answer to q2a from one who said yes to q2 is
// not counted (the question was not shown).
func TestBranchAnswerDropped(t *testing.T) {
	s := kommunSurvey(t)
	res := Compute(s, imported(t, s, "recipient,q2,q2a\nkommun-1440,ja,ja\nkommun-1489,nej,nej\n"), nil)
	if q := find(t, res, "q2a"); q.N != 1 || q.Counts["nej"] != 1 || q.Branch.N != 1 {
		t.Errorf("q2a: %+v", q)
	}
}

// TestImportRefusedWhole: one bad row refuses the file, naming its line,
// and every kind of bad row is named.
func TestImportRefusedWhole(t *testing.T) {
	s := kommunSurvey(t)
	s.Recipients = s.Recipients[:200]
	for _, c := range []struct{ csv, line, says string }{
		{"recipient,q2\nkommun-1440,ja\nkommun-9999,nej\n", "svar.csv:3", "finns inte"},
		{"recipient,q2\nkommun-1440,ja\nkommun-2584,nej\n", "svar.csv:3", "inte inbjuden"},
		{"recipient,q2\nkommun-1440,ja\n\nkommun-1440,nej\n", "svar.csv:4", "finns redan på rad 2"},
		{"recipient,q3.sjukskoterska\nkommun-1440,brist\nkommun-0114,mycket\n", "svar.csv:3", "q3.sjukskoterska"},
		{"recipient,q2\nkommun-1440,kanske\n", "svar.csv:2", "q2"},
		{"recipient,q9\nkommun-1440,ja\n", "svar.csv:1", "q9"},
		{"kommun,q2\nkommun-1440,ja\n", "svar.csv:1", "recipient"},
	} {
		_, err := ReadImport(s, "svar.csv", strings.NewReader(c.csv), known)
		var f *fault.Error
		if !asFault(err, &f) || f.Code != fault.Invalid || f.Fields[c.line] == "" || !strings.Contains(f.Message, c.line) || !strings.Contains(f.Message, c.says) {
			t.Errorf("%q: %v (fields %v), want %s naming %q", c.csv, err, fieldsOf(f), c.line, c.says)
		}
	}
}

func asFault(err error, f **fault.Error) bool {
	e, ok := err.(*fault.Error)
	*f = e
	return ok
}

func fieldsOf(f *fault.Error) map[string]string {
	if f == nil {
		return nil
	}
	return f.Fields
}

// tabell3 is Tabell 3 of seed 001 as published: per profession the count
// of brist, balans, överskott, vet inte and finns ej (the survey's order
// of options), in the survey's order of rows.
var tabell3 = []struct {
	row     string
	counts  []int
	percent []int
}{
	{"sjukskoterska", []int{132, 90, 2, 1, 1}, []int{58, 40, 1, 1, 0}}, // printed 1 (0,5) and 1 (0,5): whole per cents must give one of them 1
	{"specialistsjukskoterska", []int{168, 38, 0, 6, 14}, []int{74, 17, 0, 3, 6}},
	{"fysioterapeut", []int{119, 92, 1, 5, 9}, []int{53, 41, 0, 2, 4}},
	{"arbetsterapeut", []int{105, 114, 2, 4, 1}, []int{47, 50, 1, 2, 0}},
	{"dietist", []int{8, 25, 1, 15, 177}, []int{4, 11, 0, 7, 78}},
	{"farmaceut", []int{3, 3, 0, 15, 204}, []int{1, 1, 0, 7, 91}}, // n = 225: one municipality skipped the row
}

// seedCSV builds raw answers of 226 of the 290 municipalities matching
// Tabell 3's counts, 62 ja and 163 nej to q2 (one skipped it) and 96 of
// the 163 working on a målbild with the region (59 %).
func seedCSV(s Survey) string {
	opts := []string{"brist", "balans", "overskott", "vet_inte", "finns_inte"}
	var b strings.Builder
	b.WriteString("recipient,q2,q2a")
	cells := make([][]string, len(tabell3))
	for i, r := range tabell3 {
		b.WriteString(",q3." + r.row)
		for j, c := range r.counts {
			for range c {
				cells[i] = append(cells[i], opts[j])
			}
		}
	}
	b.WriteString("\r\n")
	for k := range 226 {
		q2, q2a := "ja", ""
		switch {
		case k >= 62 && k < 62+96:
			q2, q2a = "nej", "ja"
		case k >= 62+96 && k < 225:
			q2, q2a = "nej", "nej"
		case k == 225:
			q2 = ""
		}
		fmt.Fprintf(&b, "%s,%s,%s", s.Recipients[k], q2, q2a)
		for i := range tabell3 {
			v := ""
			if k < len(cells[i]) {
				v = cells[i][k]
			}
			b.WriteString("," + v)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

// TestSeedTable3: from raw answers matching its counts, Tabell 3 of seed
// 001 comes out as published (every count and per cent but the
// sjuksköterska row's two halves, printed "1 (0,5)" twice: in whole per
// cents summing to 100 the first listed gets the point), with the text's
// "226 av 290 kommuner (78 procent)", 62 (28 %) and 163 (72 %) of 225,
// and "59 procent av dessa" of the branch.
func TestSeedTable3(t *testing.T) {
	s := kommunSurvey(t)
	res := Compute(s, imported(t, s, seedCSV(s)), nil)
	if res.Summary() != "226 av 290 kommuner har svarat (78 %)" {
		t.Errorf("summary %q", res.Summary())
	}
	q3 := find(t, res, "q3")
	for i, w := range tabell3 {
		r := q3.Rows[i]
		n := 0
		for j, o := range q3.Options {
			n += w.counts[j]
			if r.Counts[o.ID] != w.counts[j] || r.Percent[o.ID] != w.percent[j] {
				t.Errorf("%s %s: %d (%d), published %d (%d)", r.ID, o.ID, r.Counts[o.ID], r.Percent[o.ID], w.counts[j], w.percent[j])
			}
		}
		if r.ID != w.row || r.N != n {
			t.Errorf("%s: n %d, want %d", r.ID, r.N, n)
		}
	}
	q2, q2a := find(t, res, "q2"), find(t, res, "q2a")
	if q2.N != 225 || q2.Counts["ja"] != 62 || q2.Percent["ja"] != 28 || q2.Percent["nej"] != 72 {
		t.Errorf("q2: %+v", q2)
	}
	if q2a.N != 163 || q2a.Branch.N != 163 || q2a.Percent["ja"] != 59 {
		t.Errorf("q2a: %+v", q2a)
	}
	tables := Tables(res, "Enkät till kommunerna")
	var tab Table
	for _, tb := range tables {
		if tb.Question == "q3" {
			tab = tb
		}
	}
	if got := tab.Rows[3].Label + " " + tab.Rows[3].Cell(0) + " " + tab.Rows[3].Cell(1); got != "Arbetsterapeut 105 (47) 114 (50)" {
		t.Errorf("printed row %q", got)
	}
	for _, tb := range tables {
		if tb.Question == "q2a" && tb.Branch != "Frågan ställdes till de 163 som svarade Nej på fråga q2." {
			t.Errorf("branch line %q", tb.Branch)
		}
	}
	checkXLSX(t, res, tables)
	svg := SVG(tab)
	if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "Farmaceut: Brist 1 % (3)") || !strings.Contains(svg, "n = 225") {
		t.Errorf("chart: %.400s", svg)
	}
}

// checkXLSX: the results workbook has numeric count and per cent cells and
// every per cent row sums to 100.
func checkXLSX(t *testing.T, res Results, tables []Table) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, res.Title, res.Summary(), tables); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Resultat")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	var pctCols []int
	for i, row := range rows {
		if len(row) > 0 && strings.HasPrefix(row[0], "Fråga ") {
			pctCols = nil
			for j, h := range row {
				if strings.HasSuffix(h, "(%)") {
					pctCols = append(pctCols, j)
				}
			}
			continue
		}
		if len(pctCols) == 0 || len(row) <= pctCols[len(pctCols)-1] {
			pctCols = nil
			continue
		}
		sum := 0
		for _, j := range append([]int{j0(pctCols) - 1}, pctCols...) {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			typ, err := f.GetCellType("Resultat", cell)
			if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
				t.Errorf("%s: type %v", cell, typ)
			}
		}
		for _, j := range pctCols {
			var p int
			fmt.Sscan(row[j], &p)
			sum += p
		}
		if sum != 100 && row[len(row)-1] != "0" {
			t.Errorf("row %d %q: per cents sum to %d", i+1, row[0], sum)
		}
		checked++
	}
	if checked < 8 {
		t.Errorf("checked %d rows", checked)
	}
}

func j0(cols []int) int { return cols[0] }

var questionnaireContext = questionnaire.Context{}
