package followup

import (
	"encoding/binary"
	"hash/maphash"
)

// maxIDLen bounds an id: a row with a longer one is a bad row.
const maxIDLen = 255

// tooLong is the reason given for a longer id.
const tooLong = "är längre än 255 byte"

// idIndex numbers the listed patients' ids densely, in the order they are
// added. It is an open-addressing hash table of plain integers and bytes:
// ten million ids cost two allocations and nothing for the garbage
// collector to scan. A slot holds the key's number, length and hash tag,
// and a key of at most 8 bytes itself, so that looking such a key up
// touches one cache line; a longer key lies in the arena, a second line.
// Lookups are safe from several goroutines once adding has ended.
type idIndex struct {
	seed  maphash.Seed
	slots []slot
	mask  uint64
	arena []byte // the keys longer than shortKey, each after its length (4 bytes)
	hint  int    // bytes to make room for in the arena when the first long key comes (reserve)
	n     int
}

// slot is one place of the table.
type slot struct {
	key  uint64 // a short key's bytes, little-endian and zero-padded; a long key's arena offset
	meta uint64 // tag (the hash's top 24 bits) << 40 | lengthField(key) << 32 | number; 0 for an empty slot
}

const (
	shortKey = 8 // the longest key kept in its slot
	tagShift = 40
	numMask  = 1<<32 - 1
)

func newIDIndex() *idIndex {
	return &idIndex{seed: maphash.MakeSeed(), slots: make([]slot, 1024), mask: 1023}
}

// slotsFor is the table size n keys need: at most 70 % full, where a
// lookup still probes about two slots, mostly on one cache line.
func slotsFor(n int) int { return n + n*3/7 + 1 }

// len is the number of ids.
func (x *idIndex) len() int { return x.n }

// reserve makes room for n more keys of about keyLen bytes each.
func (x *idIndex) reserve(n, keyLen int) {
	if n <= 0 {
		return
	}
	if need := slotsFor(x.n + n); need > len(x.slots) {
		x.resize(need)
	}
	x.hint = n * (4 + keyLen) // only if long keys come
}

// add numbers key, unless the index has it already, and returns its
// number and whether it was new.
func (x *idIndex) add(key []byte) (int32, bool) {
	return x.addHashed(key, x.hash(key))
}

// hash is key's hash, for addHashed and prefetch.
func (x *idIndex) hash(key []byte) uint64 { return maphash.Bytes(x.seed, key) }

// prefetch loads the slots of the hashes, so that adding them after finds
// them in the cache: the loads do not depend on each other, and the
// processor waits for many at once. The result is of no use but must be
// kept, lest the compiler drop the loads.
func (x *idIndex) prefetch(hashes []uint64) uint64 {
	var touch uint64
	for _, h := range hashes {
		touch += x.slots[h&x.mask].meta
	}
	return touch
}

// pack is a short key as a slot holds it. A key that is a part of a
// larger buffer, as the readers' are, is read in one load and the bytes
// past its end masked off.
func pack(key []byte) uint64 {
	if cap(key) >= shortKey {
		v := binary.LittleEndian.Uint64(key[:shortKey])
		if n := len(key); n < shortKey {
			v &= 1<<(8*n) - 1
		}
		return v
	}
	var b [shortKey]byte
	copy(b[:], key)
	return binary.LittleEndian.Uint64(b[:])
}

// probe is what a slot of key with hash h has in meta, less the number.
func probe(key []byte, h uint64) uint64 {
	return h>>tagShift<<tagShift | lengthField(len(key))<<32
}

// lengthField is a key's length as a slot's meta holds it: one more than
// the length, at most 255 (a longer key's length is in the arena), so that
// a slot holding the empty key is not taken for an empty slot.
func lengthField(n int) uint64 { return uint64(min(n, 254) + 1) }

// keyLen is the length a slot's meta says, for keys of at most 253 bytes.
func keyLen(meta uint64) int { return int(meta>>32&0xff) - 1 }

// holds reports whether slot s, whose meta matches, holds key.
func (x *idIndex) holds(s slot, key []byte, packed uint64) bool {
	if len(key) <= shortKey {
		return s.key == packed
	}
	e := x.arena[s.key:]
	return int(binary.LittleEndian.Uint32(e)) == len(key) && string(e[4:4+len(key)]) == string(key)
}

