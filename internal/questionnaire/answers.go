package questionnaire

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"narvard/internal/fault"
)

// Answers are answers by question id, each as JSON: text a string,
// integer a whole number, yesno "ja" or "nej", choice an option id,
// multichoice a list of option ids, matrix {row id: option id}, table
// {row id: {column id: whole number}}. A question in a section repeated
// per municipality is answered {municipality code: answer}.
type Answers map[string]json.RawMessage

// Context is what the answers are given in: the municipality codes a
// section repeated per municipality is asked for (the RSS's county's).
type Context struct {
	Kommuner []string
	// OptionalRows: a matrix's rows and a table's cells of a question not
	// required may be left unanswered even when complete (a survey, whose
	// respondents may skip a row).
	OptionalRows bool
}

// Clean checks answers against the template and returns them as stored:
// unknown question ids are refused, every answer is checked against its
// type and limits, answers to questions hidden by visible_if are dropped
// and empty answers left out. With complete (on signing), every visible
// required question must be answered. Errors are fault.Fields keyed by
// question id, with the row, column or municipality after a dot (q3.r1,
// q7.r1.c1, q5.2510).
func (t *Template) Clean(in Answers, ctx Context, complete bool) (Answers, error) {
	bad := fault.Fields{}
	for id := range in {
		if q, _, ok := t.Question(id); !ok || q.ID == "" {
			bad.Add(id, "Frågan %s finns inte i frågeunderlaget %s.", id, t.ID)
		}
	}
	out := Answers{}
	shown := map[string]string{} // the answers visible_if may look at
	for _, s := range t.Sections {
		if s.Repeat == RepeatKommun {
			t.cleanRepeated(s, in, ctx, complete, shown, out, bad)
			continue
		}
		for _, q := range s.Questions {
			if !visible(q, shown) {
				continue
			}
			v, errs := q.clean(in[q.ID], complete && (q.Required || !ctx.OptionalRows))
			addErrs(bad, q.ID, errs)
			if v != nil && len(errs) == 0 {
				out[q.ID] = v
				shown[q.ID] = scalar(v)
			}
		}
	}
	return out, bad.Err()
}

// cleanRepeated cleans a section asked once per municipality: each
// question's answer is an object by municipality code.
func (t *Template) cleanRepeated(s Section, in Answers, ctx Context, complete bool, shown map[string]string, out Answers, bad fault.Fields) {
	per := map[string]map[string]json.RawMessage{} // question, then code
	for _, q := range s.Questions {
		raw := in[q.ID]
		if isNull(raw) {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			bad.Add(q.ID, "Ange svaren per kommun som ett objekt med kommunkoden som nyckel.")
			continue
		}
		for code := range m {
			if !slices.Contains(ctx.Kommuner, code) {
				bad.Add(q.ID+"."+code, "Kommunen %s hör inte till länet.", code)
			}
		}
		per[q.ID] = m
	}
	cleaned := map[string]map[string]json.RawMessage{}
	for _, code := range ctx.Kommuner {
		local := maps.Clone(shown)
		for _, q := range s.Questions {
			if !visible(q, local) {
				continue
			}
			v, errs := q.clean(per[q.ID][code], complete)
			addErrs(bad, q.ID+"."+code, errs)
			if v != nil && len(errs) == 0 {
				if cleaned[q.ID] == nil {
					cleaned[q.ID] = map[string]json.RawMessage{}
				}
				cleaned[q.ID][code] = v
				local[q.ID] = scalar(v)
			}
		}
	}
	for id, m := range cleaned {
		out[id] = mustJSON(m)
	}
}

func addErrs(bad fault.Fields, key string, errs map[string]string) {
	for suffix, msg := range errs {
		bad[key+suffix] = msg
	}
}

// visible reports whether the question is shown given the answers so far:
// a question hidden by visible_if, or whose condition question is itself
// hidden or unanswered, is not.
func visible(q Question, shown map[string]string) bool {
	if q.VisibleIf == nil {
		return true
	}
	return shown[q.VisibleIf.Question] == q.VisibleIf.Equals
}

// scalar is a yesno's or choice's answer as visible_if compares it ("" for
// other answers).
func scalar(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

func isNull(raw json.RawMessage) bool {
	r := bytes.TrimSpace(raw)
	return len(r) == 0 || string(r) == "null"
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("questionnaire: " + err.Error()) // only maps, strings and numbers are marshalled
	}
	return b
}

// clean checks one answer: the cleaned answer (nil if unanswered) and the
// errors by key suffix ("" for the question itself, ".r1" for a row).
func (q Question) clean(raw json.RawMessage, complete bool) (json.RawMessage, map[string]string) {
	if isNull(raw) {
		return nil, missing(q, complete)
	}
	var v any
	var errs map[string]string
	switch q.Type {
	case Text:
		v, errs = q.text(raw)
	case Integer:
		v, errs = q.integer(raw, "")
	case YesNo, Choice:
		v, errs = q.one(raw)
	case MultiChoice:
		v, errs = q.many(raw)
	case Matrix:
		v, errs = q.matrix(raw, complete)
	case Table:
		v, errs = q.table(raw, complete)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if v == nil {
		return nil, missing(q, complete)
	}
	return mustJSON(v), nil
}

func missing(q Question, complete bool) map[string]string {
	if complete && q.Required {
		return map[string]string{"": "Frågan måste besvaras."}
	}
	return nil
}

func one(msg string) map[string]string { return map[string]string{"": msg} }

func (q Question) text(raw json.RawMessage) (any, map[string]string) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, one("Svara med text.")
	}
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return nil, one("Texten är inte giltig UTF-8.")
	}
	if n := utf8.RuneCountInString(s); n > q.Limit() {
		return nil, one("Svaret får vara högst " + itoa(int64(q.Limit())) + " tecken långt, inte " + itoa(int64(n)) + ".")
	}
	if s == "" {
		return nil, nil
	}
	return s, nil
}

