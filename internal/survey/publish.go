package survey

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"narvard/internal/clock"
	"narvard/internal/csvfile"
	"narvard/internal/questionnaire"
	"narvard/internal/xlsxfile"
)

// Table is a results table as Socialstyrelsen prints one: the question,
// one row per matrix row (one row for a yesno or choice question), per
// option the count and the per cent, n per row, and a source line.
type Table struct {
	Question string
	Text     string
	Options  []questionnaire.Option
	Rows     []TableRow
	Multi    bool   // a multichoice: per cents of n, need not sum to 100
	Branch   string // for a question asked only for an answer: to whom, and how many
	Source   string
}

// TableRow is one row: its label, n and per option the count and per
// cent.
type TableRow struct {
	Label   string
	N       int
	Counts  []int
	Percent []int
}

// Cell is the printed cell of option i: "105 (47)", antal och procent i
// parentes.
func (r TableRow) Cell(i int) string { return fmt.Sprintf("%d (%d)", r.Counts[i], r.Percent[i]) }

// Tables are the results tables of every yesno, choice, multichoice and
// matrix question, each with the source line.
func Tables(res Results, source string) []Table {
	var out []Table
	for _, q := range res.Questions {
		if len(q.Options) == 0 {
			continue
		}
		t := Table{Question: q.ID, Text: q.Text, Options: q.Options, Multi: q.Type == questionnaire.MultiChoice,
			Branch: branchLine(res, q), Source: fmt.Sprintf("Källa: %s. n = antal som besvarat frågan.", source)}
		if q.Type == questionnaire.Matrix {
			for _, r := range q.Rows {
				t.Rows = append(t.Rows, tableRow(r.Text, r.N, q.Options, r.Counts, r.Percent))
			}
		} else {
			t.Rows = append(t.Rows, tableRow(q.Text, q.N, q.Options, q.Counts, q.Percent))
		}
		out = append(out, t)
	}
	return out
}

// branchLine says to whom a question asked only for an answer was put:
// "Frågan ställdes till de 163 som svarade Nej på fråga q2."
func branchLine(res Results, q QuestionResult) string {
	if q.Branch == nil {
		return ""
	}
	answer := q.Branch.Equals
	for _, t := range res.Questions {
		for _, o := range t.Options {
			if t.ID == q.Branch.Question && o.ID == q.Branch.Equals {
				answer = o.Text
			}
		}
	}
	return fmt.Sprintf("Frågan ställdes till de %d som svarade %s på fråga %s.", q.Branch.N, answer, q.Branch.Question)
}

func tableRow(label string, n int, opts []questionnaire.Option, counts, percent map[string]int) TableRow {
	r := TableRow{Label: label, N: n}
	for _, o := range opts {
		r.Counts = append(r.Counts, counts[o.ID])
		r.Percent = append(r.Percent, percent[o.ID])
	}
	return r
}

// header is a table's column heads: the row, per option its count and
// its per cent, and n.
func (t Table) header() []string {
	h := []string{"Fråga " + t.Question}
	for _, o := range t.Options {
		h = append(h, o.Text+" (antal)", o.Text+" (%)")
	}
	return append(h, "n")
}

// WriteXLSX writes the tables on one sheet, each under its question's
// text, with numeric cells (counts and per cents in columns of their own)
// and its source line below it.
func WriteXLSX(w io.Writer, title string, summary string, tables []Table) error {
	s := xlsxfile.New("Resultat")
	defer s.Close()
	s.Title(title)
	s.Row(title)
	s.Row(summary)
	for _, t := range tables {
		s.Skip()
		s.Row(t.Text)
		h := t.header()
		cells := make([]any, len(h))
		for i, c := range h {
			cells[i] = c
		}
		s.Row(cells...)
		for _, r := range t.Rows {
			row := []any{r.Label}
			for i := range r.Counts {
				row = append(row, r.Counts[i], r.Percent[i])
			}
			s.Row(append(row, r.N)...)
		}
		if t.Branch != "" {
			s.Row(t.Branch)
		}
		s.Row(t.Source)
	}
	s.Width("A", "A", 50)
	_, err := s.WriteTo(w)
	return err
}

