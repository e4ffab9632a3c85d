package followup

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var year2023 = Options{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), By: ByRiket}

func compute(t *testing.T, listings, visits, clinicians string, o Options) *Result {
	t.Helper()
	in := Input{ListingsName: "listings.csv", VisitsName: "visits.csv", CliniciansName: "clinicians.csv",
		Listings: strings.NewReader(listings), Visits: strings.NewReader(visits)}
	if clinicians != "" {
		in.Clinicians = strings.NewReader(clinicians)
	}
	res, err := Compute(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const listHead = "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear\n"
const visitHead = "patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\n"

func visits(patient string, counts map[string]int, yrke string) string {
	var b strings.Builder
	for doc, n := range counts {
		for range n {
			fmt.Fprintf(&b, "%s,2023-05-01,E1,%s,%s,fysisk\n", patient, doc, yrke)
		}
	}
	return b.String()
}

func TestCOCHandCases(t *testing.T) {
	listings := listHead + "p1,25,E1,d1,0,K,1950\np2,25,E1,,0,M,1990\np3,25,E1,d1,1,K,1930\n"
	tests := []struct {
		name     string
		visits   string
		n        int
		coc, upc float64
	}{
		{"3 and 1 to two doctors", visits("p1", map[string]int{"d1": 3, "d2": 1}, "lakare"), 1, 0.5, 0.75},
		{"one visit is excluded", visits("p1", map[string]int{"d1": 1}, "lakare"), 0, 0, 0},
		{"all to one doctor", visits("p1", map[string]int{"d1": 4}, "lakare"), 1, 1, 1},
		{"never the same twice", visits("p1", map[string]int{"d1": 1, "d2": 1, "d3": 1}, "lakare"), 1, 0, 1.0 / 3},
		{"nurses do not count for physicians", visits("p1", map[string]int{"s1": 3}, "sjukskoterska"), 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := compute(t, listings, visitHead+tt.visits, "", year2023)
			r := res.Rows[len(res.Rows)-1]
			if r.PatienterCOC != tt.n || math.Abs(r.COC-tt.coc) > 1e-9 || math.Abs(r.UPC-tt.upc) > 1e-9 {
				t.Errorf("got n=%d coc=%v upc=%v, want %d %v %v", r.PatienterCOC, r.COC, r.UPC, tt.n, tt.coc, tt.upc)
			}
		})
	}
	all := year2023
	all.AllYrken = true
	res := compute(t, listings, visitHead+visits("p1", map[string]int{"s1": 3}, "sjukskoterska"), "", all)
	if r := res.Rows[0]; r.PatienterCOC != 1 || r.COC != 1 {
		t.Errorf("--yrke alla: %+v", r)
	}
}

func TestSuppressionAndRiketLast(t *testing.T) {
	var b strings.Builder
	b.WriteString(listHead)
	for i := range 12 {
		lan, sabo := "25", "0"
		if i >= 9 {
			lan = "01" // three people: a small cell
		}
		if i < 6 {
			sabo = "1"
		}
		fmt.Fprintf(&b, "p%d,%s,E%s,d%d,%s,K,1940\n", i, lan, lan, i%2, sabo)
	}
	o := year2023
	o.By, o.MinCell = ByLan, 5
	res := compute(t, b.String(), visitHead, "vardgivare_id,yrke,st\nd0,lakare,0\nd1,lakare,1\n", o)
	if len(res.Rows) != 3 || res.Rows[0].Group != "01" || res.Rows[1].Group != "25" || res.Rows[2].Group != "riket" {
		t.Fatalf("groups = %+v", res.Rows)
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, res); err != nil {
		t.Fatal(err)
	}
	lines := oldColumns(t, out.String())
	// 25's counts are suppressed too: riket less 25 would give 01's
	// (complementary suppression).
	const all = "listade;med_fast_lakare;sabo_listade;sabo_med_fast_lakare;patienter_coc;patienter_coc_lakare;patienter_coc_alla;sabo_patienter_coc"
	want := []string{
		"grupp,listade,med_fast_lakare,andel_fast_lakare,sabo_listade,sabo_med_fast_lakare,andel_fast_lakare_sabo,patienter_coc,coc,upc,listade_per_specialist,listade_per_st,undertryckt",
		"01,,,,,,,,,,,," + all,
		"25,,,,,,,,,,,," + all,
		"riket,12,12,1.0000,6,6,1.0000,,,,12.0,12.0,patienter_coc;patienter_coc_lakare;patienter_coc_alla;sabo_patienter_coc",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], w)
		}
	}
}

