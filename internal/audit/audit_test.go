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
