package questionnaire

import (
	"fmt"
	"regexp"
	"slices"

	"narvard/internal/agreement"
	"narvard/internal/org"
)

// validID is the shape of every id in a template: answers' error keys join
// ids with dots (q3.r1), so an id has none.
var validID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Receivers are the organisations activity reports go to.
var Receivers = []string{org.Socialstyrelsen, org.Socialdepartementet}

// check refuses a template that is inconsistent in itself, naming the
// question: missing or malformed ids, duplicate ids, an unknown type,
// options, rows or columns missing where the type needs them, limits on a
// type they do not fit, and a visible_if to an unknown or later question
// or to an answer that question cannot have.
func (t *Template) check() error {
	var msgs []string
	bad := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	if !validID.MatchString(t.ID) {
		bad("id %q saknas eller har otillåtna tecken (a-z, 0-9, _ och -)", t.ID)
	}
	switch {
	case t.Use != "" && t.Use != UseSurvey:
		bad("use %q är okänt (bara %q)", t.Use, UseSurvey)
	case t.Title == "" || t.Agreement == "" && t.Use != UseSurvey:
		bad("title och agreement krävs")
	}
	if len(t.Sections) == 0 {
		bad("minst en sektion krävs")
	}
	seen := map[string]string{} // question and section ids, to the section they are in
	for _, s := range t.Sections {
		if !validID.MatchString(s.ID) || seen[s.ID] != "" {
			bad("sektionen %q: id saknas, har otillåtna tecken eller finns redan", s.ID)
		}
		seen[s.ID] = s.ID
		if s.Repeat != "" && s.Repeat != RepeatKommun {
			bad("sektionen %s: repeat %q är okänt (bara %q)", s.ID, s.Repeat, RepeatKommun)
		}
		if len(s.Questions) == 0 {
			bad("sektionen %s har inga frågor", s.ID)
		}
		for _, q := range s.Questions {
			if _, dup := seen[q.ID]; dup {
				bad("fråga %q: id finns redan", q.ID)
			}
			for _, m := range q.check() {
				bad("fråga %s: %s", q.ID, m)
			}
			if m := visibleIf(t, s, q, seen); m != "" {
				bad("fråga %s: %s", q.ID, m)
			}
			seen[q.ID] = s.ID
		}
	}
	return refuse(t.ID, msgs)
}

// check is what is wrong with the question on its own.
func (q Question) check() []string {
	var msgs []string
	bad := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	if !validID.MatchString(q.ID) {
		bad("id saknas eller har otillåtna tecken (a-z, 0-9, _ och -)")
	}
	if q.Text == "" {
		bad("frågetext saknas")
	}
	if !slices.Contains(Types, q.Type) {
		bad("okänd typ %q (kända: text, integer, yesno, choice, multichoice, matrix, table)", q.Type)
	}
	msgs = append(msgs, q.checkLists()...)
	msgs = append(msgs, q.checkLimits()...)
	return msgs
}

// checkLists is what is wrong with the question's options, rows and
// columns: each where the type takes it and nowhere else.
func (q Question) checkLists() []string {
	var msgs []string
	needs := map[Type][3]bool{ // options, rows, columns
		Choice: {true, false, false}, MultiChoice: {true, false, false}, Matrix: {true, true, false}, Table: {false, true, true},
	}[q.Type]
	for i, list := range [][]Option{q.Options, q.Rows, q.Columns} {
		name := [...]string{"alternativ (options)", "rader (rows)", "kolumner (columns)"}[i]
		switch {
		case needs[i] && len(list) == 0:
			msgs = append(msgs, fmt.Sprintf("typen %s kräver %s", q.Type, name))
		case !needs[i] && len(list) > 0:
			msgs = append(msgs, fmt.Sprintf("typen %s har inga %s", q.Type, name))
		}
		if m := checkOptions(list); m != "" {
			msgs = append(msgs, name+": "+m)
		}
	}
	return msgs
}