func TestBadRows(t *testing.T) {
	listings := listHead + "p1,25,E1,d1,0,K,1950\np1,25,E1,d1,0,K,1950\np2,99,E1,,0,K,1950\np3,25,E1,,2,K,1950\n"
	vis := visitHead + "p1,2023-13-01,E1,d1,lakare,fysisk\np1,2023-05-01,E1,d1,tandlakare,fysisk\np1,2023-05-01,E1,d1,lakare,fysisk\n"
	res := compute(t, listings, vis, "", year2023)
	if len(res.Bad) != 2 || res.Bad[0].Count != 3 || res.Bad[1].Count != 2 {
		t.Fatalf("bad = %+v", res.Bad)
	}
	for _, want := range []string{`listings.csv:3: patient_id "p1" finns redan på rad 2`, `listings.csv:4: lan "99"`, `listings.csv:5: sabo "2"`} {
		if !strings.Contains(res.Bad[0].Summary(), want) {
			t.Errorf("missing %q in\n%s", want, res.Bad[0].Summary())
		}
	}
	for _, want := range []string{`visits.csv:2: datum "2023-13-01"`, `visits.csv:3: yrke "tandlakare"`} {
		if !strings.Contains(res.Bad[1].Summary(), want) {
			t.Errorf("missing %q in\n%s", want, res.Bad[1].Summary())
		}
	}
	strict := year2023
	strict.Strict = true
	if _, err := Compute(context.Background(), Input{ListingsName: "l.csv", VisitsName: "v.csv", Listings: strings.NewReader(listings), Visits: strings.NewReader(visitHead)}, strict); err == nil {
		t.Error("--strict accepted bad rows")
	}
	fileErrors := []struct{ listings, want string }{
		{"", "l.csv:1: filen är tom"},
		{"patient_id,lan\np1,25\n", `l.csv:1: kolumnen "enhet_id" saknas`},
		{listHead + "p1,25,E1,\x00\x01,0,K,1950\n", "l.csv:2: filen är inte en textfil"},
		{"\x89PNG\r\n\x1a\n\x00\x00", "l.csv:1: filen är inte en textfil"},
	}
	for _, f := range fileErrors {
		_, err := Compute(context.Background(), Input{ListingsName: "l.csv", VisitsName: "v.csv", Listings: strings.NewReader(f.listings), Visits: strings.NewReader(visitHead)}, year2023)
		if err == nil || !strings.Contains(err.Error(), f.want) {
			t.Errorf("err = %v, want %q", err, f.want)
		}
	}
}

// TestAgainstNaiveImplementation generates data and compares every group's
// figures, for every grouping, with a plainly written implementation.
func TestAgainstNaiveImplementation(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	var lb, vb strings.Builder
	lb.WriteString(listHead)
	vb.WriteString(visitHead)
	type person struct {
		lan, enhet, gp, kon string
		sabo                bool
		born                int
	}
	people := map[string]person{}
	for i := range 3000 {
		p := person{lan: counties[r.IntN(4)], kon: []string{"K", "M"}[r.IntN(2)], sabo: r.IntN(20) == 0, born: 1920 + r.IntN(100)}
		p.enhet = fmt.Sprintf("E%s%d", p.lan, r.IntN(3))
		if r.IntN(3) > 0 {
			p.gp = fmt.Sprintf("D%d", r.IntN(40))
		}
		id := fmt.Sprintf("P%d", i)
		people[id] = p
		sabo := "0"
		if p.sabo {
			sabo = "1"
		}
		fmt.Fprintf(&lb, "%s,%s,%s,%s,%s,%s,%d\n", id, p.lan, p.enhet, p.gp, sabo, p.kon, p.born)
	}
	type visit struct {
		patient, doc, yrke string
		day                time.Time
	}
	var all []visit
	for range 20000 {
		v := visit{patient: fmt.Sprintf("P%d", r.IntN(3100)), doc: fmt.Sprintf("D%d", r.IntN(8)*r.IntN(6)), yrke: []string{"lakare", "lakare", "sjukskoterska"}[r.IntN(3)],
			day: time.Date(2022, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(420))}
		all = append(all, v)
		fmt.Fprintf(&vb, "%s,%s,E,%s,%s,digital\n", v.patient, v.day.Format(time.DateOnly), v.doc, v.yrke)
	}
	clin := "vardgivare_id,yrke,st\n"
	for i := range 40 {
		clin += fmt.Sprintf("D%d,lakare,%d\n", i, i%3/2)
	}
	for _, by := range []string{ByRiket, ByLan, ByEnhet, ByKon, ByAldersgrupp} {
		for _, allYrken := range []bool{false, true} {
			o := year2023
			o.By, o.AllYrken, o.MinCell = by, allYrken, 5
			res := compute(t, lb.String(), vb.String(), clin, o)
			// The naive way: maps of maps.
			group := func(p person) string {
				switch by {
				case ByLan:
					return p.lan
				case ByEnhet:
					return p.enhet
				case ByKon:
					return p.kon
				case ByAldersgrupp:
					return ageGroup(p.born, 2023)
				}
				return "riket"
			}
			counts := map[string]map[string]int{}
			for _, v := range all {
				if _, listed := people[v.patient]; !listed || v.day.Year() != 2023 || (!allYrken && v.yrke != "lakare") {
					continue
				}
				if counts[v.patient] == nil {
					counts[v.patient] = map[string]int{}
				}
				counts[v.patient][v.doc]++
			}
			type agg struct {
				n, gp, sabo, saboGP, coc int
				sumCOC, sumUPC           float64
			}
			want := map[string]*agg{}
			get := func(g string) *agg {
				if want[g] == nil {
					want[g] = &agg{}
				}
				return want[g]
			}
			for id, p := range people {
				groups := []string{group(p), "riket"}
				if groups[0] == "riket" {
					groups = groups[:1]
				}
				for _, g := range groups {
					a := get(g)
					a.n++
					if p.gp != "" {
						a.gp++
					}
					if p.sabo {
						a.sabo++
						if p.gp != "" {
							a.saboGP++
						}
					}
					var total, sq, mx int
					for _, k := range counts[id] {
						total, sq, mx = total+k, sq+k*k, max(mx, k)
					}
					if total >= 2 {
						a.coc++
						a.sumCOC += float64(sq-total) / float64(total*(total-1))
						a.sumUPC += float64(mx) / float64(total)
					}
				}
			}
			if len(res.Rows) != len(want) {
				t.Fatalf("%s: %d rows, want %d", by, len(res.Rows), len(want))
			}
			for _, row := range res.Rows {
				w := want[row.Group]
				if w == nil || row.Listade != w.n || row.MedFastLakare != w.gp || row.SaboListade != w.sabo || row.SaboMedFastLakare != w.saboGP || row.PatienterCOC != w.coc {
					t.Errorf("%s %s: got %+v, want %+v", by, row.Group, row, w)
					continue
				}
				if w.coc > 0 && (math.Abs(row.COC-w.sumCOC/float64(w.coc)) > 1e-4 || math.Abs(row.UPC-w.sumUPC/float64(w.coc)) > 1e-4) {
					t.Errorf("%s %s: coc %v upc %v, want %v %v", by, row.Group, row.COC, row.UPC, w.sumCOC/float64(w.coc), w.sumUPC/float64(w.coc))
				}
			}
			if res.Rows[len(res.Rows)-1].Group != "riket" {
				t.Errorf("%s: riket is not last", by)
			}
		}
	}
}

