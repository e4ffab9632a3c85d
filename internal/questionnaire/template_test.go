package questionnaire

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/agreement/agreementtest"
)

func builtin(t testing.TB) *Library {
	t.Helper()
	l, err := Builtin(agreement.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestBuiltinTemplates: the four gnv-2023 templates load and are
// consistent with the agreement; each says it is the product's rendering;
// with only the test agreement none of them is loaded but the survey's,
// which stands alone.
func TestBuiltinTemplates(t *testing.T) {
	l := builtin(t)
	want := []string{"enkat-kommuner-2019", "gnv-2023-skr-delrapport", "gnv-2023-skr-verksamhetsrapport", "gnv-2023-verksamhetsrapport", "gnv-2023-verksamhetsrapport-rss"}
	var ids []string
	for _, tm := range l.All() {
		ids = append(ids, tm.ID)
		if !strings.Contains(tm.Description, "produktens återgivning") {
			t.Errorf("%s: description does not say it is the product's rendering", tm.ID)
		}
	}
	if !slices.Equal(ids, want) {
		t.Errorf("templates = %v, want %v", ids, want)
	}
	del, _ := l.Get("gnv-2023-skr-delrapport")
	if del.Receiver != "socialdepartementet" || del.Deadline != agreement.DeadlineSKRInterimReport {
		t.Errorf("SKR's interim report goes to %s by %s", del.Receiver, del.Deadline)
	}
	only, err := Builtin(agreementtest.Second(t))
	if err != nil || len(only.All()) != 1 || only.All()[0].Use != UseSurvey {
		t.Errorf("with only the test agreement: %v, %v", only.All(), err)
	}
}

// TestSchemaNamesEveryType: the JSON Schema documents exactly the types
// the parser knows.
func TestSchemaNamesEveryType(t *testing.T) {
	var s struct {
		Defs struct {
			Question struct {
				Properties struct {
					Type struct {
						Enum []Type `json:"enum"`
					} `json:"type"`
				} `json:"properties"`
			} `json:"question"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema, &s); err != nil {
		t.Fatal(err)
	}
	if got := s.Defs.Question.Properties.Type.Enum; !slices.Equal(got, Types) {
		t.Errorf("schema types %v, parser's %v", got, Types)
	}
}

const small = `{"id": "prov", "title": "Prov", "agreement": "gnv-2023", "recipients": ["region"],
 "receiver": "socialstyrelsen", "deadline": "activity_report",
 "sections": [{"id": "s1", "title": "Ett", "questions": [
  {"id": "q1", "text": "Text", "type": "text", "required": true, "max_length": 10, "conditions": ["2.3.1"]},
  {"id": "q2", "text": "Ja eller nej", "type": "yesno", "required": true},
  {"id": "q2a", "text": "Varför inte", "type": "yesno", "required": true, "visible_if": {"question": "q2", "equals": "nej"}},
  {"id": "q3", "text": "Matris", "type": "matrix", "rows": [{"id": "r1", "text": "R1"}, {"id": "r2", "text": "R2"}], "options": [{"id": "o1", "text": "O1"}]},
  {"id": "q4", "text": "Tal", "type": "integer", "min": 0, "max": 100},
  {"id": "q5", "text": "Val", "type": "choice", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
  {"id": "q6", "text": "Flerval", "type": "multichoice", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
  {"id": "q7", "text": "Tabell", "type": "table", "min": 0, "rows": [{"id": "r1", "text": "R1"}], "columns": [{"id": "c1", "text": "C1"}, {"id": "c2", "text": "C2"}]}]}]}`

func gnv(t testing.TB) *agreement.Agreement {
	ag, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// TestInconsistentTemplatesAreRefused: each inconsistency is refused on
// load, with a message naming the question.
func TestInconsistentTemplatesAreRefused(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"duplicate id", `{"id": "q4", "text": "Tal"`, `{"id": "q1", "text": "Tal"`, `fråga "q1": id finns redan`},
		{"visible_if unknown", `"visible_if": {"question": "q2"`, `"visible_if": {"question": "q9"`, `fråga q2a: visible_if hänvisar till "q9", som inte finns`},
		{"visible_if later", `"visible_if": {"question": "q2"`, `"visible_if": {"question": "q5"`, `fråga q2a: visible_if hänvisar till "q5", som inte står före frågan`},
		{"visible_if itself", `"visible_if": {"question": "q2"`, `"visible_if": {"question": "q2a"`, `fråga q2a: visible_if hänvisar till "q2a", som inte står före frågan`},
		{"visible_if answer", `"equals": "nej"`, `"equals": "kanske"`, `fråga q2a: visible_if: "kanske" kan inte vara svaret på q2`},
		{"choice without options", `"type": "choice", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]`, `"type": "choice"`, `fråga q5: typen choice kräver alternativ`},
		{"unknown type", `"type": "integer"`, `"type": "decimal"`, `fråga q4: okänd typ "decimal"`},
		{"min over max", `"min": 0, "max": 100`, `"min": 100, "max": 0`, `fråga q4: min 100 är större än max 0`},
		{"dot in id", `{"id": "q4", "text": "Tal"`, `{"id": "q.4", "text": "Tal"`, `fråga q.4: id saknas eller har otillåtna tecken`},
		{"unknown field", `"max_length": 10`, `"maxlength": 10`, `unknown field "maxlength"`},
	}
	for _, tc := range tests {
		if !strings.Contains(small, tc.from) {
			t.Fatalf("%s: %q not in the template", tc.name, tc.from)
		}
		_, err := Parse([]byte(strings.Replace(small, tc.from, tc.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	against := []struct{ name, from, to, want string }{
		{"unknown condition", `"conditions": ["2.3.1"]`, `"conditions": ["2.3.9"]`, `fråga q1: villkoret "2.3.9" finns inte i gnv-2023`},
		{"unknown deadline", `"deadline": "activity_report"`, `"deadline": "survey"`, `deadline: gnv-2023 har ingen tidsfrist "survey"`},
		{"unknown receiver", `"receiver": "socialstyrelsen"`, `"receiver": "kammarkollegiet"`, `receiver: "kammarkollegiet" tar inte emot`},
		{"unknown kind", `"recipients": ["region"]`, `"recipients": ["landsting"]`, `okänd mottagartyp "landsting"`},
	}
	for _, tc := range against {
		tm, err := Parse([]byte(strings.Replace(small, tc.from, tc.to, 1)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := tm.CheckAgainst(gnv(t)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	tm, err := Parse([]byte(small))
	if err != nil || tm.CheckAgainst(gnv(t)) != nil {
		t.Fatalf("the consistent template is refused: %v", err)
	}
}
