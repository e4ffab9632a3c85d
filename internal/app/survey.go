package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
	"narvard/internal/store"
	"narvard/internal/survey"
)

// SurveyForm is a new survey: its template (a template's id as a JSON
// string, or a template's JSON), its recipients (a group name of
// survey.Groups as a JSON string, or a list of organisation ids) and the
// dates it opens and closes (YYYY-MM-DD, both days included).
type SurveyForm struct {
	Template   json.RawMessage `json:"template"`
	Recipients json.RawMessage `json:"recipients"`
	Opens      string          `json:"opens"`
	Closes     string          `json:"closes"`
}

// CreateSurvey makes a survey: a follow-up officer of the agency that runs
// it (the publisher of the template's agreement's templates;
// Socialstyrelsen for a template that stands alone). The template is
// stored with the survey as it is now, so a later version changes nothing.
func (a *App) CreateSurvey(ctx context.Context, actor auth.Actor, f SurveyForm) (survey.Survey, error) {
	var s survey.Survey
	now := a.Clock.Now()
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		t, err := a.surveyTemplate(tx, f.Template)
		if err != nil {
			return err
		}
		owner, err := a.surveyOwner(t)
		if err != nil {
			return err
		}
		if err := grant.CanRunSurvey(actor, owner); err != nil {
			return err
		}
		s = survey.Survey{ID: newID("E-"), Title: t.Title, Template: t, Owner: owner, CreatedBy: actor.Email, CreatedAt: now}
		if s.Body, err = json.Marshal(t); err != nil {
			return err
		}
		if s.Opens, s.Closes, err = surveyDates(f.Opens, f.Closes); err != nil {
			return err
		}
		if s.Recipients, err = surveyRecipients(tx, f.Recipients); err != nil {
			return err
		}
		if err := tx.InsertSurvey(&s); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "survey.create", "survey:"+s.ID, map[string]any{"template": t.ID,
			"recipients": len(s.Recipients), "opens": f.Opens, "closes": f.Closes}))
		return err
	})
	return s, err
}

// surveyTemplate is the template a new survey names: an id (shipped or
// published) or a template's JSON, which is taken as a survey's template
// ("use": "survey") when it does not say.
func (a *App) surveyTemplate(tx *store.Tx, raw json.RawMessage) (*questionnaire.Template, error) {
	raw = bytes.TrimSpace(raw)
	var id string
	if len(raw) == 0 || json.Unmarshal(raw, &id) == nil {
		if id == "" {
			return nil, fault.Fields{"template": "Ange frågeunderlagets id eller frågeunderlaget som JSON."}.Err()
		}
		return a.template(tx, id)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fault.Fields{"template": "Frågeunderlaget är inte ett JSON-objekt."}.Err()
	}
	if _, ok := m["use"]; !ok {
		m["use"] = json.RawMessage(`"` + questionnaire.UseSurvey + `"`)
	}
	body, _ := json.Marshal(m)
	t, err := questionnaire.Parse(body)
	if err != nil {
		return nil, err
	}
	if t.Agreement != "" {
		ag, err := a.agreement(t.Agreement)
		if err != nil {
			return nil, err
		}
		if err := t.CheckAgainst(ag); err != nil && t.Use != questionnaire.UseSurvey {
			return nil, err
		}
	}
	return t, nil
}

// surveyOwner is the agency that runs a survey on the template.
func (a *App) surveyOwner(t *questionnaire.Template) (string, error) {
	for _, s := range t.Sections {
		if s.Repeat != "" {
			return "", fault.Fields{"template": "Frågeunderlaget " + t.ID + " har avsnitt per kommun och kan inte användas i en enkät."}.Err()
		}
	}
	if t.Agreement == "" {
		return org.Socialstyrelsen, nil
	}
	ag, err := a.agreement(t.Agreement)
	if err != nil {
		return "", err
	}
	return templatePublisher(ag), nil
}