func TestXLSX(t *testing.T) {
	res := compute(t, listHead+"p1,25,E1,d1,0,K,1950\n", visitHead+visits("p1", map[string]int{"d1": 3, "d2": 1}, "lakare"), "", Options{From: year2023.From, To: year2023.To, By: ByRiket})
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, res); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Indikatorer", excelize.Options{RawCellValue: true})
	if len(rows) < 2 || rows[1][0] != "riket" || rows[1][1] != "2023" || rows[1][2] != "1" || rows[1][9] != "0.5" {
		t.Errorf("rows = %v", rows)
	}
	if typ, _ := f.GetCellType("Indikatorer", "J2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("coc cell type %v", typ)
	}
}

// oldColumns is an indicators CSV file's lines with only the columns
// the output had before it gained more (in their order then).
func oldColumns(t *testing.T, text string) []string {
	t.Helper()
	old := []string{"grupp", "listade", "med_fast_lakare", "andel_fast_lakare", "sabo_listade", "sabo_med_fast_lakare",
		"andel_fast_lakare_sabo", "patienter_coc", "coc", "upc", "listade_per_specialist", "listade_per_st", "undertryckt"}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range recs {
		var cells []string
		for _, c := range old {
			cells = append(cells, r[slices.Index(recs[0], c)])
		}
		lines = append(lines, strings.Join(cells, ","))
	}
	return lines
}

// TestNamedGPsByProfession: a named GP counts as a specialist or an ST
// doctor only when the clinicians file has them as a physician; a nurse
// there, or an id it lacks, counts as neither.
func TestNamedGPsByProfession(t *testing.T) {
	listings := listHead + "p1,01,E1,d0,0,K,1950\np2,01,E1,d1,0,K,1950\np3,01,E1,n0,0,K,1950\np4,01,E1,x9,0,K,1950\n"
	clinicians := "vardgivare_id,yrke,st\nn0,sjukskoterska,0\nd0,lakare,0\nd1,lakare,1\n"
	o := year2023
	o.By = ByLan
	res := compute(t, listings, visitHead, clinicians, o)
	if r := res.Rows[0]; r.Specialists != 1 || r.STDoctor != 1 || r.MedFastLakare != 4 {
		t.Errorf("specialists %d, ST %d, with a named GP %d; want 1, 1, 4", r.Specialists, r.STDoctor, r.MedFastLakare)
	}
}
