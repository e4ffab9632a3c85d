package questionnaire

import (
	"encoding/json"
	"fmt"
	"strings"
)

// CellKeys are the keys of every answer cell of the template, in its
// order: a question's own (q1), a matrix row's (q3.r1), a table cell's
// (q7.r1.c1); in a section asked per municipality, each of the given
// municipalities' (k1.2510, k3.2510.r1). Exports have one column per key.
func (t *Template) CellKeys(kommuner []string) []string {
	var out []string
	for _, s := range t.Sections {
		for _, q := range s.Questions {
			if s.Repeat == "" {
				out = append(out, q.cellKeys(q.ID)...)
				continue
			}
			for _, code := range kommuner {
				out = append(out, q.cellKeys(q.ID+"."+code)...)
			}
		}
	}
	return out
}

func (q Question) cellKeys(name string) []string {
	switch q.Type {
	case Matrix:
		out := make([]string, len(q.Rows))
		for i, r := range q.Rows {
			out[i] = name + "." + r.ID
		}
		return out
	case Table:
		var out []string
		for _, r := range q.Rows {
			for _, c := range q.Columns {
				out = append(out, name+"."+r.ID+"."+c.ID)
			}
		}
		return out
	}
	return []string{name}
}

// Cells are the answers as cells by key (CellKeys): text and option ids
// as text (a multichoice's ids joined by ", "), numbers as int64.
func (t *Template) Cells(a Answers) map[string]any {
	out := map[string]any{}
	for _, s := range t.Sections {
		for _, q := range s.Questions {
			raw := a[q.ID]
			if len(raw) == 0 {
				continue
			}
			if s.Repeat == "" {
				q.cells(q.ID, raw, out)
				continue
			}
			var per map[string]json.RawMessage
			_ = json.Unmarshal(raw, &per)
			for code, v := range per {
				q.cells(q.ID+"."+code, v, out)
			}
		}
	}
	return out
}

func (q Question) cells(name string, raw json.RawMessage, out map[string]any) {
	switch q.Type {
	case Matrix:
		var m map[string]string
		_ = json.Unmarshal(raw, &m)
		for r, v := range m {
			out[name+"."+r] = v
		}
	case Table:
		var m map[string]map[string]int64
		_ = json.Unmarshal(raw, &m)
		for r, cols := range m {
			for c, n := range cols {
				out[name+"."+r+"."+c] = n
			}
		}
	case MultiChoice:
		var list []string
		_ = json.Unmarshal(raw, &list)
		out[name] = strings.Join(list, ", ")
	case Integer:
		var n int64
		_ = json.Unmarshal(raw, &n)
		out[name] = n
	default:
		var s string
		_ = json.Unmarshal(raw, &s)
		out[name] = s
	}
}

// AnswerText is an answer in words: one line, or a line per matrix row or
// table cell; options by their text.
func (q Question) AnswerText(raw json.RawMessage) []string {
	cells := map[string]any{}
	q.cells(q.ID, raw, cells)
	var out []string
	switch q.Type {
	case Matrix:
		for _, r := range q.Rows {
			if v, ok := cells[q.ID+"."+r.ID]; ok {
				out = append(out, r.Text+": "+q.optionText(v.(string)))
			}
		}
	case Table:
		for _, r := range q.Rows {
			for _, c := range q.Columns {
				if v, ok := cells[q.ID+"."+r.ID+"."+c.ID]; ok {
					out = append(out, fmt.Sprintf("%s, %s: %d", r.Text, c.Text, v))
				}
			}
		}
	case MultiChoice:
		var list []string
		_ = json.Unmarshal(raw, &list)
		texts := make([]string, len(list))
		for i, id := range list {
			texts[i] = q.optionText(id)
		}
		out = append(out, strings.Join(texts, ", "))
	default:
		if v, ok := cells[q.ID]; ok {
			out = append(out, q.optionText(fmt.Sprint(v)))
		}
	}
	return out
}

// optionText is the text of an option id, or the answer itself.
func (q Question) optionText(id string) string {
	for _, o := range q.Options {
		if o.ID == id {
			return o.Text
		}
	}
	switch {
	case q.Type == YesNo && id == Yes:
		return "Ja"
	case q.Type == YesNo && id == No:
		return "Nej"
	}
	return id
}