// checkLimits is what is wrong with the question's max_length, min and
// max.
func (q Question) checkLimits() []string {
	var msgs []string
	if q.MaxLength != 0 && (q.Type != Text || q.MaxLength < 0) {
		msgs = append(msgs, "max_length gäller bara text och ska vara positivt")
	}
	if (q.Min != nil || q.Max != nil) && q.Type != Integer && q.Type != Table {
		msgs = append(msgs, "min och max gäller bara integer och table")
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		msgs = append(msgs, fmt.Sprintf("min %d är större än max %d", *q.Min, *q.Max))
	}
	return msgs
}

func checkOptions(list []Option) string {
	ids := map[string]bool{}
	for _, o := range list {
		if !validID.MatchString(o.ID) || ids[o.ID] || o.Text == "" {
			return fmt.Sprintf("%q saknar id eller text, har otillåtna tecken eller finns två gånger", o.ID)
		}
		ids[o.ID] = true
	}
	return ""
}

// visibleIf is what is wrong with the question's visible_if: it must name
// an earlier yesno or choice question (in the same section if that one is
// repeated per municipality) and an answer it can have.
func visibleIf(t *Template, s Section, q Question, before map[string]string) string {
	v := q.VisibleIf
	if v == nil {
		return ""
	}
	where, ok := before[v.Question]
	target, ts, exists := t.Question(v.Question)
	switch {
	case !exists:
		return fmt.Sprintf("visible_if hänvisar till %q, som inte finns", v.Question)
	case !ok || where == "" || v.Question == q.ID:
		return fmt.Sprintf("visible_if hänvisar till %q, som inte står före frågan", v.Question)
	case ts.Repeat != "" && ts.ID != s.ID:
		return fmt.Sprintf("visible_if hänvisar till %q i en annan sektion som upprepas per kommun", v.Question)
	case target.Type == YesNo && (v.Equals == Yes || v.Equals == No):
		return ""
	case target.Type == Choice && slices.ContainsFunc(target.Options, func(o Option) bool { return o.ID == v.Equals }):
		return ""
	case target.Type != YesNo && target.Type != Choice:
		return fmt.Sprintf("visible_if hänvisar till %q, som inte är en ja/nej- eller valfråga", v.Question)
	}
	return fmt.Sprintf("visible_if: %q kan inte vara svaret på %s", v.Equals, v.Question)
}

// CheckAgainst checks the template against its agreement: the agreement's
// id, known recipient kinds, a receiver activity reports go to, one of
// the agreement's deadlines, and conditions the agreement has; a section
// repeated per municipality only in a template for RSS alone.
func (t *Template) CheckAgainst(ag *agreement.Agreement) error {
	var msgs []string
	bad := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	if ag.ID != t.Agreement {
		bad("överenskommelsen %q är inte %q", t.Agreement, ag.ID)
	}
	if len(t.Recipients) == 0 {
		bad("recipients: minst en mottagartyp krävs")
	}
	for _, k := range t.Recipients {
		if !slices.Contains(agreement.RecipientKinds, k) {
			bad("recipients: okänd mottagartyp %q", k)
		}
	}
	if !slices.Contains(Receivers, t.Receiver) {
		bad("receiver: %q tar inte emot verksamhetsrapporter (kända: %s, %s)", t.Receiver, Receivers[0], Receivers[1])
	}
	if _, ok := ag.Deadline(t.Deadline); !ok {
		bad("deadline: %s har ingen tidsfrist %q", ag.ID, t.Deadline)
	}
	for _, s := range t.Sections {
		if s.Repeat != "" && !slices.Equal(t.Recipients, []agreement.RecipientKind{agreement.RSS}) {
			bad("sektionen %s upprepas per kommun men underlaget är inte bara för RSS", s.ID)
		}
		for _, q := range s.Questions {
			for _, c := range q.Conditions {
				if _, ok := ag.Condition(c); !ok {
					bad("fråga %s: villkoret %q finns inte i %s", q.ID, c, ag.ID)
				}
			}
		}
	}
	return refuse(t.ID, msgs)
}
