package audit

import (
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	for i := range n {
		e := Entry{At: time.Date(2023, 11, 15, 10, i, 0, 0, time.UTC), Actor: "a@region.se", Org: "region-25",
			Action: "requisition.sign", Object: "requisition:x", Detail: `{"amount_kr":100}`}
		var prev *Entry
		if len(out) > 0 {
			prev = &out[len(out)-1]
		}
		out = append(out, Seal(e, prev))
	}
	return out
}

func TestVerify(t *testing.T) {
	if b := Verify(chain(5)); b != nil {
		t.Fatalf("intact chain broken: %v", b)
	}
	altered := chain(5)
	altered[2].Detail = `{"amount_kr":1000000}`
	if b := Verify(altered); b == nil || b.Seq != 3 {
		t.Errorf("altered row: %v", b)
	}
	removed := chain(5)
	removed = append(removed[:1], removed[2:]...)
	if b := Verify(removed); b == nil || b.Seq != 2 {
		t.Errorf("removed row: %v", b)
	}
	rehashed := chain(5)
	rehashed[1].Actor = "mallory"
	rehashed[1].Hash = rehashed[1].Sum()
	if b := Verify(rehashed); b == nil || b.Seq != 3 {
		t.Errorf("rehashed row: %v", b)
	}
	last := chain(3)
	if b := Verify(last[:2]); b != nil {
		t.Errorf("truncated tail is a prefix: %v", b)
	}
}

func TestFieldBoundaries(t *testing.T) {
	a := Entry{Actor: "ab", Org: "c"}
	b := Entry{Actor: "a", Org: "bc"}
	if a.Sum() == b.Sum() {
		t.Error("moving text between fields kept the hash")
	}
}

// hashedFields alters, one at a time, every field that goes into an
// entry's hash. Leaving one out of Sum must fail TestEveryFieldIsHashed.
var hashedFields = []struct {
	field string
	alter func(e *Entry)
}{
	{"Seq", func(e *Entry) { e.Seq++ }},
	{"At", func(e *Entry) { e.At = e.At.Add(time.Second) }},
	{"At by a microsecond", func(e *Entry) { e.At = e.At.Add(time.Microsecond) }},
	{"Actor", func(e *Entry) { e.Actor = "mallory@region.se" }},
	{"Org", func(e *Entry) { e.Org = "region-24" }},
	{"Action", func(e *Entry) { e.Action = "requisition.approve" }},
	{"Object", func(e *Entry) { e.Object = "requisition:y" }},
	{"Detail", func(e *Entry) { e.Detail = `{"amount_kr":101}` }},
	{"PrevHash", func(e *Entry) { e.PrevHash = Genesis }},
	{"Sealed", func(e *Entry) { e.Sealed = "ledger:1 " + Genesis }},
}

func TestEveryFieldIsHashed(t *testing.T) {
	for _, f := range hashedFields {
		t.Run(f.field, func(t *testing.T) {
			e := chain(3)[1]
			f.alter(&e)
			if e.Sum() == e.Hash {
				t.Fatalf("altering %s kept the hash", f.field)
			}
			// In a chain: the entry altered in place (its hash kept) is
			// found, and it is the one named.
			c := chain(4)
			f.alter(&c[1])
			if b := Verify(c); b == nil || b.Seq != 2 {
				t.Errorf("altered %s: Verify = %v, want a break at entry 2", f.field, b)
			}
		})
	}
}

// TestRelinkedChain alters an entry, gives it a fresh hash and makes the
// next entry point at it: the next entry's own hash covers its previous
// hash, so the chain still breaks there.
func TestRelinkedChain(t *testing.T) {
	for _, f := range hashedFields {
		if f.field == "Seq" || f.field == "PrevHash" {
			continue // they link the chain: altering them is caught before the hash
		}
		t.Run(f.field, func(t *testing.T) {
			c := chain(4)
			f.alter(&c[1])
			c[1].Hash = c[1].Sum()
			c[2].PrevHash = c[1].Hash
			if b := Verify(c); b == nil || b.Seq != 3 {
				t.Errorf("relinked after altering %s: Verify = %v, want a break at entry 3", f.field, b)
			}
		})
	}
}

func TestSumIgnoresTimeZone(t *testing.T) {
	e := chain(1)[0]
	local := e
	local.At = e.At.In(time.FixedZone("CET", 3600))
	if local.Sum() != e.Sum() {
		t.Error("the same instant in another time zone changed the hash")
	}
}