// addHashed is add with the key's hash already made.
func (x *idIndex) addHashed(key []byte, h uint64) (int32, bool) {
	if slotsFor(x.n+1) > len(x.slots) {
		x.resize(2 * len(x.slots))
	}
	want, packed := probe(key, h), pack(key)
	i := h & x.mask
	for ; x.slots[i].meta != 0; i = (i + 1) & x.mask {
		if s := x.slots[i]; s.meta&^numMask == want && x.holds(s, key, packed) {
			return int32(uint32(s.meta)), false
		}
	}
	id := int32(x.n)
	k := packed
	if len(key) > shortKey {
		if x.hint > 0 {
			x.arena, x.hint = grow(x.arena, x.hint), 0
			hugePages(x.arena) // read at random, as the slots are
		}
		k = uint64(len(x.arena))
		x.arena = binary.LittleEndian.AppendUint32(x.arena, uint32(len(key)))
		x.arena = append(x.arena, key...)
	}
	x.slots[i] = slot{key: k, meta: want | uint64(uint32(id))}
	x.n++
	return id, true
}

// keyOf is the key slot s holds; buf is room for a short one.
func (x *idIndex) keyOf(s slot, buf *[shortKey]byte) []byte {
	n := keyLen(s.meta)
	if n > shortKey {
		e := x.arena[s.key:]
		return e[4 : 4+binary.LittleEndian.Uint32(e)]
	}
	binary.LittleEndian.PutUint64(buf[:], s.key)
	return buf[:n]
}

// resize makes the table at least size slots (a power of two) and places
// every key again.
func (x *idIndex) resize(size int) {
	n := len(x.slots)
	for n < size {
		n *= 2
	}
	old := x.slots
	x.slots = make([]slot, n)
	hugePages(x.slots)
	x.mask = uint64(n - 1)
	var buf [shortKey]byte
	for _, s := range old {
		if s.meta == 0 {
			continue
		}
		h := x.hash(x.keyOf(s, &buf))
		i := h & x.mask
		for x.slots[i].meta != 0 {
			i = (i + 1) & x.mask
		}
		x.slots[i] = slot{key: s.key, meta: h>>tagShift<<tagShift | s.meta&(1<<tagShift-1)}
	}
}

// grow is slices.Grow for a large slice: the new array is made, not
// cleared. Memory fresh from the system is zero already, and clearing it
// would touch every page at once.
func grow[T any](s []T, n int) []T {
	if n <= cap(s)-len(s) {
		return s
	}
	g := make([]T, len(s), len(s)+n)
	copy(g, s)
	return g
}

// lookup returns key's number, if it has one.
func (x *idIndex) lookup(key []byte) (int32, bool) {
	return x.find(key, x.hash(key))
}

func (x *idIndex) find(key []byte, h uint64) (int32, bool) {
	want, packed := probe(key, h), pack(key)
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		s := x.slots[i]
		if s.meta == 0 {
			return 0, false
		}
		if s.meta&^numMask == want && x.holds(s, key, packed) {
			return int32(uint32(s.meta)), true
		}
	}
}

// lookupBatch looks up many keys at once: first every key's slot is
// loaded, then every first candidate's long key, then the keys are
// compared. The loads of one phase do not depend on each other, so the
// processor waits for many cache misses at once instead of one after the
// other. found[i] is false for a key the index lacks. The result is of no
// use but must be kept, lest the compiler drop the loads.
func (x *idIndex) lookupBatch(keys [][]byte, hashes []uint64, ids []int32, found []bool) uint64 {
	for i, k := range keys {
		hashes[i] = x.hash(k)
	}
	touch := x.prefetch(hashes)
	if len(x.arena) > 0 {
		for _, h := range hashes {
			if s := x.slots[h&x.mask]; keyLen(s.meta) > shortKey {
				touch += uint64(x.arena[s.key])
			}
		}
	}
	for i, k := range keys {
		ids[i], found[i] = x.find(k, hashes[i])
	}
	return touch
}
