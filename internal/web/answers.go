package web

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"narvard/internal/questionnaire"
)

// The activity report forms name each input after the answer's key:
// q1; q3.r1 (a matrix row); q7.r1.c1 (a table cell); in a section asked
// per municipality the code follows the question (k1.2510, k3.2510.r1),
// so an error's key is the input's name.

// sectionAnswers reads one section's inputs as answers, as the API takes
// them: what is left empty is no answer, a number that is not one is
// kept as text for the check to refuse.
func sectionAnswers(form url.Values, s questionnaire.Section, ctx questionnaire.Context) questionnaire.Answers {
	out := questionnaire.Answers{}
	for _, q := range s.Questions {
		if s.Repeat == "" {
			if v := inputAnswer(form, q, q.ID); v != nil {
				out[q.ID] = mustRaw(v)
			}
			continue
		}
		per := map[string]any{}
		for _, code := range ctx.Kommuner {
			if v := inputAnswer(form, q, q.ID+"."+code); v != nil {
				per[code] = v
			}
		}
		if len(per) > 0 {
			out[q.ID] = mustRaw(per)
		}
	}
	return out
}

func mustRaw(v any) json.RawMessage {
	b, _ := json.Marshal(v) // strings, numbers, lists and maps of them
	return b
}

// inputAnswer is the answer the inputs named name give to q, nil if none.
func inputAnswer(form url.Values, q questionnaire.Question, name string) any {
	switch q.Type {
	case questionnaire.Integer:
		return number(form.Get(name))
	case questionnaire.MultiChoice:
		if list := form[name]; len(list) > 0 {
			return list
		}
	case questionnaire.Matrix:
		m := map[string]any{}
		for _, r := range q.Rows {
			if v := strings.TrimSpace(form.Get(name + "." + r.ID)); v != "" {
				m[r.ID] = v
			}
		}
		return nonEmpty(m)
	case questionnaire.Table:
		return tableAnswer(form, q, name)
	default:
		if v := strings.TrimSpace(form.Get(name)); v != "" {
			return v
		}
	}
	return nil
}

func tableAnswer(form url.Values, q questionnaire.Question, name string) any {
	m := map[string]any{}
	for _, r := range q.Rows {
		row := map[string]any{}
		for _, c := range q.Columns {
			if v := number(form.Get(name + "." + r.ID + "." + c.ID)); v != nil {
				row[c.ID] = v
			}
		}
		if len(row) > 0 {
			m[r.ID] = row
		}
	}
	return nonEmpty(m)
}

func nonEmpty(m map[string]any) any {
	if len(m) == 0 {
		return nil
	}
	return m
}

// number reads a whole number as people type it ("1 000 000"); what is
// not one stays text, and blank is nil.
func number(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if n, err := strconv.ParseInt(strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s), 10, 64); err == nil {
		return n
	}
	return s
}

// inputValues are the values of a question's inputs, by input name, as
// stored answers give them (for the form's fields and the report's page).
func inputValues(q questionnaire.Question, name string, raw json.RawMessage, into map[string][]string) {
	if len(raw) == 0 {
		return
	}
	switch q.Type {
	case questionnaire.MultiChoice:
		var list []string
		if json.Unmarshal(raw, &list) == nil {
			into[name] = list
		}
	case questionnaire.Matrix:
		var m map[string]string
		_ = json.Unmarshal(raw, &m)
		for r, v := range m {
			into[name+"."+r] = []string{v}
		}
	case questionnaire.Table:
		var m map[string]map[string]json.RawMessage
		_ = json.Unmarshal(raw, &m)
		for r, cols := range m {
			for c, v := range cols {
				into[name+"."+r+"."+c] = []string{scalarText(v)}
			}
		}
	default:
		into[name] = []string{scalarText(raw)}
	}
}

// scalarText is a string's or number's text.
func scalarText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// answerInputs are the input values of every answer of the report.
func answerInputs(t *questionnaire.Template, answers questionnaire.Answers) map[string][]string {
	out := map[string][]string{}
	for _, s := range t.Sections {
		for _, q := range s.Questions {
			raw := answers[q.ID]
			if s.Repeat == "" {
				inputValues(q, q.ID, raw, out)
				continue
			}
			var per map[string]json.RawMessage
			_ = json.Unmarshal(raw, &per)
			for code, v := range per {
				inputValues(q, q.ID+"."+code, v, out)
			}
		}
	}
	return out
}
