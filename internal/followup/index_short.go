package followup

import "math/bits"

// shortIndex is a read-only copy of an idIndex whose ids are all short,
// for looking up the clinicians of visits stored without a dictionary
// (CSV, DuckDB's Parquet at scale): 100 M lookups in a table of tens of
// thousands. A place holds the id's bytes as one integer (pack), so a
// lookup multiplies for its hash and compares integers: no hash function
// call, no tag or length. That is exact only for ids of 1 to 8 bytes
// without a zero byte (pack pads with zeros), so the copy is made only
// when every id of the index is one, and an id looked up that is not
// goes to the index itself.
type shortIndex struct {
	keys  []uint64 // packed ids, 0 for an empty place
	ids   []int32
	shift uint // 64 − log₂ of the places
	mask  uint64
}

// newShortIndex copies x, or returns nil if x is empty (no clinicians
// file) or one of its ids is not short.
func newShortIndex(x *idIndex) *shortIndex {
	if x.n == 0 {
		return nil
	}
	n := 1 << bits.Len(uint(slotsFor(x.n)))
	t := &shortIndex{keys: make([]uint64, n), ids: make([]int32, n), shift: uint(64 - bits.TrailingZeros(uint(n))), mask: uint64(n - 1)}
	var buf [shortKey]byte
	for _, s := range x.slots {
		if s.meta == 0 {
			continue
		}
		key := x.keyOf(s, &buf)
		k := pack(key)
		if !plainShort(key, k) {
			return nil
		}
		i := t.home(k)
		for t.keys[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.keys[i], t.ids[i] = k, int32(uint32(s.meta))
	}
	if t.longestRun() > maxShortRun {
		return nil
	}
	return t
}

// maxShortRun bounds the places a lookup in a shortIndex may probe. Its
// hash has no seed, so ids made to collide (or a rare unlucky set) could
// make each of 100 M lookups walk a long run of full places; such a set
// is looked up in the seeded index instead. Ids of every shape tried ran
// to at most about a hundred places at the fullest table.
var maxShortRun = 512

// longestRun is the most full places side by side, the table's end
// joined to its start.
func (t *shortIndex) longestRun() int {
	best, run := 0, 0
	for i := range 2 * len(t.keys) {
		run++
		if t.keys[i&int(t.mask)] == 0 {
			run = 0
		}
		best = max(best, run)
	}
	return best
}

func (t *shortIndex) home(k uint64) uint64 { return k * 0x9e3779b97f4a7c15 >> t.shift }

// plainShort reports whether key, packed as k, is 1 to 8 bytes without a
// zero byte: the ids a packed integer tells apart.
func plainShort(key []byte, k uint64) bool {
	if len(key) == 0 || len(key) > shortKey {
		return false
	}
	v := k | ^uint64(0)<<(8*len(key)) // the padding made non-zero (none at 8 bytes: a shift by 64 is 0)
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return (v-ones)&^v&highs == 0
}

// lookupBatch is idIndex.lookupBatch for the clinicians: the short ids
// here, the others in x. packed is room for the keys packed: every key's
// place is loaded first, so that their cache misses overlap.
func (t *shortIndex) lookupBatch(x *idIndex, keys [][]byte, packed []uint64, ids []int32, found []bool) uint64 {
	var touch uint64
	for j, key := range keys {
		packed[j] = pack(key)
		touch += t.keys[t.home(packed[j])]
	}
	for j, key := range keys {
		if !plainShort(key, packed[j]) {
			ids[j], found[j] = x.lookup(key)
			continue
		}
		ids[j], found[j] = t.find(packed[j])
	}
	return touch
}

func (t *shortIndex) find(k uint64) (int32, bool) {
	for i := t.home(k); ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return t.ids[i], true
		case 0:
			return 0, false
		}
	}
}
