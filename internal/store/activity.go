package store

import (
	"encoding/json"
	"fmt"

	"narvard/internal/grant"
	"narvard/internal/questionnaire"
)

const activityColumns = `id, template, agreement, recipient, receiver, answers, status, late, created_by, created_at,
	updated_by, updated_at, signed_by, signed_by_user, signed_at, returned_by, returned_at, return_reason, accepted_by, accepted_at`

func activityArgs(r *grant.ActivityReport) ([]any, error) {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return nil, err
	}
	late := 0
	if r.Late {
		late = 1
	}
	return []any{r.ID, r.Template, r.Agreement, r.Recipient, r.Receiver, string(answers), string(r.Status), late,
		r.CreatedBy, fmtTime(r.CreatedAt), r.UpdatedBy, fmtTime(r.UpdatedAt), r.SignedBy, r.SignedByUser, fmtTime(r.SignedAt),
		r.ReturnedBy, fmtTime(r.ReturnedAt), r.ReturnReason, r.AcceptedBy, fmtTime(r.AcceptedAt)}, nil
}

func scanActivity(s interface{ Scan(...any) error }) (grant.ActivityReport, error) {
	var r grant.ActivityReport
	var answers, status, created, updated, signed, returned, accepted string
	var late int64
	err := s.Scan(&r.ID, &r.Template, &r.Agreement, &r.Recipient, &r.Receiver, &answers, &status, &late,
		&r.CreatedBy, &created, &r.UpdatedBy, &updated, &r.SignedBy, &r.SignedByUser, &signed,
		&r.ReturnedBy, &returned, &r.ReturnReason, &r.AcceptedBy, &accepted)
	if err != nil {
		return r, err
	}
	r.Status, r.Late = grant.ActivityStatus(status), late != 0
	r.CreatedAt, r.UpdatedAt, r.SignedAt = parseTime(created), parseTime(updated), parseTime(signed)
	r.ReturnedAt, r.AcceptedAt = parseTime(returned), parseTime(accepted)
	return r, json.Unmarshal([]byte(answers), &r.Answers)
}

// InsertActivityReport saves a new activity report; a second one for the
// same template and recipient is ErrDuplicate.
func (t *Tx) InsertActivityReport(r *grant.ActivityReport) error {
	args, err := activityArgs(r)
	if err != nil {
		return err
	}
	t.touch("activity", r.ID)
	_, err = t.exec(`INSERT INTO activity_reports (`+activityColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`, args...)
	if isUnique(err) {
		return fmt.Errorf("verksamhetsrapport %s för %s: %w", r.Template, r.Recipient, ErrDuplicate)
	}
	return err
}

// UpdateActivityReport saves a report's answers and status.
func (t *Tx) UpdateActivityReport(r *grant.ActivityReport) error {
	args, err := activityArgs(r)
	if err != nil {
		return err
	}
	t.touch("activity", r.ID)
	res, err := t.exec(`UPDATE activity_reports SET answers = $6, status = $7, late = $8, updated_by = $11, updated_at = $12,
		signed_by = $13, signed_by_user = $14, signed_at = $15, returned_by = $16, returned_at = $17, return_reason = $18,
		accepted_by = $19, accepted_at = $20
		WHERE id = $1 AND template = $2 AND agreement = $3 AND recipient = $4 AND receiver = $5 AND created_by = $9 AND created_at = $10`, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("verksamhetsrapport %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// ActivityReport returns the activity report with the id.
func (t *Tx) ActivityReport(id string) (grant.ActivityReport, error) {
	r, err := scanActivity(t.queryRow("SELECT "+activityColumns+" FROM activity_reports WHERE id = $1", id))
	if err != nil {
		return r, fmt.Errorf("verksamhetsrapport %s: %w", id, notFound(err))
	}
	return r, nil
}

// ActivityReports lists the reports on a template ("" for every
// template) with a status ("" for any), by template and recipient.
func (t *Tx) ActivityReports(template string, status grant.ActivityStatus) ([]grant.ActivityReport, error) {
	rows, err := t.query(`SELECT `+activityColumns+` FROM activity_reports
		WHERE ($1 = '' OR template = $1) AND ($2 = '' OR status = $2) ORDER BY template, recipient`, template, string(status))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.ActivityReport
	for rows.Next() {
		r, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertQuestionTemplate stores a published template; an id already
// stored is ErrDuplicate (published versions never change).
func (t *Tx) InsertQuestionTemplate(p questionnaire.Published) error {
	t.touch("question_template", p.ID)
	_, err := t.exec(`INSERT INTO question_templates (id, agreement, body, published_by, published_at) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.Agreement, string(p.Body), p.By, fmtTime(p.At))
	if isUnique(err) {
		return fmt.Errorf("frågeunderlag %s: %w", p.ID, ErrDuplicate)
	}
	return err
}

// QuestionTemplates lists the published templates by id.
func (t *Tx) QuestionTemplates() ([]questionnaire.Published, error) {
	rows, err := t.query(`SELECT id, agreement, body, published_by, published_at FROM question_templates ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []questionnaire.Published
	for rows.Next() {
		var p questionnaire.Published
		var body, at string
		if err := rows.Scan(&p.ID, &p.Agreement, &body, &p.By, &at); err != nil {
			return nil, err
		}
		p.Body, p.At = []byte(body), parseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}