func surveyDates(opens, closes string) (time.Time, time.Time, error) {
	bad := fault.Fields{}
	o, err := clock.ParseDate(opens)
	if err != nil {
		bad.Add("opens", "Ange dagen enkäten öppnar som ÅÅÅÅ-MM-DD.")
	}
	c, err := clock.ParseDate(closes)
	if err != nil {
		bad.Add("closes", "Ange dagen enkäten stänger som ÅÅÅÅ-MM-DD.")
	}
	if len(bad) == 0 && c.Before(o) {
		bad.Add("closes", "Enkäten kan inte stänga före den öppnar.")
	}
	return o, c, bad.Err()
}

// surveyRecipients resolves a group name or a list of ids to the invited
// organisations, sorted by id.
func surveyRecipients(tx *store.Tx, raw json.RawMessage) ([]string, error) {
	orgs, err := tx.Organisations()
	if err != nil {
		return nil, err
	}
	kinds := map[string]string{}
	for _, o := range orgs {
		kinds[o.ID] = o.Kind
	}
	var group string
	if json.Unmarshal(raw, &group) == nil {
		kind, ok := survey.Groups[group]
		if !ok {
			return nil, fault.Fields{"recipients": "Ange kommuner, regioner, rss eller en lista av organisationer."}.Err()
		}
		var out []string
		for _, o := range orgs {
			if o.Kind == kind {
				out = append(out, o.ID)
			}
		}
		slices.Sort(out)
		return out, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil, fault.Fields{"recipients": "Ange kommuner, regioner, rss eller en lista av organisationer."}.Err()
	}
	bad := fault.Fields{}
	for i, id := range list {
		switch kinds[id] {
		case org.KindKommun, org.KindRegion, org.KindRSS, org.KindSKR:
		default:
			bad.Add("recipients."+id, "%s är ingen kommun, region, RSS eller SKR.", id)
		}
		if slices.Contains(list[:i], id) {
			bad.Add("recipients."+id, "%s står två gånger.", id)
		}
	}
	out := slices.Clone(list)
	slices.Sort(out)
	return out, bad.Err()
}

// loadSurvey reads a survey with its template.
func loadSurvey(tx *store.Tx, id string) (survey.Survey, error) {
	s, err := tx.Survey(id)
	if err != nil {
		return s, notFound(err, "Enkäten %s finns inte.", id)
	}
	s.Template, err = questionnaire.Parse(s.Body)
	return s, err
}

// Survey returns a survey: its questions, dates and invited organisations.
// Every signed-in user may see it, as the templates.
func (a *App) Survey(ctx context.Context, id string) (survey.Survey, error) {
	var s survey.Survey
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		s, err = loadSurvey(tx, id)
		return err
	})
	return s, err
}

// Surveys lists every survey, newest first.
func (a *App) Surveys(ctx context.Context) ([]survey.Survey, error) {
	var out []survey.Survey
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Surveys()
		return err
	})
	return out, err
}

// AnswerSurvey saves an invited organisation's answers: its officer or
// signatory, while the survey is open (DeadlinePassed after it closes).
// The answers are checked as an activity report's; with submit, every
// visible required question must be answered and the response counts in
// the results. A response not yet submitted (the web form saved page by
// page) does not count.
func (a *App) AnswerSurvey(ctx context.Context, actor auth.Actor, id, recipient string, answers questionnaire.Answers, submit bool, source string) (survey.Response, error) {
	if err := grant.CanAnswerSurvey(actor, recipient); err != nil {
		return survey.Response{}, err
	}
	now := a.Clock.Now()
	r := survey.Response{Survey: id, Recipient: recipient, Submitted: submit, Source: source, By: actor.Email, At: now}
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		s, err := loadSurvey(tx, id)
		if err != nil {
			return err
		}
		if !s.Invited(recipient) {
			return fault.New(fault.NotFound, "%s är inte inbjuden till enkäten %s.", recipient, id)
		}
		if err := s.CheckOpen(now); err != nil {
			return err
		}
		if r.Answers, err = s.Template.Clean(answers, questionnaire.Context{OptionalRows: true}, submit); err != nil {
			return err
		}
		if err := tx.SaveSurveyResponse(r); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "survey.answer", "survey_response:"+survey.ResponseID(id, recipient),
			map[string]any{"submitted": submit, "source": source, "answers": len(r.Answers)}))
		return err
	})
	return r, err
}

