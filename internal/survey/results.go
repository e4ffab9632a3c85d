package survey

import (
	"encoding/json"
	"fmt"

	"narvard/internal/questionnaire"
)

// Results are a survey's results: how many were invited and how many
// submitted, and per question n (how many answered it), the count and
// whole per cent of each option (per row for a matrix), the figures of
// integer and table questions, and text answers with their respondents.
type Results struct {
	Survey    string           `json:"survey"`
	Title     string           `json:"title"`
	Noun      string           `json:"noun"`
	Invited   int              `json:"invited"`
	Responded int              `json:"responded"`
	Rate      int              `json:"response_rate"` // whole per cent, halves up
	Questions []QuestionResult `json:"questions"`
}

// QuestionResult is one question's result. Counts and Percent are by
// option id (yesno: "ja", "nej"), over Options in the template's order;
// a matrix has them per row, a table its figures per row and column and
// Totals per column; an integer question has Stats; a text question its
// Answers. A question shown only on a branch (visible_if) has Branch: how
// many gave the answer that shows it.
type QuestionResult struct {
	ID      string                 `json:"id"`
	Text    string                 `json:"text"`
	Type    questionnaire.Type     `json:"type"`
	N       int                    `json:"n"`
	Options []questionnaire.Option `json:"options,omitempty"`
	Counts  map[string]int         `json:"counts,omitempty"`
	Percent map[string]int         `json:"percent,omitempty"`
	Rows    []RowResult            `json:"rows,omitempty"`
	Totals  []Stats                `json:"totals,omitempty"`
	Stats   *Stats                 `json:"stats,omitempty"`
	Answers []TextAnswer           `json:"answers,omitempty"`
	Branch  *Branch                `json:"branch,omitempty"`
}

// RowResult is a matrix row's counts and per cents, or a table row's
// figures per column.
type RowResult struct {
	ID      string         `json:"id"`
	Text    string         `json:"text"`
	N       int            `json:"n"`
	Counts  map[string]int `json:"counts,omitempty"`
	Percent map[string]int `json:"percent,omitempty"`
	Columns []Stats        `json:"columns,omitempty"`
}

// Branch is the answer that shows a question and how many gave it.
type Branch struct {
	Question string `json:"question"`
	Equals   string `json:"equals"`
	N        int    `json:"n"`
}

// TextAnswer is a text answer with the respondent.
type TextAnswer struct {
	Recipient string `json:"recipient"`
	Name      string `json:"name"`
	Text      string `json:"text"`
}

// Summary is the response line: "226 av 290 kommuner har svarat (78 %)".
func (r Results) Summary() string {
	return fmt.Sprintf("%d av %d %s har svarat (%d %%)", r.Responded, r.Invited, r.Noun, r.Rate)
}

// Compute computes the results of the submitted responses; names are the
// organisations' names by id. Sections repeated per municipality (RSS
// activity reports) are not survey questions and are left out.
func Compute(s Survey, responses []Response, names map[string]string) Results {
	var subs []Response
	for _, r := range responses {
		if r.Submitted && s.Invited(r.Recipient) {
			subs = append(subs, r)
		}
	}
	res := Results{Survey: s.ID, Title: s.Title, Noun: s.Noun(), Invited: len(s.Recipients), Responded: len(subs),
		Rate: Share(len(subs), len(s.Recipients)), Questions: []QuestionResult{}}
	for _, sec := range s.Template.Sections {
		if sec.Repeat != "" {
			continue
		}
		for _, q := range sec.Questions {
			res.Questions = append(res.Questions, question(q, subs, names))
		}
	}
	return res
}

// Options are the answers a yesno, choice, multichoice or matrix question
// may have, in order.
func Options(q questionnaire.Question) []questionnaire.Option {
	if q.Type == questionnaire.YesNo {
		return []questionnaire.Option{{ID: questionnaire.Yes, Text: "Ja"}, {ID: questionnaire.No, Text: "Nej"}}
	}
	return q.Options
}

func question(q questionnaire.Question, subs []Response, names map[string]string) QuestionResult {
	out := QuestionResult{ID: q.ID, Text: q.Text, Type: q.Type}
	if v := q.VisibleIf; v != nil {
		out.Branch = &Branch{Question: v.Question, Equals: v.Equals}
		for _, r := range subs {
			var s string
			if json.Unmarshal(r.Answers[v.Question], &s) == nil && s == v.Equals {
				out.Branch.N++
			}
		}
	}
	switch q.Type {
	case questionnaire.YesNo, questionnaire.Choice, questionnaire.MultiChoice:
		out.Options = Options(q)
		out.N, out.Counts, out.Percent = choices(q, subs)
	case questionnaire.Matrix:
		out.Options = Options(q)
		out.Rows, out.N = matrix(q, subs)
	case questionnaire.Integer:
		st := statsOf(integers(q.ID, subs))
		out.N, out.Stats = st.N, &st
	case questionnaire.Table:
		out.Rows, out.Totals, out.N = table(q, subs)
	case questionnaire.Text:
		out.Answers = texts(q.ID, subs, names)
		out.N = len(out.Answers)
	}
	return out
}

