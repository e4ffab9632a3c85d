package followup

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// A visit is kept as a pair of its patient and its visit word until the
// continuity is computed; the visit word is period << 28 | clinician << 1
// | physician (visitWord). Sorted, a patient's visit words come period by
// period, a clinician's visits side by side, so one pass over them gives
// the continuity to physicians and to all contacts in every period. The
// pairs are kept in buckets by ranges of bucketSpan patients: a worker
// writes to a few hundred places at most, whose ends stay in the cache,
// and one bucket is later grouped by patient within the cache. Grouping
// all pairs at once moved each pair to a random place in an array of
// hundreds of megabytes. Within a bucket the patient is its offset from
// the bucket's first, 16 bits, so a pair takes 6 bytes, not 8: the pairs
// are nearly all the memory a run takes.
const (
	bucketBits  = 15
	bucketSpan  = 1 << bucketBits
	pairSegment = 1 << 12 // pairs per segment
)

// segment is a run of pairs of one bucket: each pair's patient offset and
// visit word.
type segment struct {
	offs  []uint16
	words []uint32
}

// pairBuckets holds one worker's pairs, each bucket a list of segments of
// a fixed size, so that it grows without copying.
type pairBuckets struct {
	full [][]segment   // per bucket, its full segments
	tail []segment     // per bucket, the segment being filled
	made *atomic.Int64 // the segments made by all workers, if counted (collect)
}

// bucketsFor is the number of buckets for the listed patients.
func bucketsFor(patients int) int { return (patients + bucketSpan - 1) / bucketSpan }

// newPairBuckets makes a worker's buckets; the workers of one run share
// the count of their segments.
func newPairBuckets(patients int, made *atomic.Int64) pairBuckets {
	n := bucketsFor(patients)
	return pairBuckets{full: make([][]segment, n), tail: make([]segment, n), made: made}
}

// The pairs are nearly all the memory a large run holds, all of it live.
// The garbage the readers make besides (pages, dictionaries) is small,
// but the collector lets the heap grow to twice what was live at its last
// run before it runs again: at 3 GB of pairs that was 600 MB more. From
// collectFrom segments on, the collector is run each collectEvery
// segments, so the garbage never grows far beyond what 512 MB of pairs
// bring. Each run costs about a tenth of a second: the pairs hold no
// pointers and are not scanned.
const (
	segmentBytes = pairSegment * 6
	collectFrom  = 1 << 30 / segmentBytes
	collectEvery = 512 << 20 / segmentBytes
)

// collect runs the collector when the segments made reach a mark.
func collect(segments *atomic.Int64) {
	if segments == nil {
		return
	}
	if n := segments.Add(1); n >= collectFrom && (n-collectFrom)%collectEvery == 0 {
		runtime.GC()
	}
}

// add keeps a pair of a listed patient and a visit word.
func (b *pairBuckets) add(patient int32, word uint32) {
	k := patient >> bucketBits
	t := &b.tail[k]
	if len(t.words) == cap(t.words) {
		if t.words != nil {
			b.full[k] = append(b.full[k], *t)
		}
		collect(b.made)
		*t = segment{offs: make([]uint16, 0, pairSegment), words: make([]uint32, 0, pairSegment)}
	}
	t.offs = append(t.offs, uint16(patient&(bucketSpan-1)))
	t.words = append(t.words, word)
}

// segments calls fn with each of bucket k's segments.
func (b *pairBuckets) segments(k int, fn func(seg segment)) {
	for _, seg := range b.full[k] {
		fn(seg)
	}
	if len(b.tail[k].words) > 0 {
		fn(b.tail[k])
	}
}

// release lets bucket k's pairs go.
func (b *pairBuckets) release(k int) { b.full[k], b.tail[k] = nil, segment{} }

// Layout of a visit word.
const (
	periodShift = 28
	clinBits    = 27 // the clinician field, localClin its top bit
	clinMask    = 1<<clinBits - 1
	physBit     = 1
)

// visitWord packs a visit's period, clinician and whether it is to a
// physician.
func visitWord(period int, clin uint32, physician bool) uint32 {
	w := uint32(period)<<periodShift | clin<<1
	if physician {
		w |= physBit
	}
	return w
}

// cocSum is one group's continuity sums in one period over some patients:
// to physicians (L), to all contacts (A) and to physicians for SÄBO
// residents (S); n counts the patients with at least two such visits.
type cocSum struct {
	nL, nA, nS             int
	cocL, upcL, cocA, upcA float64
	cocS                   float64
}

