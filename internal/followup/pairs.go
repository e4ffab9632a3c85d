package followup

import (
	"context"
	"slices"
	"sync"
)

// A visit is kept as a pair, patient << 32 | clinician, until the
// continuity is computed. The pairs are kept in buckets by ranges of
// bucketSpan patients: a worker writes to a few hundred places at most,
// whose ends stay in the cache, and one bucket is later grouped by patient
// within the cache. Grouping all pairs at once moved each pair to a random
// place in an array of hundreds of megabytes.
const (
	bucketBits  = 15
	bucketSpan  = 1 << bucketBits
	pairSegment = 1 << 12 // pairs per segment
)

// pairBuckets holds one worker's pairs, each bucket a list of segments of
// a fixed size, so that it grows without copying.
type pairBuckets struct {
	full [][][]uint64 // per bucket, its full segments
	tail [][]uint64   // per bucket, the segment being filled
}

// bucketsFor is the number of buckets for the listed patients.
func bucketsFor(patients int) int { return (patients + bucketSpan - 1) / bucketSpan }

func newPairBuckets(patients int) pairBuckets {
	n := bucketsFor(patients)
	return pairBuckets{full: make([][][]uint64, n), tail: make([][]uint64, n)}
}

// add keeps a pair; its patient must be listed.
func (b *pairBuckets) add(pc uint64) {
	k := pc >> (32 + bucketBits)
	t := b.tail[k]
	if len(t) == cap(t) {
		if t != nil {
			b.full[k] = append(b.full[k], t)
		}
		t = make([]uint64, 0, pairSegment)
	}
	b.tail[k] = append(t, pc)
}

// segments calls fn with each of bucket k's segments.
func (b *pairBuckets) segments(k int, fn func(seg []uint64)) {
	for _, seg := range b.full[k] {
		fn(seg)
	}
	if len(b.tail[k]) > 0 {
		fn(b.tail[k])
	}
}

// release lets bucket k's pairs go.
func (b *pairBuckets) release(k int) { b.full[k], b.tail[k] = nil, nil }

// cocSum is one group's continuity sums over some patients.
type cocSum struct {
	n        int
	coc, upc float64
}

// cocRanges is how many ranges of buckets the continuity figures are
// summed in. Fixed, so that the sums are added in the same order whatever
// the number of cores, and the result is the same everywhere.
const cocRanges = 64

// continuitySums groups the workers' pairs by patient, one bucket at a
// time, computes each patient's COC and UPC and sums them per group: one
// cocSum per range of buckets, in order. The pairs are released as their
// buckets are done.
//
// It stops early when ctx ends, and a panic in a worker becomes its error.
func continuitySums(ctx context.Context, people []patient, pairs []*pairBuckets, groups, workers int) ([][]cocSum, error) {
	buckets := bucketsFor(len(people))
	parts := make([][]cocSum, cocRanges)
	errs := make([]error, cocRanges)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var g grouper
			for r := range next {
				errs[r] = safely("besök", func() error {
					if err := ctx.Err(); err != nil {
						return err
					}
					sums := make([]cocSum, groups)
					for k := buckets * r / cocRanges; k < buckets*(r+1)/cocRanges; k++ {
						g.bucket(k, people, pairs, sums)
					}
					parts[r] = sums
					return nil
				})
			}
		})
	}
	for r := range cocRanges {
		next <- r
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// grouper is one worker's working space for grouping a bucket.
type grouper struct {
	ends  []uint32 // per patient of the bucket: the end of its visits in clins
	clins []uint32
}

// bucket groups bucket k's pairs by patient, a counting sort, and adds
// its patients' continuity to sums.
func (g *grouper) bucket(k int, people []patient, pairs []*pairBuckets, sums []cocSum) {
	lo := k * bucketSpan
	hi := min(lo+bucketSpan, len(people))
	ends := append(g.ends[:0], make([]uint32, hi-lo)...)
	for _, b := range pairs {
		b.segments(k, func(seg []uint64) {
			for _, pc := range seg {
				ends[int(pc>>32)-lo]++
			}
		})
	}
	var total uint32
	for i, n := range ends {
		ends[i] = total
		total += n
	}
	clins := slices.Grow(g.clins[:0], int(total))[:total]
	for _, b := range pairs {
		b.segments(k, func(seg []uint64) {
			for _, pc := range seg {
				i := int(pc>>32) - lo
				clins[ends[i]] = uint32(pc)
				ends[i]++
			}
		})
		b.release(k)
	}
	continuity(people[lo:hi], ends, clins, sums)
	g.ends, g.clins = ends, clins
}

// continuity computes the COC and UPC of each patient with at least two
// visits and adds them to the patient's group. Patient i's clinicians are
// clins[ends[i-1]:ends[i]].
func continuity(people []patient, ends []uint32, clins []uint32, sums []cocSum) {
	var start uint32
	for i, p := range people {
		visits := clins[start:ends[i]]
		start = ends[i]
		total := len(visits)
		if total < 2 {
			continue
		}
		slices.Sort(visits)
		var sumSq, maxN int
		for j := 0; j < total; {
			k := j + 1
			for k < total && visits[k] == visits[j] {
				k++
			}
			sumSq, maxN = sumSq+(k-j)*(k-j), max(maxN, k-j)
			j = k
		}
		s := &sums[p.group]
		s.n++
		s.coc += float64(sumSq-total) / float64(total*(total-1))
		s.upc += float64(maxN) / float64(total)
	}
}
