package agreement

import (
	"strconv"
	"strings"
	"testing"
)

// TestGNV2023Conditions: the sections the issue names are conditions of
// gnv-2023, each with its text, and a region sees the region's ones by
// area while SKR sees its own.
func TestGNV2023Conditions(t *testing.T) {
	a, err := Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"2.1", "2.1.2.1", "2.1.2.2", "2.1.2.3", "2.1.2.4", "2.1.2.5", "2.2.1", "2.3.1", "2.4.1",
		"2.5", "3.3.1", "3.4.1", "3.5.1", "3.6.1", "3.7.1", "3.8.1", "4.1.1", "5.1.1", "2.1.3", "3.9", "9.2"} {
		c, ok := a.Condition(id)
		if !ok || c.Text == "" {
			t.Errorf("condition %s missing or without text", id)
		}
	}
	tests := []struct {
		kind      RecipientKind
		has, lack string
		areas     int
	}{
		{Region, "2.3.1", "2.1.3", 5},
		{RSS, "3.3.1", "2.3.1", 3},
		{SKR, "2.1.3", "2.1", 5},
	}
	for _, tc := range tests {
		var ids []string
		groups := a.ConditionsByArea(tc.kind)
		for _, g := range groups {
			for _, c := range g.Conditions {
				ids = append(ids, c.ID)
			}
		}
		if len(groups) != tc.areas || !contains(ids, tc.has) || contains(ids, tc.lack) {
			t.Errorf("%s: %d areas, conditions %v; want %d areas with %s and without %s", tc.kind, len(groups), ids, tc.areas, tc.has, tc.lack)
		}
	}
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestConditionsAreChecked: an unknown component, recipient kind or area
// in a condition is refused with the file, the line and the value.
func TestConditionsAreChecked(t *testing.T) {
	base := string(mustRead(t))
	at := strings.Index(base, `id = "2.3.1"`)
	tests := []struct{ field, from, to, want string }{
		{"components", `components = ["nara_vard"]`, `components = ["nara_vård"]`, `conditions[8].components: okänd komponent "nara_vård"`},
		{"recipients", `recipients = ["region"]`, `recipients = ["landsting"]`, `conditions[8].recipients: okänd mottagartyp "landsting"`},
		{"area", `area = "nara_vard"`, `area = "nära"`, `conditions[8].area: okänt utvecklingsområde "nära"`},
	}
	for _, tc := range tests {
		i := at + strings.Index(base[at:], tc.from)
		line := strings.Count(base[:i], "\n") + 1
		bad := base[:i] + tc.to + base[i+len(tc.from):]
		_, err := parse("gnv-2023.toml", []byte(bad))
		want := "gnv-2023.toml:" + strconv.Itoa(line) + ": " + tc.want
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", tc.field, err, want)
		}
	}
}
