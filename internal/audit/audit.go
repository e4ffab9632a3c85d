// Package audit keeps the hash chain of the audit log: every state change
// is an entry carrying the hash of the entry before it, so an altered or
// removed row breaks the chain from that point on.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one state change: who, for which organisation, when, what.
type Entry struct {
	Seq      int64
	At       time.Time
	Actor    string // the user's e-mail, or "system"
	Org      string // the actor's organisation
	Action   string // e.g. "requisition.sign"
	Object   string // e.g. "requisition:9f2c…"
	Detail   string // JSON with the change's figures; never secrets or patient data
	PrevHash string
	Hash     string
	// Sealed lists the rows of the books that the entry's transaction
	// wrote, each with the hash of its content after the write (see
	// Seals). Empty in entries written before rows were sealed.
	Sealed string
}

// Sum computes the entry's hash over its fields and the previous hash. The
// fields are length-prefixed so that no two entries can share a hash by
// moving text from one field to another. Sealed is hashed when it is not
// empty, so that entries written before it existed keep their hashes.
func (e Entry) Sum() string {
	h := sha256.New()
	fields := []string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Org, e.Action, e.Object, e.Detail, e.PrevHash}
	if e.Sealed != "" {
		fields = append(fields, e.Sealed)
	}
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets the entry's sequence number, previous hash and hash, making it
// follow prev (nil for the first entry).
func Seal(e Entry, prev *Entry) Entry {
	e.Seq, e.PrevHash = 1, Genesis
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = e.Sum()
	return e
}

// Break describes where a chain stops being intact.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("post %d: %s", b.Seq, b.Reason) }

// Verify walks the entries in order and returns the first one that does not
// match: a changed field, a missing entry (a gap in the sequence), or a
// previous hash that is not the hash before it. It returns nil for an
// intact chain.
func Verify(entries []Entry) *Break {
	prevHash, want := Genesis, int64(1)
	for _, e := range entries {
		switch {
		case e.Seq != want:
			return &Break{want, fmt.Sprintf("saknas (nästa post har nummer %d)", e.Seq)}
		case e.PrevHash != prevHash:
			return &Break{e.Seq, "föregående hash stämmer inte (en post före den har ändrats eller tagits bort)"}
		case e.Sum() != e.Hash:
			return &Break{e.Seq, "innehållet stämmer inte med sin hash (posten har ändrats)"}
		}
		prevHash, want = e.Hash, want+1
	}
	return nil
}

// Short returns the first characters of a hash for display.
func Short(hash string) string {
	return strings.ToLower(hash[:min(12, len(hash))])
}