// SurveyResponse returns the organisation's response, if any: its own
// people and those who read everyone's.
func (a *App) SurveyResponse(ctx context.Context, actor auth.Actor, id, recipient string) (survey.Survey, survey.Response, error) {
	if err := grant.CanRead(actor, recipient); err != nil {
		return survey.Survey{}, survey.Response{}, err
	}
	var s survey.Survey
	var r survey.Response
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = loadSurvey(tx, id); err != nil {
			return err
		}
		if !s.Invited(recipient) {
			return fault.New(fault.NotFound, "%s är inte inbjuden till enkäten %s.", recipient, id)
		}
		list, err := tx.SurveyResponses(id)
		for _, x := range list {
			if x.Recipient == recipient {
				r = x
			}
		}
		return err
	})
	return s, r, err
}

// ImportSurveyResponses stores answers collected elsewhere from a CSV
// file (survey.ReadImport): the survey's runner, whether it is open or
// closed (paper answers arrive late). The file is taken whole or not at
// all; an imported answer replaces what the recipient had. It returns how
// many responses it stored.
func (a *App) ImportSurveyResponses(ctx context.Context, actor auth.Actor, id, name string, file io.Reader) (int, error) {
	now := a.Clock.Now()
	n := 0
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		s, err := loadSurvey(tx, id)
		if err != nil {
			return err
		}
		if err := grant.CanRunSurvey(actor, s.Owner); err != nil {
			return err
		}
		orgs, err := tx.Organisations()
		if err != nil {
			return err
		}
		known := func(id string) bool {
			return slices.ContainsFunc(orgs, func(o org.Organisation) bool { return o.ID == id })
		}
		list, err := survey.ReadImport(s, name, file, known)
		if err != nil {
			return err
		}
		for _, im := range list {
			r := survey.Response{Survey: id, Recipient: im.Recipient, Answers: im.Answers, Submitted: true,
				Source: survey.SourceImport, By: actor.Email, At: now}
			if err := tx.SaveSurveyResponse(r); err != nil {
				return err
			}
		}
		n = len(list)
		_, err = tx.Audit(entry(actor, now, "survey.import", "survey:"+id, map[string]any{"file": name, "responses": n}))
		return err
	})
	return n, err
}

// surveyData reads a survey, its responses and the organisations' names.
func surveyData(tx *store.Tx, id string) (survey.Survey, []survey.Response, map[string]string, error) {
	s, err := loadSurvey(tx, id)
	if err != nil {
		return s, nil, nil, err
	}
	responses, err := tx.SurveyResponses(id)
	if err != nil {
		return s, nil, nil, err
	}
	orgs, err := tx.Organisations()
	names := map[string]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	return s, responses, names, err
}

// SurveyResults computes a survey's results from its submitted responses:
// those who read everyone's data.
func (a *App) SurveyResults(ctx context.Context, actor auth.Actor, id string) (survey.Survey, survey.Results, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return survey.Survey{}, survey.Results{}, err
	}
	var s survey.Survey
	var res survey.Results
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var responses []survey.Response
		var names map[string]string
		var err error
		if s, responses, names, err = surveyData(tx, id); err != nil {
			return err
		}
		res = survey.Compute(s, responses, names)
		return nil
	})
	return s, res, err
}