// tally counts the answers by option and gives the per cents: by the
// largest remainder over the options, or, for a multichoice (one may pick
// several), each option's share of n.
func tally(opts []questionnaire.Option, picked []string, n int, multi bool) (map[string]int, map[string]int) {
	counts := map[string]int{}
	for _, o := range opts {
		counts[o.ID] = 0
	}
	for _, p := range picked {
		counts[p]++
	}
	list := make([]int, len(opts))
	for i, o := range opts {
		list[i] = counts[o.ID]
	}
	pct := Percent(list)
	percent := map[string]int{}
	for i, o := range opts {
		percent[o.ID] = pct[i]
		if multi {
			percent[o.ID] = Share(list[i], n)
		}
	}
	return counts, percent
}

func choices(q questionnaire.Question, subs []Response) (int, map[string]int, map[string]int) {
	var picked []string
	n := 0
	for _, r := range subs {
		raw, ok := r.Answers[q.ID]
		if !ok {
			continue
		}
		if q.Type == questionnaire.MultiChoice {
			var list []string
			if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
				continue
			}
			picked = append(picked, list...)
		} else {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				continue
			}
			picked = append(picked, s)
		}
		n++
	}
	counts, percent := tally(Options(q), picked, n, q.Type == questionnaire.MultiChoice)
	return n, counts, percent
}

// matrix gives each row's result; the question's n is how many answered
// at least one row.
func matrix(q questionnaire.Question, subs []Response) ([]RowResult, int) {
	picked := map[string][]string{}
	n := 0
	for _, r := range subs {
		var m map[string]string
		if json.Unmarshal(r.Answers[q.ID], &m) != nil || len(m) == 0 {
			continue
		}
		n++
		for row, v := range m {
			picked[row] = append(picked[row], v)
		}
	}
	rows := make([]RowResult, len(q.Rows))
	for i, row := range q.Rows {
		c, p := tally(q.Options, picked[row.ID], len(picked[row.ID]), false)
		rows[i] = RowResult{ID: row.ID, Text: row.Text, N: len(picked[row.ID]), Counts: c, Percent: p}
	}
	return rows, n
}

func integers(id string, subs []Response) []int64 {
	var vals []int64
	for _, r := range subs {
		var v int64
		if raw, ok := r.Answers[id]; ok && json.Unmarshal(raw, &v) == nil {
			vals = append(vals, v)
		}
	}
	return vals
}

// table gives each row's figures per column, each column's totals over
// the rows, and n: how many answered at least one cell.
func table(q questionnaire.Question, subs []Response) ([]RowResult, []Stats, int) {
	cells := map[[2]string][]int64{}
	cols := map[string][]int64{}
	n := 0
	for _, r := range subs {
		var m map[string]map[string]int64
		if json.Unmarshal(r.Answers[q.ID], &m) != nil || len(m) == 0 {
			continue
		}
		n++
		for _, row := range q.Rows {
			for _, c := range q.Columns {
				if v, ok := m[row.ID][c.ID]; ok {
					cells[[2]string{row.ID, c.ID}] = append(cells[[2]string{row.ID, c.ID}], v)
					cols[c.ID] = append(cols[c.ID], v)
				}
			}
		}
	}
	rows := make([]RowResult, len(q.Rows))
	for i, row := range q.Rows {
		rows[i] = RowResult{ID: row.ID, Text: row.Text}
		for _, c := range q.Columns {
			st := statsOf(cells[[2]string{row.ID, c.ID}])
			st.ID, st.Text = c.ID, c.Text
			rows[i].Columns = append(rows[i].Columns, st)
			rows[i].N = max(rows[i].N, st.N)
		}
	}
	totals := make([]Stats, len(q.Columns))
	for i, c := range q.Columns {
		totals[i] = statsOf(cols[c.ID])
		totals[i].ID, totals[i].Text = c.ID, c.Text
	}
	return rows, totals, n
}

func texts(id string, subs []Response, names map[string]string) []TextAnswer {
	var out []TextAnswer
	for _, r := range subs {
		var s string
		if raw, ok := r.Answers[id]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
			out = append(out, TextAnswer{Recipient: r.Recipient, Name: names[r.Recipient], Text: s})
		}
	}
	return out
}
