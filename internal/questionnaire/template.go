// Package questionnaire owns question templates (frågeunderlag) and the
// answers given to them: the one format for activity reports and surveys,
// JSON as documented by template.schema.json; the templates shipped with
// the product (data/*.json) and those a follow-up agency publishes later;
// the checks that refuse an inconsistent template, naming the question;
// and the validation of answers (answers.go). It knows nothing of who
// files what: reports and their states are package grant's.
package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/fault"
)

// Type is the kind of a question, which fixes the shape of its answer.
type Type string

// The question types and their answers.
const (
	Text        Type = "text"        // a string
	Integer     Type = "integer"     // a whole number
	YesNo       Type = "yesno"       // "ja" or "nej"
	Choice      Type = "choice"      // one option id
	MultiChoice Type = "multichoice" // a list of option ids
	Matrix      Type = "matrix"      // {row id: option id}
	Table       Type = "table"       // {row id: {column id: whole number}}
)

// Types are the valid question types.
var Types = []Type{Text, Integer, YesNo, Choice, MultiChoice, Matrix, Table}

// The answers of a yesno question.
const (
	Yes = "ja"
	No  = "nej"
)

// RepeatKommun repeats a section once per municipality of the RSS's
// county: each of its questions is answered as {municipality code: answer}.
const RepeatKommun = "kommun"

// UseSurvey marks a survey's template (Template.Use).
const UseSurvey = "survey"

// DefaultMaxLength bounds a text answer whose question sets no max_length.
const DefaultMaxLength = 20000

// Template is a question template: who answers it, to whom, by which of
// the agreement's deadlines, and its sections of questions. A published
// template never changes; a new version is a new id.
type Template struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Use is "" for an activity report's template and UseSurvey for a
	// survey's: a survey's template needs no agreement, recipients,
	// receiver or deadline (the survey names its recipients and dates).
	Use        string                    `json:"use,omitempty"`
	Agreement  string                    `json:"agreement,omitempty"`
	Recipients []agreement.RecipientKind `json:"recipients,omitempty"`
	Receiver   string                    `json:"receiver,omitempty"`
	Deadline   agreement.DeadlineID      `json:"deadline,omitempty"`
	Sections   []Section                 `json:"sections"`
}

// Section is a page of questions.
type Section struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Intro string `json:"intro,omitempty"`
	// Repeat, if RepeatKommun, asks the section's questions once per
	// municipality of the answering RSS's county.
	Repeat    string     `json:"repeat,omitempty"`
	Questions []Question `json:"questions"`
}

// Question is one question. Which fields apply depends on its type (see
// template.schema.json).
type Question struct {
	ID         string     `json:"id"`
	Text       string     `json:"text"`
	Help       string     `json:"help,omitempty"`
	Type       Type       `json:"type"`
	Required   bool       `json:"required,omitempty"`
	MaxLength  int        `json:"max_length,omitempty"`
	Min        *int64     `json:"min,omitempty"`
	Max        *int64     `json:"max,omitempty"`
	VisibleIf  *VisibleIf `json:"visible_if,omitempty"`
	Conditions []string   `json:"conditions,omitempty"`
	Rows       []Option   `json:"rows,omitempty"`
	Columns    []Option   `json:"columns,omitempty"`
	Options    []Option   `json:"options,omitempty"`
}

// Option is an option, a row or a column.
type Option struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// VisibleIf shows a question only when an earlier yesno or choice
// question has the given answer.
type VisibleIf struct {
	Question string `json:"question"`
	Equals   string `json:"equals"`
}

// Limit is the longest text answer the question takes.
func (q Question) Limit() int {
	if q.MaxLength > 0 {
		return q.MaxLength
	}
	return DefaultMaxLength
}

// Question returns the question with the id and its section.
func (t *Template) Question(id string) (Question, Section, bool) {
	for _, s := range t.Sections {
		for _, q := range s.Questions {
			if q.ID == id {
				return q, s, true
			}
		}
	}
	return Question{}, Section{}, false
}

// Parse reads a template (strictly: an unknown field is refused) and
// checks that it is consistent in itself (check.go); CheckAgainst checks it
// against its agreement.
func Parse(b []byte) (*Template, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, fault.New(fault.Invalid, "Frågeunderlaget är inte giltig JSON: %v", err)
	}
	if dec.More() {
		return nil, fault.New(fault.Invalid, "Frågeunderlaget har mer än ett JSON-objekt.")
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return &t, nil
}

// Published is a template as a follow-up agency published it after the
// product shipped: its JSON as uploaded, by whom and when.
type Published struct {
	ID        string
	Agreement string
	Body      []byte
	By        string
	At        time.Time
}

func refuse(id string, msgs []string) error {
	if len(msgs) == 0 {
		return nil
	}
	s := fmt.Sprintf("Frågeunderlaget %q är inte konsekvent: %s", id, msgs[0])
	for _, m := range msgs[1:] {
		s += "; " + m
	}
	return fault.New(fault.Invalid, "%s", s)
}
