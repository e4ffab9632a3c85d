package csvfile

import (
	"strconv"
	"strings"
	"testing"
)

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "42", "-5", "\u22125", "2 437 158", "2\u00a0437\u00a0158", "1 23",
		"12,5", "12.5", ",5", "abc", "", "9223372036854775807", "-9223372036854775808", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseInt(s)
		if err != nil {
			if n != 0 {
				t.Fatalf("ParseInt(%q) = %d with error %v", s, n, err)
			}
			return
		}
		// Without separators and with an ASCII minus, strconv must agree.
		plain := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "\u2212", "-").Replace(trim(s))
		want, perr := strconv.ParseInt(plain, 10, 64)
		if perr != nil || want != n || strings.HasPrefix(plain, "+") {
			t.Fatalf("ParseInt(%q) = %d, strconv.ParseInt(%q) = %d, %v", s, n, plain, want, perr)
		}
		if back, err := ParseInt(strconv.FormatInt(n, 10)); err != nil || back != n {
			t.Fatalf("round trip of %d: %d, %v", n, back, err)
		}
	})
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"kod,befolkning\n01,5\n",
		"\ufeffkod;befolkning\r\n01;\"2 437 158\"\r\n\r\n03;6\r\n",
		"kod;namn\r\n01;\"a\r\nb\"\r\n",
		"sep=;\nkod;x\n1;2\n",
		"kod\n1,5\n",
		"kod,lan\n01,\"Norr\n",
		"kod,lan\n01,Region \"Norr\"\n",
		"\r\r\n;;\n \"x\" ; y\rz",
		"a\x00b",
		"\xff\xfe",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read("x.csv", strings.NewReader(string(data)))
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is %T, not *Error", err, err)
			}
			_ = err.Error()
			return
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		if file.HeaderLine < 1 || file.HeaderLine > lines {
			t.Fatalf("header line %d outside 1..%d", file.HeaderLine, lines)
		}
		_ = file.Require("kod", "befolkning")
		prev := file.HeaderLine
		for _, r := range file.Rows() {
			if r.Line <= prev || r.Line > lines {
				t.Fatalf("row line %d after %d, file has at most %d lines", r.Line, prev, lines)
			}
			prev = r.Line
			for _, c := range file.Columns() {
				if v := r.Get(c); v != trim(v) {
					t.Fatalf("value %q not trimmed", v)
				}
				_, _ = r.Int(c)
				if n, err := r.Count(c); err == nil && n < 0 {
					t.Fatalf("Count gave %d", n)
				}
				_ = r.Err(c, "fel").Error()
			}
		}
	})
}
