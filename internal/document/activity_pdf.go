package document

import (
	"encoding/json"
	"io"
	"sort"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/questionnaire"
)

// ActivityDoc is what an activity report's PDF shows.
type ActivityDoc struct {
	Agreement     *agreement.Agreement
	Template      *questionnaire.Template
	Report        grant.ActivityReport
	RecipientName string
	ReceiverName  string
	Generated     time.Time
	Rehearsal     bool // made on a rehearsal clock: every page says ÖVNING
}

// ActivityPDF writes an activity report: every answered question under
// its section, the conditions each question reports on, the conditions
// answered, and the signature, with the agreement's reference number on
// every page.
func ActivityPDF(w io.Writer, d ActivityDoc) error {
	r, t := d.Report, d.Template
	footer := rehearsal(d.Rehearsal, "Verksamhetsrapport "+r.ID+" · "+t.ID+" · utskriven "+when(d.Generated))
	return render(w, dnrHeader(d.Agreement.Dnr, ""), footer, func(s *sheet) {
		s.title(t.Title)
		s.paragraph(d.Agreement.Name, false)
		s.field("Från", d.RecipientName)
		s.field("Till", d.ReceiverName)
		s.field("Status", r.Status.Swedish())
		if r.Late {
			s.paragraph("Inkommen efter tidsfristen.", true)
		}
		answered := map[string]bool{}
		for _, sec := range t.Sections {
			s.heading(sec.Title)
			for _, q := range sec.Questions {
				lines := answerLines(q, sec, r.Answers[q.ID])
				if len(lines) == 0 {
					continue
				}
				s.paragraph(q.Text, true)
				for _, l := range lines {
					s.paragraph(l, false)
				}
				for _, c := range q.Conditions {
					answered[c] = true
				}
			}
		}
		conditions(s, d.Agreement, answered)
		s.heading("Underskrift av behörig företrädare")
		signature(s, r.SignedAt, r.SignedBy)
	})
}

// answerLines is an answer in words; in a section asked per
// municipality, each line starts with the municipality.
func answerLines(q questionnaire.Question, sec questionnaire.Section, raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	if sec.Repeat == "" {
		return q.AnswerText(raw)
	}
	var per map[string]json.RawMessage
	_ = json.Unmarshal(raw, &per)
	codes := make([]string, 0, len(per))
	for c := range per {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var out []string
	for _, code := range codes {
		name := code
		if m, ok := geo.Kommun(code); ok {
			name = m.Name
		}
		for _, l := range q.AnswerText(per[code]) {
			out = append(out, name+": "+l)
		}
	}
	return out
}

// conditions lists the agreement's conditions the answered questions
// report on, in the agreement's order.
func conditions(s *sheet, ag *agreement.Agreement, answered map[string]bool) {
	if len(answered) == 0 {
		return
	}
	s.heading("Villkor i överenskommelsen som rapporten besvarar")
	for _, c := range ag.Conditions {
		if answered[c.ID] {
			s.paragraph(c.ID+" "+c.Title, true)
			s.paragraph(c.Text, false)
		}
	}
}