// integer reads a whole number within the question's min and max; key is
// the suffix its error goes under.
func (q Question) integer(raw json.RawMessage, key string) (any, map[string]string) {
	raw = bytes.TrimSpace(raw)
	var n json.Number
	if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &n) != nil {
		return nil, map[string]string{key: "Ange ett heltal."}
	}
	i, err := n.Int64()
	if err != nil {
		return nil, map[string]string{key: "Ange ett heltal."}
	}
	if q.Min != nil && i < *q.Min {
		return nil, map[string]string{key: "Ange ett tal som är minst " + itoa(*q.Min) + "."}
	}
	if q.Max != nil && i > *q.Max {
		return nil, map[string]string{key: "Ange ett tal som är högst " + itoa(*q.Max) + "."}
	}
	return i, nil
}

// one reads a yesno or choice answer.
func (q Question) one(raw json.RawMessage) (any, map[string]string) {
	var s string
	if json.Unmarshal(raw, &s) != nil || !q.allows(s) {
		return nil, one("Välj ett av svaren: " + strings.Join(q.answerIDs(), ", ") + ".")
	}
	return s, nil
}

func (q Question) answerIDs() []string {
	if q.Type == YesNo {
		return []string{Yes, No}
	}
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return ids
}

func (q Question) allows(s string) bool { return slices.Contains(q.answerIDs(), s) }

func (q Question) many(raw json.RawMessage) (any, map[string]string) {
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return nil, one("Svara med en lista av alternativ.")
	}
	seen := map[string]bool{}
	for _, s := range list {
		if !q.allows(s) || seen[s] {
			return nil, one("Välj bland alternativen " + strings.Join(q.answerIDs(), ", ") + ", vart och ett en gång.")
		}
		seen[s] = true
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b string) int { return slices.Index(q.answerIDs(), a) - slices.Index(q.answerIDs(), b) })
	return out, nil
}

func (q Question) matrix(raw json.RawMessage, complete bool) (any, map[string]string) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, one("Svara med ett alternativ per rad.")
	}
	errs, out := map[string]string{}, map[string]string{}
	for id, v := range m {
		if !hasID(q.Rows, id) {
			errs["."+id] = "Raden " + id + " finns inte i frågan."
			continue
		}
		if isNull(v) {
			continue
		}
		var s string
		if json.Unmarshal(v, &s) != nil || !q.allows(s) {
			errs["."+id] = "Välj ett av alternativen " + strings.Join(q.answerIDs(), ", ") + "."
			continue
		}
		out[id] = s
	}
	q.rowsAnswered(len(out) > 0 && complete || complete && q.Required, func(r string) bool { _, ok := out[r]; return ok }, errs, "Välj ett svar för raden.")
	if len(out) == 0 {
		return nil, errs
	}
	return out, errs
}

func (q Question) table(raw json.RawMessage, complete bool) (any, map[string]string) {
	var m map[string]map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, one("Svara med ett heltal per rad och kolumn.")
	}
	errs, out := map[string]string{}, map[string]map[string]int64{}
	for r, cols := range m {
		if !hasID(q.Rows, r) {
			errs["."+r] = "Raden " + r + " finns inte i frågan."
			continue
		}
		q.tableRow(r, cols, out, errs)
	}
	if complete && (q.Required || len(out) > 0) {
		for _, r := range q.Rows {
			for _, c := range q.Columns {
				if _, ok := out[r.ID][c.ID]; !ok {
					errs["."+r.ID+"."+c.ID] = "Ange ett heltal."
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, errs
	}
	return out, errs
}

// tableRow reads one row's cells into out, their errors into errs.
func (q Question) tableRow(r string, cols map[string]json.RawMessage, out map[string]map[string]int64, errs map[string]string) {
	for c, v := range cols {
		key := "." + r + "." + c
		if !hasID(q.Columns, c) {
			errs[key] = "Kolumnen " + c + " finns inte i frågan."
			continue
		}
		if isNull(v) {
			continue
		}
		n, e := q.integer(v, key)
		if len(e) > 0 {
			maps.Copy(errs, e)
			continue
		}
		if out[r] == nil {
			out[r] = map[string]int64{}
		}
		out[r][c] = n.(int64)
	}
}

// rowsAnswered marks every row not answered when check is set.
func (q Question) rowsAnswered(check bool, answered func(string) bool, errs map[string]string, msg string) {
	if !check {
		return
	}
	for _, r := range q.Rows {
		if !answered(r.ID) {
			errs["."+r.ID] = msg
		}
	}
}

func hasID(list []Option, id string) bool {
	return slices.ContainsFunc(list, func(o Option) bool { return o.ID == id })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
