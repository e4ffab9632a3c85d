package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
)

// questionInput is one question on a section's form: its inputs' names
// start with Name (the question's id, and the municipality's code in a
// section asked per municipality).
type questionInput struct {
	Q          questionnaire.Question
	Name       string
	Values     map[string][]string
	Errors     map[string]string
	Conditions []agreement.Condition
	When       string // when a question shown only for an answer is asked
}

// Sub is the name of an input of the question: a row's, a cell's.
func (q questionInput) Sub(parts ...string) string {
	return strings.Join(append([]string{q.Name}, parts...), ".")
}

// Value is the input's value.
func (q questionInput) Value(name string) string {
	if v := q.Values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Checked reports whether the input has the value.
func (q questionInput) Checked(name, value string) bool {
	return slices.Contains(q.Values[name], value)
}

// Err is the input's error message.
func (q questionInput) Err(name string) string { return q.Errors[name] }

// Invalid reports whether any input of the question has an error.
func (q questionInput) Invalid() bool {
	for k := range q.Errors {
		if k == q.Name || strings.HasPrefix(k, q.Name+".") {
			return true
		}
	}
	return false
}

// kommunInputs is one municipality's part of a section asked per
// municipality.
type kommunInputs struct {
	Code, Name string
	Questions  []questionInput
}

type sectionView struct {
	Rep           grant.ActivityReport
	T             *questionnaire.Template
	Section       questionnaire.Section
	Number, Count int
	Questions     []questionInput
	Kommuner      []kommunInputs
	Errors        formErrors
	ErrorLines    []errorLine
	Last          bool
}

func (s *server) inputsOf(t *questionnaire.Template, sec questionnaire.Section, suffix string, values map[string][]string, errs map[string]string) []questionInput {
	ag, _ := s.agreements.Get(t.Agreement)
	var out []questionInput
	for _, q := range sec.Questions {
		in := questionInput{Q: q, Name: q.ID + suffix, Values: values, Errors: errs}
		for _, id := range q.Conditions {
			if c, ok := ag.Condition(id); ok {
				in.Conditions = append(in.Conditions, c)
			}
		}
		if v := q.VisibleIf; v != nil {
			target, _, _ := t.Question(v.Question)
			in.When = fmt.Sprintf("Besvaras bara om svaret på %q är %s.", target.Text, optionText(target, v.Equals))
		}
		out = append(out, in)
	}
	return out
}

func (s *server) renderSection(w http.ResponseWriter, r *http.Request, status int, rep grant.ActivityReport, t *questionnaire.Template, values map[string][]string, errs formErrors) {
	i := sectionIndex(t, r.PathValue("section"))
	if i < 0 {
		s.notFound(w, r)
		return
	}
	sec := t.Sections[i]
	v := sectionView{Rep: rep, T: t, Section: sec, Number: i + 1, Count: len(t.Sections), Errors: errs, Last: i+1 == len(t.Sections),
		ErrorLines: errorLines(t, errs.Fields)}
	if sec.Repeat == "" {
		v.Questions = s.inputsOf(t, sec, "", values, errs.Fields)
	}
	for _, code := range kommunerOf(sec, rep.Recipient) {
		v.Kommuner = append(v.Kommuner, kommunInputs{Code: code, Name: s.kommunName(code), Questions: s.inputsOf(t, sec, "."+code, values, errs.Fields)})
	}
	s.render(w, r, status, "activity_section.html", sec.Title, v)
}

func kommunerOf(sec questionnaire.Section, recipient string) []string {
	if sec.Repeat == "" {
		return nil
	}
	return app.AnswerContext(recipient).Kommuner
}

// errorLine is an error with the question and section it belongs to.
type errorLine struct {
	Key, Section, Question, Text string
}

func errorLines(t *questionnaire.Template, fields map[string]string) []errorLine {
	var out []errorLine
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range fields {
			if !yield(k) {
				return
			}
		}
	}) {
		id, _, _ := strings.Cut(k, ".")
		q, sec, _ := t.Question(id)
		out = append(out, errorLine{Key: k, Section: sec.ID, Question: q.Text, Text: fields[k]})
	}
	return out
}

// optionText is the text of an answer id of a yesno or choice question.
func optionText(q questionnaire.Question, id string) string {
	for _, o := range q.Options {
		if o.ID == id {
			return o.Text
		}
	}
	return id
}

// answerLine is an answered question on the report's page.
type answerLine struct {
	Question string
	Answer   []string
}

type sectionAnswersView struct {
	Section questionnaire.Section
	Lines   []answerLine
}

type activityView struct {
	Rep                          grant.ActivityReport
	T                            *questionnaire.Template
	RecipientName, ReceiverName  string
	Deadline                     string
	Sections                     []sectionAnswersView
	CanEdit, CanSign, CanReceive bool
	Errors                       formErrors
	ErrorLines                   []errorLine
	Changes                      []app.HistoryEntry
}

func (s *server) showActivity(w http.ResponseWriter, r *http.Request, sess *session, status int, errs formErrors) {
	a := sess.Actor()
	rep, t, err := s.report(r, a)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := activityView{Rep: rep, T: t, RecipientName: s.orgName(r, rep.Recipient), ReceiverName: org.AgencyName(rep.Receiver),
		Errors: errs, ErrorLines: errorLines(t, errs.Fields)}
	if ag, err := s.agreements.Get(t.Agreement); err == nil {
		d, _ := ag.Deadline(t.Deadline)
		v.Deadline = d.Date.String()
	}
	v.CanEdit = editable(rep) && grant.CanWriteActivityReport(a, rep.Recipient) == nil
	v.CanSign = editable(rep) && grant.CanSign(a, rep.Recipient) == nil
	v.CanReceive = rep.Status == grant.ActivitySubmitted && grant.CanReceiveActivityReport(a, rep.Receiver) == nil
	for _, sec := range t.Sections {
		sv := sectionAnswersView{Section: sec}
		for _, q := range sec.Questions {
			if lines := s.answerText(q, sec, rep.Answers[q.ID]); len(lines) > 0 {
				sv.Lines = append(sv.Lines, answerLine{q.Text, lines})
			}
		}
		v.Sections = append(v.Sections, sv)
	}
	if v.Changes, err = s.app.History(r.Context(), a, "activity:"+rep.ID); err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, status, "activity.html", t.Title, v)
}

// answerText is an answer in words: one line, or a line per row, cell or
// municipality.
func (s *server) answerText(q questionnaire.Question, sec questionnaire.Section, raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	if sec.Repeat != "" {
		var per map[string]json.RawMessage
		_ = json.Unmarshal(raw, &per)
		var out []string
		for _, code := range slices.Sorted(func(yield func(string) bool) {
			for c := range per {
				if !yield(c) {
					return
				}
			}
		}) {
			for _, l := range oneAnswerText(q, per[code]) {
				out = append(out, s.kommunName(code)+": "+l)
			}
		}
		return out
	}
	return oneAnswerText(q, raw)
}

func oneAnswerText(q questionnaire.Question, raw json.RawMessage) []string {
	return q.AnswerText(raw)
}
