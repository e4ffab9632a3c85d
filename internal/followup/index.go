package followup

import (
	"encoding/binary"
	"hash/maphash"
)

// maxIDLen bounds an id, so that its length fits the index's byte.
const maxIDLen = 255

// tooLong is the reason given for a longer id.
const tooLong = "är längre än 255 byte"

// idIndex numbers the listed patients' ids densely, in the order they are
// added. It is an open-addressing hash table whose slots and keys are
// plain integers and bytes: ten million ids cost two allocations and
// nothing for the garbage collector to scan, and a lookup touches two
// cache lines (the slot, and the key with its number). Lookups are safe
// from several goroutines once adding has ended.
type idIndex struct {
	seed  maphash.Seed
	slots []uint64 // 0 empty, else tag (hash's top 24 bits) << 40 | key's arena offset + 1
	mask  uint64
	arena []byte // per key: number (4 bytes), length (1 byte), the key
	n     int
}

const (
	offsetBits = 40
	offsetMask = 1<<offsetBits - 1
)

func newIDIndex() *idIndex {
	return &idIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1024), mask: 1023}
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
	x.arena = grow(x.arena, n*(5+keyLen))
}

// add numbers key, at most maxIDLen bytes, unless the index has it
// already, and returns its number and whether it was new.
func (x *idIndex) add(key []byte) (int32, bool) {
	return x.addHashed(key, maphash.Bytes(x.seed, key))
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
		touch += x.slots[h&x.mask]
	}
	return touch
}

// addHashed is add with the key's hash already made.
func (x *idIndex) addHashed(key []byte, h uint64) (int32, bool) {
	if slotsFor(x.n+1) > len(x.slots) {
		x.resize(2 * len(x.slots))
	}
	tag := h >> offsetBits
	i := h & x.mask
	for ; x.slots[i] != 0; i = (i + 1) & x.mask {
		s := x.slots[i]
		if s>>offsetBits != tag {
			continue
		}
		e := x.arena[s&offsetMask-1:]
		if int(e[4]) == len(key) && string(e[5:5+len(key)]) == string(key) {
			return int32(binary.LittleEndian.Uint32(e)), false
		}
	}
	id := int32(x.n)
	off := uint64(len(x.arena))
	x.arena = binary.LittleEndian.AppendUint32(x.arena, uint32(id))
	x.arena = append(x.arena, byte(len(key)))
	x.arena = append(x.arena, key...)
	x.slots[i] = tag<<offsetBits | (off + 1)
	x.n++
	return id, true
}

func (x *idIndex) place(h, off uint64) {
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		if x.slots[i] == 0 {
			x.slots[i] = h>>offsetBits<<offsetBits | (off + 1)
			return
		}
	}
}

// resize makes the table at least size slots (a power of two) and places
// every key again.
func (x *idIndex) resize(size int) {
	n := len(x.slots)
	for n < size {
		n *= 2
	}
	x.slots = make([]uint64, n)
	hugePages(x.slots)
	x.mask = uint64(n - 1)
	for off := 0; off < len(x.arena); {
		n := int(x.arena[off+4])
		key := x.arena[off+5 : off+5+n]
		x.place(maphash.Bytes(x.seed, key), uint64(off))
		off += 5 + n
	}
}

// grow is slices.Grow for a large slice: the new array is made, not
// cleared (memory fresh from the system is zero already, and clearing it
// would touch every page at once, with small pages), and asked for huge
// pages before it is touched.
func grow[T any](s []T, n int) []T {
	if n <= cap(s)-len(s) {
		return s
	}
	g := make([]T, len(s), len(s)+n)
	hugePages(g)
	copy(g, s)
	return g
}

// lookup returns key's number, if it has one.
func (x *idIndex) lookup(key []byte) (int32, bool) {
	if len(key) > maxIDLen {
		return 0, false
	}
	return x.find(key, maphash.Bytes(x.seed, key))
}

func (x *idIndex) find(key []byte, h uint64) (int32, bool) {
	tag := h >> offsetBits
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>offsetBits != tag {
			continue
		}
		e := x.arena[s&offsetMask-1:]
		if int(e[4]) == len(key) && string(e[5:5+len(key)]) == string(key) {
			return int32(binary.LittleEndian.Uint32(e)), true
		}
	}
}

// lookupBatch looks up many keys at once: first every key's slot is
// loaded, then every first candidate key, then the keys are compared.
// The loads of one phase do not depend on each other, so the processor
// waits for many cache misses at once instead of one after the other.
// found[i] is false for a key the index lacks. The result is of no use
// but must be kept, lest the compiler drop the loads.
func (x *idIndex) lookupBatch(keys [][]byte, hashes []uint64, ids []int32, found []bool) uint64 {
	for i, k := range keys {
		hashes[i] = maphash.Bytes(x.seed, k)
	}
	touch := x.prefetch(hashes)
	for _, h := range hashes {
		if s := x.slots[h&x.mask]; s != 0 {
			touch += uint64(x.arena[s&offsetMask-1])
		}
	}
	for i, k := range keys {
		ids[i], found[i] = 0, false
		if len(k) <= maxIDLen {
			ids[i], found[i] = x.find(k, hashes[i])
		}
	}
	return touch
}
