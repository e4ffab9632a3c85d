package followup_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/followup"
	"narvard/internal/followup/gen"
	"narvard/internal/geo"
)

// naivePerson is a listing as the naive implementation keeps it.
type naivePerson struct {
	lan, kommun, enhet, kon string
	born                    int
	gp, sabo, contact       bool
}

// naiveGroup is one group's figures in one period, by plain maps.
type naiveGroup struct {
	listade, gp, sabo, saboGP, contact int
	nL, nA, nS                         int
	cocL, upcL, cocA, upcA, cocS       float64
	discharges, readmitted             int
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func naiveKey(by []string, p naivePerson, endYear int) string {
	var parts []string
	for _, b := range by {
		switch b {
		case "lan":
			parts = append(parts, p.lan)
		case "kommun":
			parts = append(parts, cmpOr(p.kommun, "okänd"))
		case "rss":
			if p.kommun == "" {
				parts = append(parts, "okänd")
			} else {
				k, _ := geo.Kommun(p.kommun)
				parts = append(parts, k.County)
			}
		case "enhet":
			parts = append(parts, p.enhet)
		case "kon":
			parts = append(parts, p.kon)
		case "aldersgrupp":
			age := endYear - p.born
			parts = append(parts, map[bool]string{true: "0-17"}[age < 18]+map[bool]string{true: "18-64"}[age >= 18 && age < 65]+
				map[bool]string{true: "65-79"}[age >= 65 && age < 80]+map[bool]string{true: "80+"}[age >= 80])
		default:
			parts = append(parts, "riket")
		}
	}
	return strings.Join(parts, "/")
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// naiveCOC adds one patient's visits per clinician to n, sum and upc.
func naiveCOC(counts map[string]int) (n int, coc, upc float64, ok bool) {
	sumSq, maxN := 0, 0
	for _, k := range counts {
		n, sumSq, maxN = n+k, sumSq+k*k, max(maxN, k)
	}
	if n < 2 {
		return n, 0, 0, false
	}
	return n, float64(sumSq-n) / float64(n*(n-1)), float64(maxN) / float64(n), true
}

// naiveReadmissions counts a patient's discharges and readmissions per
// period by marking each stay's days, doubled (a stay from day a to day b
// covers the points 2a … 2b), so that a stay admitted the day another
// ends joins it while one admitted the next day does not.
func naiveReadmissions(stays [][3]int, periods [][2]int) (disch, readm []int) {
	covered := map[int]bool{}
	acuteStart := map[int]bool{}
	for _, s := range stays {
		for d := 2 * s[0]; d <= 2*s[1]; d++ {
			covered[d] = true
		}
		if s[2] == 1 {
			acuteStart[s[0]] = true
		}
	}
	points := slices.Sorted(func(yield func(int) bool) {
		for d := range covered {
			if !yield(d) {
				return
			}
		}
	})
	type ep struct{ in, out int }
	var eps []ep
	for i, d := range points {
		if i == 0 || d != points[i-1]+1 {
			eps = append(eps, ep{in: d / 2})
		}
		eps[len(eps)-1].out = d / 2
	}
	disch, readm = make([]int, len(periods)), make([]int, len(periods))
	for _, e := range eps {
		for k, p := range periods {
			if e.out < p[0] || e.out > p[1] {
				continue
			}
			disch[k]++
			for _, f := range eps {
				if f.in > e.out && f.in-e.out <= 30 && acuteStart[f.in] {
					readm[k]++
					break
				}
			}
		}
	}
	return disch, readm
}

func epoch(s string) int {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return int(d.Unix() / 86400)
}

// naive computes every group's figures per period with plain maps.
func naive(t *testing.T, dir string, by []string, periods []followup.Period) map[string]*naiveGroup {
	people := map[string]naivePerson{}
	for _, r := range readCSV(t, filepath.Join(dir, "listings.csv")) {
		born, _ := strconv.Atoi(r["fodelsear"])
		people[r["patient_id"]] = naivePerson{lan: r["lan"], kommun: r["kommun"], enhet: r["enhet_id"], kon: r["kon"], born: born,
			gp: r["fast_lakare_id"] != "", sabo: r["sabo"] == "1", contact: r["fast_vardkontakt_id"] != ""}
	}
	endYear := periods[len(periods)-1].To.Year()
	out := map[string]*naiveGroup{}
	get := func(key string, k int) *naiveGroup {
		id := key + "|" + periods[k].Name()
		if out[id] == nil {
			out[id] = &naiveGroup{}
		}
		return out[id]
	}
	keys := func(p naivePerson) []string {
		if len(by) == 1 && by[0] == "riket" {
			return []string{"riket"}
		}
		return []string{naiveKey(by, p, endYear), "riket"}
	}
	for _, p := range people {
		for _, key := range keys(p) {
			for k := range periods {
				g := get(key, k)
				g.listade++
				g.gp += b2i(p.gp)
				g.sabo += b2i(p.sabo)
				g.saboGP += b2i(p.sabo && p.gp)
				g.contact += b2i(p.contact)
			}
		}
	}
	all := map[string][]map[string]int{}  // patient → per period: visits per clinician
	phys := map[string][]map[string]int{} // the same, to physicians
	for _, r := range readCSV(t, filepath.Join(dir, "visits.csv")) {
		if _, ok := people[r["patient_id"]]; !ok {
			continue
		}
		d, _ := time.Parse(time.DateOnly, r["datum"])
		for k, p := range periods {
			if d.Before(p.From) || d.After(p.To) {
				continue
			}
			id := r["patient_id"]
			if all[id] == nil {
				all[id], phys[id] = make([]map[string]int, len(periods)), make([]map[string]int, len(periods))
			}
			if all[id][k] == nil {
				all[id][k], phys[id][k] = map[string]int{}, map[string]int{}
			}
			all[id][k][r["vardgivare_id"]]++
			if r["yrke"] == "lakare" {
				phys[id][k][r["vardgivare_id"]]++
			}
		}
	}
	for id, perPeriod := range all {
		p := people[id]
		for k := range periods {
			for _, key := range keys(p) {
				g := get(key, k)
				if _, coc, upc, ok := naiveCOC(perPeriod[k]); ok {
					g.nA, g.cocA, g.upcA = g.nA+1, g.cocA+coc, g.upcA+upc
				}
				if _, coc, upc, ok := naiveCOC(phys[id][k]); ok {
					g.nL, g.cocL, g.upcL = g.nL+1, g.cocL+coc, g.upcL+upc
					if p.sabo {
						g.nS, g.cocS = g.nS+1, g.cocS+coc
					}
				}
			}
		}
	}
	stays := map[string][][3]int{}
	for _, r := range readCSV(t, filepath.Join(dir, "slutenvard.csv")) {
		if _, ok := people[r["patient_id"]]; ok {
			akut, _ := strconv.Atoi(r["akut"])
			stays[r["patient_id"]] = append(stays[r["patient_id"]], [3]int{epoch(r["inskrivning"]), epoch(r["utskrivning"]), akut})
		}
	}
	var ranges [][2]int
	for _, p := range periods {
		ranges = append(ranges, [2]int{int(p.From.Unix() / 86400), int(p.To.Unix() / 86400)})
	}
	for id, ss := range stays {
		p := people[id]
		// Only discharges at 65 or older count (the discharge's year less
		// the birth year): each period is cut to start no earlier than
		// the first day of the year the patient turns 65.
		turns65 := int(time.Date(p.born+65, time.January, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
		for k, r := range ranges {
			lo := max(r[0], turns65)
			if lo > r[1] {
				continue
			}
			d, re := naiveReadmissions(ss, [][2]int{{lo, r[1]}})
			for _, key := range keys(p) {
				g := get(key, k)
				g.discharges += d[0]
				g.readmitted += re[0]
			}
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAgainstNaive compares every column with the naive implementation
// for every grouping, some combinations, and two periods, on generated
// data with the optional columns and stays, as CSV and as Parquet.
func TestAgainstNaive(t *testing.T) {
	csvDir, pqDir := t.TempDir(), t.TempDir()
	o := gen.Options{Year: 2023, Persons: 3000, Visits: 60000, Seed: 5, More: true, Stays: 4000}
	if err := gen.Write(csvDir, o); err != nil {
		t.Fatal(err)
	}
	o.Format = gen.FormatParquet
	if err := gen.Write(pqDir, o); err != nil {
		t.Fatal(err)
	}
	periods := []followup.Period{
		{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)},
		{From: time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	bys := append(slices.Clone(followup.Groupings), "lan,aldersgrupp", "kommun,kon", "rss,enhet")
	for i, by := range bys {
		dir, format := csvDir, "csv"
		if i%2 == 1 {
			dir, format = pqDir, "parquet"
		}
		t.Run(by+"_"+format, func(t *testing.T) {
			res := computeDir(t, dir, format, followup.Options{Periods: periods, By: by, MinCell: 0})
			want := naive(t, csvDir, strings.Split(by, ","), periods)
			if len(res.Rows) != len(want) {
				t.Errorf("%d rows, want %d", len(res.Rows), len(want))
			}
			for _, r := range res.Rows {
				w := want[r.Group+"|"+r.Period]
				if w == nil {
					t.Errorf("unexpected row %s %s", r.Group, r.Period)
					continue
				}
				compareRow(t, r, w)
			}
		})
	}
}

func computeDir(t *testing.T, dir, format string, o followup.Options) *followup.Result {
	t.Helper()
	in := followup.Input{ListingsName: "listings", VisitsName: "visits", SlutenvardName: "slutenvard"}
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name+"."+format))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	in.Listings, in.Visits, in.Slutenvard = open("listings"), open("visits"), open("slutenvard")
	res, err := followup.Compute(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Bad) > 0 {
		t.Fatalf("bad rows in generated data: %s", res.Bad[0].Summary())
	}
	return res
}

func compareRow(t *testing.T, r followup.Row, w *naiveGroup) {
	t.Helper()
	mean := func(sum float64, n int) float64 {
		if n == 0 {
			return 0
		}
		return sum / float64(n)
	}
	ints := []struct {
		name      string
		got, want int
	}{
		{"listade", r.Listade, w.listade}, {"med_fast_lakare", r.MedFastLakare, w.gp}, {"sabo_listade", r.SaboListade, w.sabo},
		{"sabo_med_fast_lakare", r.SaboMedFastLakare, w.saboGP}, {"med_fast_vardkontakt", r.MedFastVardkontakt, w.contact},
		{"patienter_coc", r.PatienterCOC, w.nL}, {"patienter_coc_lakare", r.PatienterCOCLakare, w.nL},
		{"patienter_coc_alla", r.PatienterCOCAlla, w.nA}, {"sabo_patienter_coc", r.SaboPatienterCOC, w.nS},
		{"utskrivningar_65", r.Utskrivningar, w.discharges}, {"aterinskrivningar_30", r.Aterinskrivningar, w.readmitted},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s %s %s: %d, want %d", r.Group, r.Period, c.name, c.got, c.want)
		}
	}
	floats := []struct {
		name      string
		got, want float64
	}{
		{"coc", r.COC, mean(w.cocL, w.nL)}, {"upc", r.UPC, mean(w.upcL, w.nL)},
		{"coc_lakare", r.COCLakare, mean(w.cocL, w.nL)}, {"upc_lakare", r.UPCLakare, mean(w.upcL, w.nL)},
		{"coc_alla", r.COCAlla, mean(w.cocA, w.nA)}, {"upc_alla", r.UPCAlla, mean(w.upcA, w.nA)},
		{"coc_lakare_sabo", r.COCLakareSabo, mean(w.cocS, w.nS)},
	}
	for _, c := range floats {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s %s %s: %v, want %v", r.Group, r.Period, c.name, c.got, c.want)
		}
	}
	if r.Group == "riket" && (r.Utskrivningar < 100 || r.Aterinskrivningar < 10 || r.MedFastVardkontakt == 0 || r.SaboPatienterCOC == 0 ||
		r.PatienterCOCAlla <= r.PatienterCOCLakare) {
		t.Errorf("riket %s: the data does not try every column: %+v", r.Period, r)
	}
}
