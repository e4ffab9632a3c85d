package questionnaire

import (
	"encoding/json"
	"testing"
)

// FuzzParse: no template, however malformed, panics the parser; one it
// accepts is accepted again as it writes it back.
func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	for _, tm := range builtin(f).All() {
		b, _ := json.Marshal(tm)
		f.Add(b)
	}
	f.Add([]byte(`{"id": "x", "sections": [{"id": "s", "questions": [{"id": "q", "type": "matrix"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tm, err := Parse(b)
		if err != nil {
			return
		}
		again, err := json.Marshal(tm)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(again); err != nil {
			t.Fatalf("accepted %s, then refused it written back: %v", b, err)
		}
	})
}

// FuzzClean: no answers, however malformed, panic the validator; answers
// it accepts are accepted again unchanged.
func FuzzClean(f *testing.F) {
	tm := parseSmall(f)
	f.Add([]byte(`{"q1": "Kort", "q2": "nej", "q2a": "ja", "q3": {"r1": "o1"}, "q4": 7, "q6": ["b"], "q7": {"r1": {"c1": 1}}}`), true)
	f.Add([]byte(`{"q4": 1e400, "q7": {"r1": null}, "q3": []}`), false)
	f.Add([]byte(`{"q99": {}}`), false)
	f.Fuzz(func(t *testing.T, b []byte, complete bool) {
		var in Answers
		if json.Unmarshal(b, &in) != nil {
			return
		}
		out, err := tm.Clean(in, Context{Kommuner: []string{"2510"}}, complete)
		if err != nil {
			return
		}
		again, err := tm.Clean(out, Context{Kommuner: []string{"2510"}}, complete)
		if err != nil {
			t.Fatalf("cleaned %s to %v, which is then refused: %v", b, out, err)
		}
		a, _ := json.Marshal(out)
		c, _ := json.Marshal(again)
		if string(a) != string(c) {
			t.Fatalf("cleaning twice changes %s to %s", a, c)
		}
	})
}
