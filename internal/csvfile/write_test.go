package csvfile

import "testing"

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		"Region Norrbotten":        "Region Norrbotten",
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+46 920":                  "'+46 920",
		"-1+1":                     "'-1+1",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tx":                      "'\tx",
		"\rx":                      "'\rx",
		"a=b":                      "a=b",
		"'=x":                      "'=x",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