func (s *cocSum) add(o cocSum) {
	s.nL, s.nA, s.nS = s.nL+o.nL, s.nA+o.nA, s.nS+o.nS
	s.cocL, s.upcL, s.cocA, s.upcA, s.cocS = s.cocL+o.cocL, s.upcL+o.upcL, s.cocA+o.cocA, s.upcA+o.upcA, s.cocS+o.cocS
}

// cocRanges is how many ranges of buckets the continuity figures are
// summed in. Fixed, so that the sums are added in the same order whatever
// the number of cores, and the result is the same everywhere.
const cocRanges = 64

// continuitySums groups the workers' pairs by patient, one bucket at a
// time, computes each patient's COC and UPC per period and sums them per
// period and group (slots of them, period × groups + group): one []cocSum
// per range of buckets, in order. The pairs are released as their buckets
// are done.
//
// It stops early when ctx ends, and a panic in a worker becomes its error.
func continuitySums(ctx context.Context, people []patient, pairs []*pairBuckets, slots, groups, workers int) ([][]cocSum, error) {
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
					sums := make([]cocSum, slots)
					for k := buckets * r / cocRanges; k < buckets*(r+1)/cocRanges; k++ {
						g.bucket(k, people, pairs, sums, groups, slots/groups)
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
	ends  []uint32 // per patient and period of the bucket: the end of its visits in clins
	clins []uint32
}

// bucket groups bucket k's pairs by patient and period, a counting sort,
// and adds its patients' continuity to sums. Grouped by period too, a
// patient's visits of five years are sorted as five short runs, not one
// long one: sorting was most of the computation of several periods.
func (g *grouper) bucket(k int, people []patient, pairs []*pairBuckets, sums []cocSum, groups, periods int) {
	lo := k * bucketSpan
	hi := min(lo+bucketSpan, len(people))
	ends := slices.Grow(g.ends[:0], (hi-lo)*periods)[:(hi-lo)*periods]
	clear(ends)
	for _, b := range pairs {
		b.segments(k, func(seg segment) {
			if periods == 1 {
				for _, off := range seg.offs {
					ends[off]++
				}
				return
			}
			for j, off := range seg.offs {
				ends[int(off)*periods+int(seg.words[j]>>periodShift)]++
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
		b.segments(k, func(seg segment) {
			for j, off := range seg.offs {
				at := int(off)*periods + int(seg.words[j]>>periodShift)
				clins[ends[at]] = seg.words[j]
				ends[at]++
			}
		})
		b.release(k)
	}
	continuity(people[lo:hi], ends, clins, sums, groups, periods)
	g.ends, g.clins = ends, clins
}

// continuity computes, per period, the COC and UPC of each patient with
// at least two visits in it (to physicians; to anyone) and adds them to
// the patient's group in sums[period*groups+group]. Patient i's visit
// words in period p are clins[ends[i*periods+p-1]:ends[i*periods+p]].
func continuity(people []patient, ends []uint32, clins []uint32, sums []cocSum, groups, periods int) {
	var start uint32
	for i, p := range people {
		for per := range periods {
			end := ends[i*periods+per]
			visits := clins[start:end]
			start = end
			if len(visits) < 2 {
				continue
			}
			slices.Sort(visits)
			patientContinuity(visits, p.sabo, &sums[per*groups+int(p.group)])
		}
	}
}

// patientContinuity adds one patient's continuity in one period, from
// its sorted visit words, to s.
func patientContinuity(visits []uint32, sabo bool, s *cocSum) {
	var nA, sqA, maxA, nL, sqL, maxL int
	for j := 0; j < len(visits); {
		c := visits[j] >> 1
		k, phys := j, 0
		for k < len(visits) && visits[k]>>1 == c {
			phys += int(visits[k] & physBit)
			k++
		}
		n := k - j
		nA, sqA, maxA = nA+n, sqA+n*n, max(maxA, n)
		nL, sqL, maxL = nL+phys, sqL+phys*phys, max(maxL, phys)
		j = k
	}
	if nA >= 2 {
		s.nA++
		s.cocA += float64(sqA-nA) / float64(nA*(nA-1))
		s.upcA += float64(maxA) / float64(nA)
	}
	if nL >= 2 {
		coc := float64(sqL-nL) / float64(nL*(nL-1))
		s.nL++
		s.cocL += coc
		s.upcL += float64(maxL) / float64(nL)
		if sabo {
			s.nS++
			s.cocS += coc
		}
	}
}
