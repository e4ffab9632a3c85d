package followup

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestListingsAcrossChunks reads a listings file of several CSV blocks
// with duplicates within a block and across blocks, and a group that only
// a duplicate row names: the listed are numbered in file order whatever
// the number of workers, each duplicate points at the first row with its
// id, the reports are the first by line, and the group is not in the
// result.
func TestListingsAcrossChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString(listHead)
	line := 1
	firstLine := map[string]int{}
	var badLines []int
	var dupMessages []string
	unique := 0
	for i := 0; b.Len() < 3*blockSize; i++ {
		line++
		id := fmt.Sprintf("p%d", i)
		switch {
		case i%40000 == 39999 && i > 200000: // a row of an earlier block again, in a unit of its own
			id = fmt.Sprintf("p%d", i-150000)
			fmt.Fprintf(&b, "%s,03,ONLYDUP,d1,0,M,1960\n", id)
			badLines = append(badLines, line)
			dupMessages = append(dupMessages, fmt.Sprintf(`listings.csv:%d: patient_id %q finns redan på rad %d`, line, id, firstLine[id]))
			continue
		case i%50000 == 11:
			b.WriteString("x1,99,E1,,0,K,1950\n") // not a county
			badLines = append(badLines, line)
			continue
		case i%60000 == 5: // the row before, again
			id = fmt.Sprintf("p%d", i-1)
			badLines = append(badLines, line)
			dupMessages = append(dupMessages, fmt.Sprintf(`listings.csv:%d: patient_id %q finns redan på rad %d`, line, id, firstLine[id]))
		default:
			firstLine[id] = line
			unique++
		}
		fmt.Fprintf(&b, "%s,%s,E%d,d%d,0,K,1950\n", id, []string{"01", "25"}[i%2], i%13, i%29)
	}
	data := b.String()
	o := year2023
	o.By = ByEnhet
	var results []*Result
	for _, procs := range []int{1, 3} {
		old := runtime.GOMAXPROCS(procs)
		res := compute(t, data, visitHead, "", o)
		runtime.GOMAXPROCS(old)
		results = append(results, res)
		if res.PatientsListed != unique {
			t.Errorf("%d cores: %d listed, want %d", procs, res.PatientsListed, unique)
		}
		if len(res.Bad) != 1 || res.Bad[0].Count != len(badLines) {
			t.Fatalf("%d cores: bad rows %+v, want %d", procs, res.Bad, len(badLines))
		}
		reports := res.Bad[0].Reports
		if len(reports) != maxReported {
			t.Fatalf("%d cores: %d reports", procs, len(reports))
		}
		for i, r := range reports {
			if want := fmt.Sprintf("listings.csv:%d: ", badLines[i]); !strings.HasPrefix(r, want) {
				t.Errorf("%d cores: report %d = %q, want line %d", procs, i, r, badLines[i])
			}
		}
		checked := 0
		for _, want := range dupMessages {
			if line := strings.SplitN(want, ":", 3)[1]; !slices.ContainsFunc(reports, func(r string) bool { return strings.Contains(r, ":"+line+":") }) {
				continue // not among the reported
			}
			checked++
			if !slices.Contains(reports, want) {
				t.Errorf("%d cores: missing %q", procs, want)
			}
		}
		if checked < 2 {
			t.Errorf("%d cores: only %d duplicates among the reports; the test checks too little", procs, checked)
		}
		for _, row := range res.Rows {
			if row.Group == "ONLYDUP" {
				t.Errorf("%d cores: a group named only by duplicate rows is in the result", procs)
			}
		}
	}
	if !reflect.DeepEqual(results[0].Rows, results[1].Rows) {
		t.Error("the result depends on the number of workers")
	}
}

// TestBadRowsKeepsFirstLines adds bad rows out of order: the reports are
// the first by line, in line order once merged.
func TestBadRowsKeepsFirstLines(t *testing.T) {
	a, b := &BadRows{File: "f"}, &BadRows{File: "f"}
	for line := 60; line > 0; line -= 2 {
		a.add(line, "x", "", "fel")
	}
	for line := 61; line < 100; line += 2 {
		b.add(line, "x", "", "fel")
	}
	b.add(1, "x", "", "fel") // a duplicate found late, in the first chunk's place
	all := merge("f", []*BadRows{a, b})
	if all.Count != 30+20+1 {
		t.Errorf("count %d", all.Count)
	}
	want := []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38}
	for i, r := range all.Reports {
		if !strings.HasPrefix(r, fmt.Sprintf("f:%d: ", want[i])) {
			t.Errorf("report %d = %q, want line %d", i, r, want[i])
		}
	}
}
