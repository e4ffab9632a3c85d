package followup

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
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

// TestSpecial compares special with a plain scan on random lines of
// every length up to 40, of bytes drawn from a few that matter (the
// separators, quotes, bytes one off them, high bytes).
func TestSpecial(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{',', ';', '"', '\n', '\r', '\v', '+', '-', '!', '#', 'a', 0x80, 0xff, 0x00, 0x01}
	for range 20000 {
		l := make([]byte, r.IntN(41))
		for i := range l {
			l[i] = alphabet[r.IntN(len(alphabet))]
		}
		for _, sep := range []byte{',', ';'} {
			want := -1
			for i, c := range l {
				if c == sep || c == '"' || c == '\n' {
					want = i
					break
				}
			}
			if got := special(l, sep); got != want {
				t.Fatalf("special(%q, %q) = %d, want %d", l, sep, got, want)
			}
		}
	}
}

// TestIsText compares isText with a plain check on random blocks of every
// length up to 40 drawn from bytes that matter: printable ASCII, the
// allowed controls, other controls, bytes one off them, and UTF-8 (valid
// and broken).
func TestIsText(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := [][]byte{{'a'}, {' '}, {'\n'}, {'\r'}, {'\t'}, {0x00}, {0x1f}, {0x0b}, {0x08}, {0x0c}, {0x0e}, {0x7f}, {0x20}, []byte("å"), {0xc3}, {0xff}}
	plain := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
				return false
			}
		}
		return utf8.Valid(b)
	}
	for range 50000 {
		var b []byte
		for n := r.IntN(41); len(b) < n; {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		if got, want := isText(b), plain(b); got != want {
			t.Fatalf("isText(%q) = %v, want %v", b, got, want)
		}
	}
}

// TestSplitNext splits lines one after another as the blocks hold them:
// plain, CRLF, blank, quoted (with a separator and a CRLF inside the
// line), and a last line without its end.
func TestSplitNext(t *testing.T) {
	data := []byte("a, b ,c\r\n  \t \r\n,,\n\"x;y\";\"q\"\"r\"; z\r\n;k\nlast;")
	want := []struct {
		fields []string
		blank  bool
	}{
		{[]string{"a, b ,c"}, false},
		{[]string{""}, true},
		{[]string{",,"}, false},
		{[]string{"x;y", "q\"r", "z"}, false},
		{[]string{"", "k"}, false},
		{[]string{"last", ""}, false},
	}
	for i, w := range want {
		var f [][]byte
		var blank bool
		f, data, blank = splitNext(data, ';', nil)
		var got []string
		for _, b := range f {
			got = append(got, string(b))
		}
		if fmt.Sprint(got) != fmt.Sprint(w.fields) || blank != w.blank || len(got) != len(w.fields) {
			t.Errorf("line %d: %q blank %v, want %q blank %v", i+1, got, blank, w.fields, w.blank)
		}
	}
	if data != nil {
		t.Errorf("left %q", data)
	}
}
