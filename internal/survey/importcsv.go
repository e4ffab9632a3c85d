package survey

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"narvard/internal/csvfile"
	"narvard/internal/fault"
	"narvard/internal/questionnaire"
)

// RecipientColumn is the import file's first column.
const RecipientColumn = "recipient"

// maxErrors bounds the errors an import reports.
const maxErrors = 50

// Imported is one row of an import: the recipient's answers, cleaned as
// the template says, and the row's line.
type Imported struct {
	Recipient string
	Line      int
	Answers   questionnaire.Answers
}

// ReadImport reads answers collected elsewhere from a CSV file as Excel
// writes it (csvfile's dialect rules): a header recipient,<cell>,… with
// one column per answer cell, named as Template.CellKeys names them (the
// question id; question.row for a matrix row; question.row.column for a
// table cell), one row per recipient; a multichoice's option ids joined
// by "|"; an empty cell for no answer. known says whether an organisation
// exists. The whole file is refused if any row is bad (an unknown
// recipient or option, a recipient not invited, a duplicate, an answer the
// template refuses): an Invalid fault whose fields are "file:line" and
// whose message lists them.
func ReadImport(s Survey, name string, r io.Reader, known func(string) bool) ([]Imported, error) {
	f, err := csvfile.Read(name, r)
	if err != nil {
		return nil, refuseFile(name, []string{err.Error()}, map[string]string{name: err.Error()})
	}
	cols, bad := columns(s.Template, f)
	if len(bad) > 0 {
		return nil, refuseFile(name, bad, map[string]string{fmt.Sprintf("%s:%d", name, f.HeaderLine): strings.Join(bad, "; ")})
	}
	var out []Imported
	var msgs []string
	fields := map[string]string{}
	seen := map[string]int{}
	for _, row := range f.Rows() {
		im, problems := readRow(s, cols, row, known, seen)
		if len(problems) > 0 {
			key := fmt.Sprintf("%s:%d", name, row.Line)
			fields[key] = strings.Join(problems, "; ")
			msgs = append(msgs, key+": "+fields[key])
			continue
		}
		out = append(out, im)
	}
	if len(out) == 0 && len(msgs) == 0 {
		msgs = append(msgs, fmt.Sprintf("%s:%d: filen har inga svar", name, f.LastLine()))
		fields[fmt.Sprintf("%s:%d", name, f.LastLine())] = "filen har inga svar"
	}
	if len(msgs) > 0 {
		return nil, refuseFile(name, msgs, fields)
	}
	return out, nil
}

func refuseFile(name string, msgs []string, fields map[string]string) error {
	if len(msgs) > maxErrors {
		msgs = append(msgs[:maxErrors], fmt.Sprintf("och %d fel till", len(msgs)-maxErrors))
	}
	return &fault.Error{Code: fault.Invalid, Fields: fields,
		Message: "Filen " + name + " togs inte emot, inga svar har sparats: " + strings.Join(msgs, "; ")}
}

// cell is a column of the file: the question and the row and column of
// its answer it holds.
type cell struct {
	name     string
	q        questionnaire.Question
	row, col string
}

// columns maps the header's columns (after recipient) to answer cells.
func columns(t *questionnaire.Template, f *csvfile.File) ([]cell, []string) {
	header := f.Columns()
	if len(header) == 0 || !strings.EqualFold(header[0], RecipientColumn) {
		return nil, []string{fmt.Sprintf("%s:%d: första kolumnen ska vara %q", f.Name, f.HeaderLine, RecipientColumn)}
	}
	keys := t.CellKeys(nil)
	var out []cell
	var bad []string
	seen := map[string]bool{}
	for _, h := range header[1:] {
		if !slices.Contains(keys, h) || seen[h] {
			bad = append(bad, fmt.Sprintf("%s:%d: kolumnen %q är ingen svarscell i %s eller finns två gånger", f.Name, f.HeaderLine, h, t.ID))
			continue
		}
		seen[h] = true
		parts := strings.SplitN(h, ".", 3)
		q, _, _ := t.Question(parts[0])
		c := cell{name: h, q: q}
		if len(parts) > 1 {
			c.row = parts[1]
		}
		if len(parts) > 2 {
			c.col = parts[2]
		}
		out = append(out, c)
	}
	return out, bad
}

// readRow reads one row: its recipient and answers, or what is wrong.
func readRow(s Survey, cols []cell, row csvfile.Row, known func(string) bool, seen map[string]int) (Imported, []string) {
	rec := row.Get(RecipientColumn)
	switch {
	case rec == "":
		return Imported{}, []string{"mottagare saknas"}
	case !known(rec):
		return Imported{}, []string{fmt.Sprintf("mottagaren %q finns inte", rec)}
	case !s.Invited(rec):
		return Imported{}, []string{fmt.Sprintf("%s är inte inbjuden till enkäten", rec)}
	case seen[rec] > 0:
		return Imported{}, []string{fmt.Sprintf("%s finns redan på rad %d", rec, seen[rec])}
	}
	seen[rec] = row.Line
	answers, problems := rowAnswers(cols, row)
	if len(problems) > 0 {
		return Imported{}, problems
	}
	clean, err := s.Template.Clean(answers, questionnaire.Context{}, false)
	if err != nil {
		return Imported{}, fieldProblems(err)
	}
	return Imported{Recipient: rec, Line: row.Line, Answers: clean}, nil
}

// rowAnswers builds the row's answers as the template's JSON.
func rowAnswers(cols []cell, row csvfile.Row) (questionnaire.Answers, []string) {
	matrix := map[string]map[string]any{}
	var problems []string
	answers := questionnaire.Answers{}
	for _, c := range cols {
		v := row.Get(c.name)
		if v == "" {
			continue
		}
		val, err := cellValue(c, v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %q: %v", c.name, v, err))
			continue
		}
		switch {
		case c.col != "":
			key := c.q.ID + "." + c.row
			if matrix[key] == nil {
				matrix[key] = map[string]any{}
			}
			matrix[key][c.col] = val
		case c.row != "":
			if matrix[c.q.ID] == nil {
				matrix[c.q.ID] = map[string]any{}
			}
			matrix[c.q.ID][c.row] = val
		default:
			answers[c.q.ID] = mustJSON(val)
		}
	}
	tables := map[string]map[string]any{}
	for key, m := range matrix {
		id, r, isTable := strings.Cut(key, ".")
		if !isTable {
			answers[id] = mustJSON(m)
			continue
		}
		if tables[id] == nil {
			tables[id] = map[string]any{}
		}
		tables[id][r] = m
	}
	for id, m := range tables {
		answers[id] = mustJSON(m)
	}
	return answers, problems
}

// cellValue reads one cell as its answer's JSON value.
func cellValue(c cell, v string) (any, error) {
	switch {
	case c.q.Type == questionnaire.Integer || c.q.Type == questionnaire.Table:
		return csvfile.ParseInt(v)
	case c.q.Type == questionnaire.MultiChoice:
		parts := strings.Split(v, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts, nil
	case c.q.Type == questionnaire.YesNo:
		return strings.ToLower(v), nil
	}
	return v, nil
}

// fieldProblems turns the template's refusal (fields by answer key) into
// the row's problems, sorted.
func fieldProblems(err error) []string {
	var f *fault.Error
	if !errors.As(err, &f) || len(f.Fields) == 0 {
		return []string{err.Error()}
	}
	var out []string
	for k, msg := range f.Fields {
		out = append(out, k+": "+msg)
	}
	sort.Strings(out)
	return out
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("survey: " + err.Error()) // strings, numbers and maps of them
	}
	return b
}