// SurveySource is the source line of a survey's tables: "Enkät till
// kommunerna, december 2019" as the survey's title and its opening month.
func SurveySource(s survey.Survey) string {
	return s.Title + ", " + strings.ToLower(swedishMonths[s.Opens.Month()-1]) + " " + s.Opens.Format("2006")
}

var swedishMonths = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// SurveyAnswers exports every submitted response, one row per respondent:
// those who read everyone's data.
func (a *App) SurveyAnswers(ctx context.Context, actor auth.Actor, id string) (survey.Survey, survey.Export, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return survey.Survey{}, survey.Export{}, err
	}
	var s survey.Survey
	var e survey.Export
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var responses []survey.Response
		var names map[string]string
		var err error
		if s, responses, names, err = surveyData(tx, id); err != nil {
			return err
		}
		e = survey.Answers(s, responses, names)
		return nil
	})
	return s, e, err
}

// SurveyFollowUp is who has not answered a survey and the reminders sent.
type SurveyFollowUp struct {
	Survey    survey.Survey
	Missing   []org.Organisation
	Reminders []survey.Reminder
}

// SurveyMissing lists the invited organisations that have not submitted
// and the reminders sent: the survey's runner.
func (a *App) SurveyMissing(ctx context.Context, actor auth.Actor, id string) (SurveyFollowUp, error) {
	var out SurveyFollowUp
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = a.surveyFollowUp(tx, actor, id)
		return err
	})
	return out, err
}

func (a *App) surveyFollowUp(tx *store.Tx, actor auth.Actor, id string) (SurveyFollowUp, error) {
	s, responses, names, err := surveyData(tx, id)
	if err != nil {
		return SurveyFollowUp{}, err
	}
	if err := grant.CanRunSurvey(actor, s.Owner); err != nil {
		return SurveyFollowUp{}, err
	}
	out := SurveyFollowUp{Survey: s}
	for _, id := range s.Missing(responses) {
		out.Missing = append(out.Missing, org.Organisation{ID: id, Name: names[id]})
	}
	out.Reminders, err = tx.SurveyReminders(id)
	return out, err
}

// RemindSurvey records a reminder to each of the recipients (all who have
// not submitted when none are named): the survey's runner. Each reminder's
// mail to the recipient's officers and signatories goes to the outbox in
// the same transaction, and Mailed is when it did.
func (a *App) RemindSurvey(ctx context.Context, actor auth.Actor, id string, recipients []string) ([]survey.Reminder, error) {
	now := a.Clock.Now()
	var out []survey.Reminder
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		f, err := a.surveyFollowUp(tx, actor, id)
		if err != nil {
			return err
		}
		missing := map[string]bool{}
		for _, o := range f.Missing {
			missing[o.ID] = true
			if len(recipients) == 0 {
				recipients = append(recipients, o.ID)
			}
		}
		bad := fault.Fields{}
		for _, r := range recipients {
			if !missing[r] {
				bad.Add("recipients."+r, "%s har redan svarat eller är inte inbjuden.", r)
			}
		}
		if err := bad.Err(); err != nil {
			return err
		}
		if len(recipients) == 0 {
			return fault.New(fault.Conflict, "Alla inbjudna har svarat; ingen påminnelse behövs.")
		}
		for _, r := range recipients {
			rem := survey.Reminder{ID: newID("P-"), Survey: id, Recipient: r, By: actor.Email, At: now, Mailed: now}
			if err := tx.InsertSurveyReminder(rem); err != nil {
				return err
			}
			out = append(out, rem)
		}
		if _, err = tx.Audit(entry(actor, now, "survey.remind", "survey:"+id, map[string]any{"recipients": recipients})); err != nil {
			return err
		}
		for _, rem := range out {
			n := surveyNotice(mail.KindSurveyReminder, "survey_reminder:"+rem.ID, f.Survey, rem.Recipient)
			if err := a.notify(tx, now, n, rem.Recipient, auth.RecipientOfficer, auth.Signatory); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
