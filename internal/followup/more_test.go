package followup

import (
	"bytes"
	"context"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

const listHeadMore = "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear,fast_vardkontakt_id,kommun\n"

// computeWith is compute with a slutenvard file.
func computeWith(t *testing.T, listings, visits, stays string, o Options) *Result {
	t.Helper()
	in := Input{ListingsName: "listings.csv", VisitsName: "visits.csv", SlutenvardName: "slutenvard.csv",
		Listings: strings.NewReader(listings), Visits: strings.NewReader(visits)}
	if stays != "" {
		in.Slutenvard = strings.NewReader(stays)
	}
	res, err := Compute(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rowOfGroup(t *testing.T, res *Result, group, period string) Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.Group == group && r.Period == period {
			return r
		}
	}
	t.Fatalf("no row %s %s in %+v", group, period, res.Rows)
	return Row{}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestContinuityInOnePass: one patient, in SÄBO, with visits to two
// physicians and a nurse. To physicians: d1 ×3, d2 ×1, N = 4: COC =
// (9+1−4)/(4·3) = 0.5, UPC = 3/4. To all: d1 ×3, d2 ×1, s1 ×2, N = 6:
// COC = (9+1+4−6)/(6·5) = 8/30, UPC = 3/6. The SÄBO column is the
// physicians' COC of the SÄBO resident; a second, not in SÄBO, with two
// visits to one physician (COC 1) counts in the physicians' columns only.
func TestContinuityInOnePass(t *testing.T) {
	listings := listHeadMore + "p1,25,E1,d1,1,K,1930,,\np2,25,E1,d1,0,K,1960,,\n"
	vis := visitHead + visits("p1", map[string]int{"d1": 3, "d2": 1}, "lakare") + visits("p1", map[string]int{"s1": 2}, "sjukskoterska") +
		visits("p2", map[string]int{"d1": 2}, "lakare")
	o := year2023
	o.MinCell = 0
	r := computeWith(t, listings, vis, "", o).Rows[0]
	if r.PatienterCOCLakare != 2 || !near(r.COCLakare, (0.5+1)/2) || !near(r.UPCLakare, (0.75+1)/2) {
		t.Errorf("physicians: %d %v %v", r.PatienterCOCLakare, r.COCLakare, r.UPCLakare)
	}
	if r.PatienterCOCAlla != 2 || !near(r.COCAlla, (8.0/30+1)/2) || !near(r.UPCAlla, (0.5+1)/2) {
		t.Errorf("all: %d %v %v", r.PatienterCOCAlla, r.COCAlla, r.UPCAlla)
	}
	if r.SaboPatienterCOC != 1 || !near(r.COCLakareSabo, 0.5) {
		t.Errorf("SÄBO: %d %v", r.SaboPatienterCOC, r.COCLakareSabo)
	}
	if r.PatienterCOC != r.PatienterCOCLakare || r.COC != r.COCLakare {
		t.Errorf("coc is not coc_lakare without --yrke alla: %+v", r)
	}
}

// TestNamedCareContact: two of three listed have a named care contact;
// without the column the count is not shown at all.
func TestNamedCareContact(t *testing.T) {
	o := year2023
	o.MinCell = 0
	res := computeWith(t, listHeadMore+"p1,25,E1,d1,0,K,1950,v1,2583\np2,25,E1,,0,K,1950,v2,\np3,25,E1,d1,0,K,1950,,2583\n", visitHead, "", o)
	r := res.Rows[0]
	if r.MedFastVardkontakt != 2 || !r.HasVardkontakt || cell(t, r, "andel_fast_vardkontakt") != "0.6667" {
		t.Errorf("care contact: %+v", r)
	}
	res = computeWith(t, listHead+"p1,25,E1,d1,0,K,1950\n", visitHead, "", o)
	if r := res.Rows[0]; r.HasVardkontakt || cell(t, r, "med_fast_vardkontakt") != "" {
		t.Errorf("without the column: %+v", r)
	}
}

func cell(t *testing.T, r Row, col string) string {
	t.Helper()
	for i, c := range Columns {
		if c == col {
			return r.cells(".")[i]
		}
	}
	t.Fatalf("no column %s", col)
	return ""
}

// TestKommunMustLieInLan: a municipality outside the county, or no
// municipality at all, is a bad row naming file and line.
func TestKommunMustLieInLan(t *testing.T) {
	listings := listHeadMore + "p1,25,E1,d1,0,K,1950,,2583\np2,25,E1,d1,0,K,1950,,0114\np3,25,E1,d1,0,K,1950,,9999\np4,23,E1,d1,0,K,1950,,2361\n"
	res := computeWith(t, listings, visitHead, "", year2023)
	if len(res.Bad) != 1 || res.Bad[0].Count != 2 {
		t.Fatalf("bad = %+v", res.Bad)
	}
	want := []string{`listings.csv:3: kommun "0114" ligger inte i län 25`, `listings.csv:4: kommun "9999" är inte en kommunkod`}
	for i, w := range want {
		if !strings.HasPrefix(res.Bad[0].Reports[i], w) {
			t.Errorf("report %d = %q, want %q", i, res.Bad[0].Reports[i], w)
		}
	}
}

// TestGroupingsKommunRSSCombined: kommun and rss group by the listing's
// municipality (okänd without one); combinations join the parts with /.
func TestGroupingsKommunRSSCombined(t *testing.T) {
	listings := listHeadMore + "p1,23,E1,,0,K,1950,,2361\np2,23,E1,,0,M,1950,,2380\np3,23,E1,,0,K,2010,,\n"
	for _, tt := range []struct {
		by   string
		want []string
	}{
		{"kommun", []string{"2361", "2380", "okänd", "riket"}},
		{"rss", []string{"23", "okänd", "riket"}},
		{"lan,aldersgrupp", []string{"23/0-17", "23/65-79", "riket"}},
		{"kommun,kon", []string{"2361/K", "2380/M", "okänd/K", "riket"}},
	} {
		o := year2023
		o.By, o.MinCell = tt.by, 0
		var got []string
		for _, r := range computeWith(t, listings, visitHead, "", o).Rows {
			got = append(got, r.Group)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("--by %s: groups %v, want %v", tt.by, got, tt.want)
		}
	}
}

// TestReadmissions: patients born 1950 (73 in 2023) unless said. Each
// case's discharges (denominator) and readmissions (numerator), counted
// by hand.
func TestReadmissions(t *testing.T) {
	const head = "patient_id,lan,inskrivning,utskrivning,akut\n"
	for _, tt := range []struct {
		name            string
		born            string
		stays           string
		discharges, rea int
	}{
		{"acute admission on day 30 counts", "1950", "p,25,2023-03-01,2023-03-05,1\np,25,2023-04-04,2023-04-06,1\n", 2, 1},
		{"on day 31 it does not", "1950", "p,25,2023-03-01,2023-03-05,1\np,25,2023-04-05,2023-04-06,1\n", 2, 0},
		{"a planned admission is no readmission", "1950", "p,25,2023-03-01,2023-03-05,1\np,25,2023-03-10,2023-03-12,0\n", 2, 0},
		{"a planned one then an acute one within 30 days", "1950", "p,25,2023-03-01,2023-03-05,1\np,25,2023-03-10,2023-03-12,0\np,25,2023-03-20,2023-03-21,1\n", 3, 2},
		{"a transfer the same day is one discharge", "1950", "p,25,2023-03-01,2023-03-05,1\np,25,2023-03-05,2023-03-09,1\n", 1, 0},
		{"a transfer, then a readmission counted from the last discharge", "1950", "p,25,2023-03-01,2023-03-05,1\np,25,2023-03-05,2023-03-09,1\np,25,2023-04-08,2023-04-09,1\n", 2, 1},
		{"overlapping stays are one", "1950", "p,25,2023-03-01,2023-03-10,1\np,25,2023-03-03,2023-03-05,1\np,25,2023-04-01,2023-04-02,1\n", 2, 1},
		{"a discharge outside the period is not counted, its readmission may be", "1950", "p,25,2022-12-20,2022-12-30,1\np,25,2023-01-10,2023-01-11,1\n", 1, 0},
		{"a discharge in the period readmitted after it", "1950", "p,25,2023-12-20,2023-12-30,1\np,25,2024-01-10,2024-01-11,1\n", 1, 1},
		{"under 65 at discharge", "1960", "p,25,2023-03-01,2023-03-05,1\np,25,2023-03-06,2023-03-07,1\n", 0, 0},
		{"turning 65 in the year of discharge counts", "1958", "p,25,2023-01-02,2023-01-03,1\np,25,2023-01-06,2023-01-07,1\n", 2, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := year2023
			o.MinCell = 0
			res := computeWith(t, listHead+"p,25,E1,d1,0,K,"+tt.born+"\n", visitHead, head+tt.stays, o)
			r := res.Rows[0]
			if !r.HasSlutenvard || r.Utskrivningar != tt.discharges || r.Aterinskrivningar != tt.rea {
				t.Errorf("discharges %d, readmissions %d; want %d, %d", r.Utskrivningar, r.Aterinskrivningar, tt.discharges, tt.rea)
			}
		})
	}
}

// TestReadmissionsTurning65InThePeriod: a period from July 2022 to June
// 2023 of a patient born 1958: the discharge in 2022 (age 64) is not
// counted, the one in 2023 (65) is.
func TestReadmissionsTurning65InThePeriod(t *testing.T) {
	o := Options{Periods: []Period{{day("2022-07-01"), day("2023-06-30")}}, MinCell: 0}
	stays := "patient_id,lan,inskrivning,utskrivning,akut\np,25,2022-10-01,2022-10-03,1\np,25,2023-02-01,2023-02-03,1\np,25,2023-02-20,2023-02-21,0\n"
	r := computeWith(t, listHead+"p,25,E1,d1,0,K,1958\n", visitHead, stays, o).Rows[0]
	if r.Utskrivningar != 2 || r.Aterinskrivningar != 0 {
		t.Errorf("discharges %d, readmissions %d; want 2 (Feb 3 and 21), 0", r.Utskrivningar, r.Aterinskrivningar)
	}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestSlutenvardBadRows: each rule of the extract, named by file and
// line; patients not listed are counted and left out.
func TestSlutenvardBadRows(t *testing.T) {
	stays := "patient_id,lan,inskrivning,utskrivning,akut\n,25,2023-01-01,2023-01-02,1\np,99,2023-01-01,2023-01-02,1\np,25,2023-02-30,2023-03-01,1\np,25,2023-03-01,2023-02-01,1\np,25,2023-03-01,2023-03-02,ja\nq,25,2023-03-01,2023-03-02,1\n"
	res := computeWith(t, listHead+"p,25,E1,d1,0,K,1950\n", visitHead, stays, year2023)
	want := []string{`slutenvard.csv:2: patient_id "" saknas`, `slutenvard.csv:3: lan "99"`, `slutenvard.csv:4: inskrivning "2023-02-30"`,
		`slutenvard.csv:5: utskrivning "2023-02-01" ligger före inskrivningen`, `slutenvard.csv:6: akut "ja" ska vara 0 eller 1`}
	if len(res.Bad) != 1 || res.Bad[0].Count != len(want) {
		t.Fatalf("bad = %+v", res.Bad)
	}
	for i, w := range want {
		if !strings.HasPrefix(res.Bad[0].Reports[i], w) {
			t.Errorf("report %d = %q, want %q", i, res.Bad[0].Reports[i], w)
		}
	}
	if res.StaysRead != 1 || res.StaysUnlisted != 1 {
		t.Errorf("read %d, unlisted %d", res.StaysRead, res.StaysUnlisted)
	}
	_, err := Compute(context.Background(), Input{ListingsName: "l", VisitsName: "v", SlutenvardName: "s.csv", Listings: strings.NewReader(listHead),
		Visits: strings.NewReader(visitHead), Slutenvard: strings.NewReader("patient_id,lan,inskrivning\n")}, year2023)
	if err == nil || !strings.Contains(err.Error(), `s.csv:1: kolumnen "utskrivning" saknas`) {
		t.Errorf("missing column: %v", err)
	}
}

// TestTwoPeriods: the same patient's visits in two halves of 2023. First
// half: d1, d2 (COC 0); second: d1, d1, d1, d2 (COC 0.5). The change is
// computed against the first; the goal of +20 % is not reachable from 0
// (empty), and a rise from 0.5 to 0.6667 is +33.3 %, reached.
func TestTwoPeriods(t *testing.T) {
	o := Options{Periods: []Period{{day("2023-01-01"), day("2023-06-30")}, {day("2023-07-01"), day("2023-12-31")}}, MinCell: 0, By: ByRiket}
	vis := visitHead + "p1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d2,lakare,fysisk\n" +
		"p1,2023-08-01,E1,d1,lakare,fysisk\np1,2023-09-01,E1,d1,lakare,fysisk\np1,2023-10-01,E1,d1,lakare,fysisk\np1,2023-11-01,E1,d2,lakare,fysisk\n" +
		"p2,2023-02-01,E1,d1,lakare,fysisk\np2,2023-03-01,E1,d1,lakare,fysisk\np2,2023-04-01,E1,d2,lakare,fysisk\n" +
		"p2,2023-08-01,E1,d1,lakare,fysisk\np2,2023-09-01,E1,d1,lakare,fysisk\np2,2023-10-01,E1,d1,lakare,fysisk\n"
	res := compute(t, listHead+"p1,25,E1,d1,0,K,1950\np2,25,E1,d1,0,K,1950\n", vis, "", o)
	if len(res.Rows) != 2 || res.Periods[0] != "2023-01-01/2023-06-30" {
		t.Fatalf("rows %+v periods %v", res.Rows, res.Periods)
	}
	first, second := res.Rows[0], res.Rows[1]
	// First: p1 0, p2 (4+1-3)/6 = 1/3: mean 1/6. Second: p1 0.5, p2 1: mean 0.75.
	if !near(first.COCLakare, 1.0/6) || !near(second.COCLakare, 0.75) || second.Base != &res.Rows[0] {
		t.Fatalf("COC %v %v", first.COCLakare, second.COCLakare)
	}
	if got := cell(t, second, "forandring_coc_lakare_procent"); got != "350.0" {
		t.Errorf("change %s, want 350.0", got)
	}
	if cell(t, second, "mal_coc_lakare_uppnatt") != "ja" || cell(t, first, "mal_coc_lakare_uppnatt") != "" {
		t.Errorf("goal: %q %q", cell(t, first, "mal_coc_lakare_uppnatt"), cell(t, second, "mal_coc_lakare_uppnatt"))
	}
	if first.Listade != 2 || second.Listade != 2 {
		t.Errorf("the listings count the same in both periods")
	}
}

// TestCOCGoalExactlyTwentyPerCent: 0.5 to 0.6 is +20 % exactly, though
// (0.6 − 0.5) / 0.5 is 0.19999999999999996 in floating point.
func TestCOCGoalExactlyTwentyPerCent(t *testing.T) {
	base := Row{PatienterCOCLakare: 1, COCLakare: 0.5}
	r := Row{PatienterCOCLakare: 1, COCLakare: 0.6, Base: &base}
	if got := cell(t, r, "mal_coc_lakare_uppnatt"); got != "ja" {
		t.Errorf("goal %q", got)
	}
}

// TestComplementarySuppression: county 25 has municipalities 2583 (9
// people), 2584 (8) and 2523 (2, suppressed). By kommun, the county's
// total (from a run by lan) less 2583 and 2584 would give 2523, so the
// smallest other, 2584, is suppressed too; 2361 in county 23 is alone with
// none suppressed and stays.
func TestComplementarySuppression(t *testing.T) {
	var b strings.Builder
	b.WriteString(listHeadMore)
	n := 0
	add := func(lan, kommun string, count int) {
		for range count {
			n++
			b.WriteString("p" + itoa(n) + "," + lan + ",E1,d1,0,K,1950,," + kommun + "\n")
		}
	}
	add("25", "2583", 9)
	add("25", "2584", 8)
	add("25", "2523", 2)
	add("23", "2361", 7)
	add("23", "2380", 6)
	o := year2023
	o.By, o.MinCell = ByKommun, 5
	res := computeWith(t, b.String(), visitHead, "", o)
	shown := map[string]bool{}
	for _, r := range res.Rows {
		shown[r.Group] = !r.IsSuppressed("listade")
	}
	want := map[string]bool{"2523": false, "2584": false, "2583": true, "2361": true, "2380": true, "riket": true}
	for g, w := range want {
		if shown[g] != w {
			t.Errorf("%s: listade shown %v, want %v", g, shown[g], w)
		}
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\n2584,2023,,") {
		t.Errorf("2584's listade is in the CSV:\n%s", out.String())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestParquetTypedMore: the optional listing columns and the slutenvard
// extract as a database would export them to Parquet: the municipality
// an integer (114 is 0114), dates as DATE, akut a boolean; the result is
// the CSV's.
func TestParquetTypedMore(t *testing.T) {
	type listing struct {
		PatientID string  `parquet:"patient_id"`
		Lan       int32   `parquet:"lan"`
		EnhetID   string  `parquet:"enhet_id,dict"`
		GP        *string `parquet:"fast_lakare_id,optional"`
		Sabo      bool    `parquet:"sabo"`
		Kon       string  `parquet:"kon,dict"`
		Fodelsear int64   `parquet:"fodelsear"`
		Contact   *string `parquet:"fast_vardkontakt_id,optional"`
		Kommun    *int32  `parquet:"kommun,optional"`
	}
	type stayPQ struct {
		PatientID   string `parquet:"patient_id"`
		Lan         int32  `parquet:"lan"`
		Inskrivning int32  `parquet:"inskrivning,date"`
		Utskrivning int32  `parquet:"utskrivning,date"`
		Akut        bool   `parquet:"akut"`
	}
	v1, k114, k2583 := "v1", int32(114), int32(2583)
	ls := []listing{{PatientID: "p1", Lan: 1, EnhetID: "E1", Kon: "K", Fodelsear: 1950, Contact: &v1, Kommun: &k114},
		{PatientID: "p2", Lan: 25, EnhetID: "E1", Kon: "M", Fodelsear: 1940, Kommun: &k2583}, {PatientID: "p3", Lan: 25, EnhetID: "E1", Kon: "M", Fodelsear: 1940}}
	epochDays := func(s string) int32 { return int32(day(s).Unix() / 86400) }
	ss := []stayPQ{{"p2", 25, epochDays("2023-03-01"), epochDays("2023-03-05"), true}, {"p2", 25, epochDays("2023-03-20"), epochDays("2023-03-21"), true},
		{"p1", 1, epochDays("2023-05-01"), epochDays("2023-05-01"), false}}
	listCSV := listHeadMore + "p1,01,E1,,0,K,1950,v1,0114\np2,25,E1,,0,M,1940,,2583\np3,25,E1,,0,M,1940,,\n"
	staysCSV := "patient_id,lan,inskrivning,utskrivning,akut\np2,25,2023-03-01,2023-03-05,1\np2,25,2023-03-20,2023-03-21,1\np1,01,2023-05-01,2023-05-01,0\n"
	o := year2023
	o.By, o.MinCell = ByKommun, 0
	fromCSV := computeWith(t, listCSV, visitHead, staysCSV, o)
	fromPQ, err := Compute(context.Background(), Input{ListingsName: "l", VisitsName: "v", SlutenvardName: "s", Listings: bytes.NewReader(writeParquet(t, ls, 2)),
		Visits: strings.NewReader(visitHead), Slutenvard: bytes.NewReader(writeParquet(t, ss, 2))}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromPQ.Bad) > 0 || !reflect.DeepEqual(fromCSV.Rows, fromPQ.Rows) {
		t.Errorf("CSV and Parquet differ:\n%+v\n%+v\n%v", fromCSV.Rows, fromPQ.Rows, fromPQ.Bad)
	}
	if r := rowOfGroup(t, fromPQ, "2583", "2023"); r.Utskrivningar != 2 || r.Aterinskrivningar != 1 {
		t.Errorf("2583: %+v", r)
	}
	if r := rowOfGroup(t, fromPQ, "0114", "2023"); r.MedFastVardkontakt != 1 || r.Utskrivningar != 1 {
		t.Errorf("0114: %+v", r)
	}
}

// TestCountByName: count knows every count a row has.
func TestCountByName(t *testing.T) {
	r := Row{Listade: 1, MedFastLakare: 2, SaboListade: 3, SaboMedFastLakare: 4, PatienterCOC: 5, MedFastVardkontakt: 6, HasVardkontakt: true,
		PatienterCOCLakare: 7, PatienterCOCAlla: 8, SaboPatienterCOC: 9, Utskrivningar: 10, Aterinskrivningar: 11, HasSlutenvard: true}
	for _, c := range r.counts() {
		if r.count(c.name) != c.n {
			t.Errorf("%s: %d, want %d", c.name, r.count(c.name), c.n)
		}
	}
}
