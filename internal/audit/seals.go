package audit

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Removed is a seal's hash for a row its transaction removed.
const Removed = "-"

// Seals are the rows of the books one transaction wrote: object ("kind:id",
// e.g. "requisition:9f2c…", "ledger:17") to the hash of the row's content
// after the transaction, or Removed.
type Seals map[string]string

// String is the seals as an entry's Sealed field: "object hash" lines in
// the objects' order.
func (s Seals) String() string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(s)) {
		fmt.Fprintf(&b, "%s %s\n", k, s[k])
	}
	return b.String()
}

// ParseSeals reads an entry's Sealed field.
func ParseSeals(sealed string) Seals {
	out := Seals{}
	for line := range strings.Lines(sealed) {
		if obj, hash, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " "); ok {
			out[obj] = hash
		}
	}
	return out
}

// Latest returns, for every object sealed in the entries, the seal of the
// newest entry that sealed it, and that entry's number.
func Latest(entries []Entry) (Seals, map[string]int64) {
	seals, seqs := Seals{}, map[string]int64{}
	for _, e := range entries {
		for obj, hash := range ParseSeals(e.Sealed) {
			seals[obj], seqs[obj] = hash, e.Seq
		}
	}
	return seals, seqs
}

// Mismatch is a row of the books that does not match the log.
type Mismatch struct {
	Object string
	Reason string
}

func (m Mismatch) String() string { return m.Object + ": " + m.Reason }

// CheckRows compares the rows as they are (object to the hash of its
// content) with the newest seal of each in the log, and returns every
// row that differs, was removed, or was never sealed, in the objects'
// order.
func CheckRows(sealed Seals, seqs map[string]int64, rows map[string]string) []Mismatch {
	var out []Mismatch
	for _, obj := range slices.Sorted(maps.Keys(rows)) {
		want, ok := sealed[obj]
		switch {
		case !ok:
			out = append(out, Mismatch{obj, "raden finns inte i granskningsloggen (tillagd utanför programmet)"})
		case want == Removed:
			out = append(out, Mismatch{obj, fmt.Sprintf("raden togs bort enligt post %d men finns", seqs[obj])})
		case want != rows[obj]:
			out = append(out, Mismatch{obj, fmt.Sprintf("raden stämmer inte med post %d (ändrad utanför programmet)", seqs[obj])})
		}
	}
	for _, obj := range slices.Sorted(maps.Keys(sealed)) {
		if _, ok := rows[obj]; !ok && sealed[obj] != Removed {
			out = append(out, Mismatch{obj, fmt.Sprintf("raden saknas men skrevs enligt post %d (borttagen utanför programmet)", seqs[obj])})
		}
	}
	return out
}
