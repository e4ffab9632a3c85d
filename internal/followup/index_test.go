package followup

import (
	"fmt"
	"strings"
	"testing"
)

// TestIDIndexShortAndLongKeys adds short keys (kept in their slots) and long ones (kept in
// the arena), among them keys that differ only by trailing zero bytes,
// through several resizes, and finds each by its number, alone and in
// batches, while absent keys are not found.
func TestIDIndexShortAndLongKeys(t *testing.T) {
	var keys []string
	for i := range 5000 {
		keys = append(keys, fmt.Sprint("P", i), fmt.Sprintf("19%010d", i), strings.Repeat("x", i%40+1))
	}
	keys = append(keys, "", "AB", "AB\x00", "AB\x00\x00", "\x00", "12345678", "123456789", strings.Repeat("z", maxIDLen), strings.Repeat("z", 1000), strings.Repeat("z", 1001))
	x := newIDIndex()
	want := map[string]int32{}
	for _, k := range keys {
		id, added := x.add([]byte(k))
		if _, seen := want[k]; seen == added {
			t.Fatalf("add(%q): added %v twice or never", k, added)
		}
		if added {
			want[k] = id
		}
	}
	if x.len() != len(want) {
		t.Fatalf("%d ids, want %d", x.len(), len(want))
	}
	for k, id := range want {
		if got, ok := x.lookup([]byte(k)); !ok || got != id {
			t.Errorf("lookup(%q) = %d %v, want %d", k, got, ok, id)
		}
	}
	absent := []string{"A", "AB\x00\x00\x00", "P-1", "1234567", "12345678 ", strings.Repeat("x", 41), strings.Repeat("z", maxIDLen+1), strings.Repeat("z", 999), strings.Repeat("y", 1000), "\x00\x00"}
	for _, k := range absent {
		if _, ok := x.lookup([]byte(k)); ok {
			t.Errorf("lookup(%q) found an absent key", k)
		}
	}
	batch := append(append([]string(nil), keys[:200]...), absent...)
	var l lookups
	l.make(len(batch))
	for i, k := range batch {
		l.keys[i] = []byte(k)
	}
	l.lookup(x, len(batch))
	for i, k := range batch {
		id, ok := want[k]
		if l.found[i] != ok || (ok && l.ids[i] != id) {
			t.Errorf("batch %q: %d %v, want %d %v", k, l.ids[i], l.found[i], id, ok)
		}
	}
}

// TestPack packs short keys alone and as parts of larger buffers, whose
// further bytes must not count.
func TestPack(t *testing.T) {
	buf := []byte("P12345678xyz")
	for n := 0; n <= shortKey; n++ {
		alone := append([]byte(nil), buf[:n]...)
		want := pack(alone[:n:n])
		if got := pack(buf[:n]); got != want {
			t.Errorf("pack(%q) in a buffer = %x, alone %x", buf[:n], got, want)
		}
		if got := pack(buf[3 : 3+n]); n <= 8 && got != pack(append([]byte(nil), buf[3:3+n]...)[:n:n]) {
			t.Errorf("pack(%q) at 3 = %x", buf[3:3+n], got)
		}
	}
	if pack([]byte("AB")) == pack([]byte("AC")) || pack([]byte("A")) != pack([]byte("A\x00")[:1]) {
		t.Error("pack does not tell keys apart by their bytes")
	}
}

// TestShortIndex looks up, in the copy of an index of short ids, ids of
// every kind: short ones present and absent, ids that differ from a
// present one only by a zero byte, empty, eight bytes and longer (the
// last looked up in the index itself); and makes no copy of an index
// that holds an id the copy cannot tell apart.
func TestShortIndex(t *testing.T) {
	x := newIDIndex()
	for i := range 40000 {
		x.add(fmt.Appendf(nil, "L%d-%d", i/10, i%10))
	}
	x.add([]byte("12345678"))
	s := newShortIndex(x)
	if s == nil {
		t.Fatal("no copy of an index of short ids")
	}
	queries := []string{"", "L1", "L1-1", "L1-1\x00", "L1\x00-1", "\x00", "12345678", "1234567", "123456789", "L3999-9", "L4000-0", strings.Repeat("L", 300)}
	for i := range 2000 {
		queries = append(queries, fmt.Sprintf("L%d-%d", i*3, i%12))
	}
	keys := make([][]byte, len(queries))
	for i, q := range queries {
		keys[i] = append(make([]byte, 0, len(q)+8), q...) // bytes after the id, as in a page
		keys[i] = append(keys[i], "\x01\x02\x03\x04\x05\x06\x07\x08"...)[:len(q)]
	}
	ids, found := make([]int32, len(keys)), make([]bool, len(keys))
	s.lookupBatch(x, keys, make([]uint64, len(keys)), ids, found)
	for i, k := range keys {
		id, ok := x.lookup(k)
		if found[i] != ok || (ok && ids[i] != id) {
			t.Errorf("%q: %d %v, the index has %d %v", k, ids[i], found[i], id, ok)
		}
	}
	for _, odd := range []string{"L1\x00", "123456789"} {
		y := newIDIndex()
		y.add([]byte("L1"))
		y.add([]byte(odd))
		if newShortIndex(y) != nil {
			t.Errorf("a copy of an index holding %q", odd)
		}
	}
}

// TestShortIndexLongRun makes no copy of an index whose ids fill a long
// run of places, and one when the bound allows it.
func TestShortIndexLongRun(t *testing.T) {
	x := newIDIndex()
	for i := range 3000 {
		x.add(fmt.Appendf(nil, "K%d", i))
	}
	run := newShortIndex(x).longestRun()
	defer func(old int) { maxShortRun = old }(maxShortRun)
	maxShortRun = run - 1
	if newShortIndex(x) != nil {
		t.Errorf("a copy with a run of %d places, more than %d", run, maxShortRun)
	}
	maxShortRun = run
	if newShortIndex(x) == nil {
		t.Errorf("no copy with a run of %d places", run)
	}
}