// WriteCSV writes the tables as CSV: the same rows as the XLSX, numbers
// as digits, text made safe for spreadsheets.
func WriteCSV(w io.Writer, title, summary string, tables []Table) error {
	cw := csv.NewWriter(w)
	cw.Write(csvfile.Texts(title))
	cw.Write(csvfile.Texts(summary))
	for _, t := range tables {
		cw.Write([]string{})
		cw.Write(csvfile.Texts(t.Text))
		cw.Write(csvfile.Texts(t.header()...))
		for _, r := range t.Rows {
			row := []string{csvfile.Text(r.Label)}
			for i := range r.Counts {
				row = append(row, strconv.Itoa(r.Counts[i]), strconv.Itoa(r.Percent[i]))
			}
			cw.Write(append(row, strconv.Itoa(r.N)))
		}
		if t.Branch != "" {
			cw.Write(csvfile.Texts(t.Branch))
		}
		cw.Write(csvfile.Texts(t.Source))
	}
	cw.Flush()
	return cw.Error()
}

// Export is every respondent's answers, one row each: the recipient, its
// name, where the answer came from, when, and a column per answer cell
// (Template.CellKeys).
type Export struct {
	Keys []string
	Rows []ExportRow
}

// ExportRow is one respondent's row.
type ExportRow struct {
	Recipient, Name, Source, At string
	Cells                       map[string]any
}

// Answers exports the submitted responses, in the survey's order of
// recipients.
func Answers(s Survey, responses []Response, names map[string]string) Export {
	by := map[string]Response{}
	for _, r := range responses {
		if r.Submitted {
			by[r.Recipient] = r
		}
	}
	e := Export{Keys: s.Template.CellKeys(nil)}
	var multi []string // the multichoice questions, written as the import reads them
	for _, sec := range s.Template.Sections {
		for _, q := range sec.Questions {
			if q.Type == questionnaire.MultiChoice && sec.Repeat == "" {
				multi = append(multi, q.ID)
			}
		}
	}
	for _, id := range s.Recipients {
		r, ok := by[id]
		if !ok {
			continue
		}
		cells := s.Template.Cells(r.Answers)
		for _, q := range multi {
			if v, ok := r.Answers[q]; ok {
				var list []string
				_ = json.Unmarshal(v, &list)
				cells[q] = strings.Join(list, "|")
			}
		}
		e.Rows = append(e.Rows, ExportRow{Recipient: id, Name: names[id], Source: r.Source,
			At: r.At.In(clock.Stockholm).Format("2006-01-02 15:04"), Cells: cells})
	}
	return e
}

// Header is the export's column heads.
func (e Export) Header() []string {
	return append([]string{RecipientColumn, "namn", "källa", "besvarad"}, e.Keys...)
}

// WriteCSV writes the export; its header and cells are those an import
// reads back (a multichoice's ids joined by "|").
func (e Export) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(e.Header())
	for _, r := range e.Rows {
		row := csvfile.Texts(r.Recipient, r.Name, r.Source, r.At)
		for _, k := range e.Keys {
			row = append(row, cellText(r.Cells[k]))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the export with numbers as numeric cells.
func (e Export) WriteXLSX(w io.Writer, title string) error {
	s := xlsxfile.New("Svar")
	defer s.Close()
	s.Title(title)
	h := e.Header()
	head := make([]any, len(h))
	for i, c := range h {
		head[i] = c
	}
	s.Header(head...)
	for _, r := range e.Rows {
		row := []any{r.Recipient, r.Name, r.Source, r.At}
		for _, k := range e.Keys {
			row = append(row, r.Cells[k])
		}
		s.Row(row...)
	}
	_, err := s.WriteTo(w)
	return err
}

func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return csvfile.Text(v)
	}
	return fmt.Sprint(v)
}
