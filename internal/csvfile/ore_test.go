package csvfile

import (
	"testing"

	"narvard/internal/money"
)

func TestParseOre(t *testing.T) {
	good := map[string]money.Ore{
		"0": 0, "1234": 123400, "1 234,56": 123456, "1234.5": 123450, "-34,56": -3456,
		"-0,49": -49, "\u22121,5": -150, ",5": 50, "12\u00a0345,00": 1234500,
	}
	for s, want := range good {
		if got, err := ParseOre(s); err != nil || got != want {
			t.Errorf("ParseOre(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "1,234", "1.", "abc", "1,2,3", "12 34,5", "1e3", "9999999999999999,00"} {
		if _, err := ParseOre(s); err == nil {
			t.Errorf("ParseOre(%q) accepted", s)
		}
	}
}
