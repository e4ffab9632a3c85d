package followup

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestTrim checks the short path of trim against bytes.TrimSpace, on
// fields with ASCII, control, Unicode and no spaces at either end.
func TestTrim(t *testing.T) {
	for _, s := range []string{"", " ", "a", "abc", " abc", "abc ", "\tabc\t", "a b", "!~", "\x7fa\x7f", "\u00a0x\u00a0",
		"x\u0085", "\u2003x", "å", " å ", "\x00a", "a\x00", "\v1\f", "\"q\""} {
		if got, want := trim([]byte(s)), bytes.TrimSpace([]byte(s)); !bytes.Equal(got, want) {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestSepOrQuote compares sepOrQuote with a plain scan on random lines of
// every length up to 40, of bytes drawn from a few that matter (the
// separators, quotes, bytes one off them, high bytes).
func TestSepOrQuote(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{',', ';', '"', '+', '-', '!', '#', 'a', 0x80, 0xff, 0x00, 0x01}
	for range 20000 {
		l := make([]byte, r.IntN(41))
		for i := range l {
			l[i] = alphabet[r.IntN(len(alphabet))]
		}
		for _, sep := range []byte{',', ';'} {
			want := -1
			for i, c := range l {
				if c == sep || c == '"' {
					want = i
					break
				}
			}
			if got := sepOrQuote(l, sep); got != want {
				t.Fatalf("sepOrQuote(%q, %q) = %d, want %d", l, sep, got, want)
			}
		}
	}
}
