package followup

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestContinuitySums groups pairs spread over several buckets, workers and
// segments, and compares each group's sums with a direct computation per
// patient.
func TestContinuitySums(t *testing.T) {
	const patients, groups = 3*bucketSpan + 1234, 5
	r := rand.New(rand.NewPCG(7, 8))
	people := make([]patient, patients)
	for i := range people {
		people[i].group = int32(r.IntN(groups))
	}
	visits := make([]map[uint32]int, patients) // per patient: visits per clinician
	lists := []*pairBuckets{new(pairBuckets), new(pairBuckets), new(pairBuckets)}
	for _, l := range lists {
		*l = newPairBuckets(patients, nil)
	}
	for range 400_000 {
		p := r.IntN(patients)
		if p%7 == 0 {
			p = patients - 1 - r.IntN(50) // the last, short bucket gets many
		}
		c := uint32(r.IntN(6))
		if visits[p] == nil {
			visits[p] = map[uint32]int{}
		}
		visits[p][c]++
		lists[r.IntN(len(lists))].add(int32(p), visitWord(0, c, true))
	}
	want := make([]cocSum, groups)
	for p, byClin := range visits {
		var n, sumSq, maxN int
		for _, k := range byClin {
			n, sumSq, maxN = n+k, sumSq+k*k, max(maxN, k)
		}
		if n < 2 {
			continue
		}
		s := &want[people[p].group]
		s.nA++
		s.cocA += float64(sumSq-n) / float64(n*(n-1))
		s.upcA += float64(maxN) / float64(n)
	}
	for _, workers := range []int{1, 2} {
		got := make([]cocSum, groups)
		parts, err := continuitySums(context.Background(), people, copyLists(lists), groups, groups, workers)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range parts {
			for g, s := range part {
				got[g].nA += s.nA
				got[g].cocA += s.cocA
				got[g].upcA += s.upcA
				if s.nL != s.nA || s.cocL != s.cocA || s.upcL != s.upcA {
					t.Errorf("group %d: every visit is to a physician, but the sums differ: %+v", g, s)
				}
			}
		}
		for g := range want {
			if got[g].nA != want[g].nA || math.Abs(got[g].cocA-want[g].cocA) > 1e-6 || math.Abs(got[g].upcA-want[g].upcA) > 1e-6 {
				t.Errorf("%d workers, group %d: got %+v, want %+v", workers, g, got[g], want[g])
			}
		}
	}
}

// copyLists copies the buckets' lists, which continuitySums releases.
func copyLists(lists []*pairBuckets) []*pairBuckets {
	var out []*pairBuckets
	for _, l := range lists {
		c := &pairBuckets{full: make([][]segment, len(l.full)), tail: make([]segment, len(l.tail))}
		for k := range l.full {
			c.full[k] = append([]segment(nil), l.full[k]...)
			c.tail[k] = l.tail[k]
		}
		out = append(out, c)
	}
	return out
}
