package store

import (
	"encoding/json"
	"fmt"

	"narvard/internal/survey"
)

const surveyColumns = `id, title, template, body, owner, recipients, opens, closes, created_by, created_at`

// InsertSurvey saves a new survey. Its Template is not stored: the app
// reads it again from Body.
func (t *Tx) InsertSurvey(s *survey.Survey) error {
	recipients, err := json.Marshal(s.Recipients)
	if err != nil {
		return err
	}
	t.touch("survey", s.ID)
	_, err = t.exec(`INSERT INTO surveys (`+surveyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		s.ID, s.Title, s.Template.ID, string(s.Body), s.Owner, string(recipients), fmtDate(s.Opens), fmtDate(s.Closes), s.CreatedBy, fmtTime(s.CreatedAt))
	return err
}

func scanSurvey(sc interface{ Scan(...any) error }) (survey.Survey, error) {
	var s survey.Survey
	var tmpl, body, recipients, opens, closes, created string
	if err := sc.Scan(&s.ID, &s.Title, &tmpl, &body, &s.Owner, &recipients, &opens, &closes, &s.CreatedBy, &created); err != nil {
		return s, err
	}
	s.Body, s.CreatedAt = []byte(body), parseTime(created)
	s.Opens, s.Closes = parseDate(opens), parseDate(closes)
	_ = tmpl // the id is also in body
	return s, json.Unmarshal([]byte(recipients), &s.Recipients)
}

// Survey returns the survey with the id (Template left for the app to
// read from Body).
func (t *Tx) Survey(id string) (survey.Survey, error) {
	s, err := scanSurvey(t.queryRow("SELECT "+surveyColumns+" FROM surveys WHERE id = $1", id))
	if err != nil {
		return s, fmt.Errorf("enkät %s: %w", id, notFound(err))
	}
	return s, nil
}

// Surveys lists every survey, newest first.
func (t *Tx) Surveys() ([]survey.Survey, error) {
	rows, err := t.query("SELECT " + surveyColumns + " FROM surveys ORDER BY created_at DESC, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []survey.Survey
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SaveSurveyResponse writes a recipient's response, replacing the one it
// had.
func (t *Tx) SaveSurveyResponse(r survey.Response) error {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return err
	}
	id := survey.ResponseID(r.Survey, r.Recipient)
	submitted := 0
	if r.Submitted {
		submitted = 1
	}
	t.touch("survey_response", id)
	res, err := t.exec(`UPDATE survey_responses SET answers = $2, submitted = $3, source = $4, answered_by = $5, answered_at = $6 WHERE id = $1`,
		id, string(answers), submitted, r.Source, r.By, fmtTime(r.At))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = t.exec(`INSERT INTO survey_responses (id, survey, recipient, answers, submitted, source, answered_by, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, r.Survey, r.Recipient, string(answers), submitted, r.Source, r.By, fmtTime(r.At))
	return err
}

// SurveyResponses lists a survey's responses by recipient.
func (t *Tx) SurveyResponses(surveyID string) ([]survey.Response, error) {
	rows, err := t.query(`SELECT survey, recipient, answers, submitted, source, answered_by, answered_at
		FROM survey_responses WHERE survey = $1 ORDER BY recipient`, surveyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []survey.Response
	for rows.Next() {
		var r survey.Response
		var answers, at string
		var submitted int64
		if err := rows.Scan(&r.Survey, &r.Recipient, &answers, &submitted, &r.Source, &r.By, &at); err != nil {
			return nil, err
		}
		r.Submitted, r.At = submitted != 0, parseTime(at)
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertSurveyReminder records a reminder sent.
func (t *Tx) InsertSurveyReminder(r survey.Reminder) error {
	t.touch("survey_reminder", r.ID)
	_, err := t.exec(`INSERT INTO survey_reminders (id, survey, recipient, sent_by, sent_at, mailed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		r.ID, r.Survey, r.Recipient, r.By, fmtTime(r.At), fmtTime(r.Mailed))
	return err
}

// SurveyReminders lists a survey's reminders, oldest first.
func (t *Tx) SurveyReminders(surveyID string) ([]survey.Reminder, error) {
	rows, err := t.query(`SELECT id, survey, recipient, sent_by, sent_at, mailed_at FROM survey_reminders
		WHERE survey = $1 ORDER BY sent_at, id`, surveyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []survey.Reminder
	for rows.Next() {
		var r survey.Reminder
		var at, mailed string
		if err := rows.Scan(&r.ID, &r.Survey, &r.Recipient, &r.By, &at, &mailed); err != nil {
			return nil, err
		}
		r.At, r.Mailed = parseTime(at), parseTime(mailed)
		out = append(out, r)
	}
	return out, rows.Err()
}
