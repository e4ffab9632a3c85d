package questionnaire

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"narvard/internal/fault"
)

func parseSmall(t testing.TB) *Template {
	t.Helper()
	tm, err := Parse([]byte(small))
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func answers(t testing.TB, s string) Answers {
	t.Helper()
	var a Answers
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func fields(err error) fault.Fields {
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Fields != nil {
		return fe.Fields
	}
	return nil
}

// TestClean: answers are checked against their types and limits, hidden
// answers dropped, unknown ids refused, and on signing every visible
// required question must be answered; errors keyed by question id, row,
// column.
func TestClean(t *testing.T) {
	tm := parseSmall(t)
	const full = `"q1": "Kort", "q2": "ja", "q3": {"r1": "o1", "r2": "o1"}, "q4": 7, "q5": "b", "q6": ["b", "a"], "q7": {"r1": {"c1": 1, "c2": 0}}`
	tests := []struct {
		name     string
		in       string
		complete bool
		errs     []string // the keys of the errors, sorted
		kept     []string // the question ids kept, sorted
	}{
		{"complete", `{` + full + `}`, true, nil, []string{"q1", "q2", "q3", "q4", "q5", "q6", "q7"}},
		{"hidden branch dropped", `{` + full + `, "q2a": "kanske"}`, true, nil, []string{"q1", "q2", "q3", "q4", "q5", "q6", "q7"}},
		{"shown branch required", `{"q1": "Kort", "q2": "nej"}`, true, []string{"q2a"}, []string{"q1", "q2"}},
		{"shown branch answered", `{"q1": "Kort", "q2": "nej", "q2a": "ja"}`, true, nil, []string{"q1", "q2", "q2a"}},
		{"missing required on sign", `{"q2": "ja"}`, true, []string{"q1"}, []string{"q2"}},
		{"missing required in a draft", `{"q2": "ja"}`, false, nil, []string{"q2"}},
		{"blank text is no answer", `{"q1": "   ", "q2": "ja"}`, true, []string{"q1"}, []string{"q2"}},
		{"unknown id", `{"q1": "Kort", "q2": "ja", "q99": 1}`, false, []string{"q99"}, []string{"q1", "q2"}},
		{"text too long", `{"q1": "elva tecken", "q2": "ja"}`, false, []string{"q1"}, []string{"q2"}},
		{"text not text", `{"q1": 5}`, false, []string{"q1"}, nil},
		{"yesno", `{"q2": "kanske"}`, false, []string{"q2"}, nil},
		{"integer not whole", `{"q4": 1.5}`, false, []string{"q4"}, nil},
		{"integer as string", `{"q4": "7"}`, false, []string{"q4"}, nil},
		{"integer under min", `{"q4": -1}`, false, []string{"q4"}, nil},
		{"integer over max", `{"q4": 101}`, false, []string{"q4"}, nil},
		{"choice unknown", `{"q5": "c"}`, false, []string{"q5"}, nil},
		{"multichoice twice", `{"q6": ["a", "a"]}`, false, []string{"q6"}, nil},
		{"matrix row unknown", `{"q3": {"r9": "o1"}}`, false, []string{"q3.r9"}, nil},
		{"matrix option unknown", `{"q3": {"r1": "o9"}}`, false, []string{"q3.r1"}, nil},
		{"matrix row missing on sign", `{"q1": "Kort", "q2": "ja", "q3": {"r1": "o1"}}`, true, []string{"q3.r2"}, []string{"q1", "q2"}},
		{"table cell not whole", `{"q7": {"r1": {"c1": "x"}}}`, false, []string{"q7.r1.c1"}, nil},
		{"table cell under min", `{"q7": {"r1": {"c2": -5}}}`, false, []string{"q7.r1.c2"}, nil},
		{"table column unknown", `{"q7": {"r1": {"c9": 1}}}`, false, []string{"q7.r1.c9"}, nil},
		{"table cell missing on sign", `{"q1": "Kort", "q2": "ja", "q7": {"r1": {"c1": 1}}}`, true, []string{"q7.r1.c2"}, []string{"q1", "q2"}},
		{"null is no answer", `{"q1": "Kort", "q2": "ja", "q4": null}`, true, nil, []string{"q1", "q2"}},
	}
	for _, tc := range tests {
		out, err := tm.Clean(answers(t, tc.in), Context{}, tc.complete)
		f := fields(err)
		if err != nil && f == nil {
			t.Errorf("%s: %v is not by field", tc.name, err)
		}
		if got := slices.Sorted(maps.Keys(f)); !slices.Equal(got, tc.errs) {
			t.Errorf("%s: errors %v, want %v", tc.name, f, tc.errs)
		}
		if tc.errs == nil {
			if got := slices.Sorted(maps.Keys(out)); !slices.Equal(got, tc.kept) {
				t.Errorf("%s: kept %v, want %v", tc.name, got, tc.kept)
			}
		}
	}
	out, _ := tm.Clean(answers(t, `{"q1": "  Kort ", "q6": ["b", "a"]}`), Context{}, false)
	if string(out["q1"]) != `"Kort"` || string(out["q6"]) != `["a","b"]` {
		t.Errorf("cleaned = %s %s", out["q1"], out["q6"])
	}
}

// TestCleanPerMunicipality: the RSS's template asks a section once per
// municipality of the county; each municipality's branch is its own, and
// errors name the municipality.
func TestCleanPerMunicipality(t *testing.T) {
	tm, _ := builtin(t).Get("gnv-2023-verksamhetsrapport-rss")
	ctx := Context{Kommuner: []string{"2510", "2513"}}
	texts := `"q1": "Länet", "q2": "Samverkan", "q3": "Kompetens", "q4": "Vidareutbildning", "jq1": "Både kvinnor och män", "jq2": "Jämställd hälsa"`
	in := answers(t, `{`+texts+`, "k1": {"2510": "ja", "2513": "nej"}, "k2": {"2510": "Insatser", "2513": "dold"},
		"k4": {"2510": 100000, "2513": 5}, "k5": {"2513": "Ingen personal"}}`)
	out, err := tm.Clean(in, ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if string(out["k2"]) != `{"2510":"Insatser"}` || string(out["k4"]) != `{"2510":100000}` || string(out["k5"]) != `{"2513":"Ingen personal"}` {
		t.Errorf("per municipality: k2 %s k4 %s k5 %s", out["k2"], out["k4"], out["k5"])
	}
	bad := answers(t, `{`+texts+`, "k1": {"2510": "ja", "0114": "ja"}}`)
	_, err = tm.Clean(bad, ctx, true)
	f := fields(err)
	for _, key := range []string{"k1.0114", "k2.2510", "k4.2510", "k1.2513"} {
		if f[key] == "" {
			t.Errorf("no error for %s: %v", key, f)
		}
	}
	if strings.Contains(strings.Join(slices.Collect(maps.Keys(f)), " "), "k5.2510") {
		t.Errorf("the hidden branch of 2510 is asked for: %v", f)
	}
}
