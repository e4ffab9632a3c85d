package store

import (
	"encoding/json"
	"fmt"

	"narvard/internal/money"
	"narvard/internal/outcome"
	"narvard/internal/plan"
)

const planColumns = `id, agreement, recipient, version, status, measures, sie_dimension, created_by, created_at, updated_at,
	decided_by, decided_at, decision_body, decision_date, decision_paragraph, replaced_by, forecasts`

func scanPlan(s interface{ Scan(...any) error }) (plan.Plan, error) {
	var p plan.Plan
	var status, measures, created, updated, decided, forecasts string
	if err := s.Scan(&p.ID, &p.Agreement, &p.Recipient, &p.Version, &status, &measures, &p.SIEDimension, &p.CreatedBy,
		&created, &updated, &p.DecidedBy, &decided, &p.Decision.Body, &p.Decision.Date, &p.Decision.Paragraph, &p.ReplacedBy,
		&forecasts); err != nil {
		return p, err
	}
	if forecasts != "" {
		if err := json.Unmarshal([]byte(forecasts), &p.Forecasts); err != nil {
			return p, fmt.Errorf("plan %s: %w", p.ID, err)
		}
	}
	p.Status, p.CreatedAt, p.UpdatedAt, p.DecidedAt = plan.Status(status), parseTime(created), parseTime(updated), parseTime(decided)
	if err := json.Unmarshal([]byte(measures), &p.Measures); err != nil {
		return p, fmt.Errorf("plan %s: %w", p.ID, err)
	}
	return p, nil
}

// InsertPlan saves a new version of a recipient's plan.
func (t *Tx) InsertPlan(p *plan.Plan) error {
	measures, err := json.Marshal(p.Measures)
	if err != nil {
		return err
	}
	t.touch("plan", p.ID)
	_, err = t.exec(`INSERT INTO plans (`+planColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		p.ID, p.Agreement, p.Recipient, p.Version, string(p.Status), string(measures), p.SIEDimension, p.CreatedBy,
		fmtTime(p.CreatedAt), fmtTime(p.UpdatedAt), p.DecidedBy, fmtTime(p.DecidedAt), p.Decision.Body, p.Decision.Date,
		p.Decision.Paragraph, p.ReplacedBy, forecastsText(p.Forecasts))
	return err
}

// UpdatePlan saves a plan's measures, status and decision.
func (t *Tx) UpdatePlan(p *plan.Plan) error {
	measures, err := json.Marshal(p.Measures)
	if err != nil {
		return err
	}
	t.touch("plan", p.ID)
	res, err := t.exec(`UPDATE plans SET status = $2, measures = $3, sie_dimension = $4, updated_at = $5, decided_by = $6,
		decided_at = $7, decision_body = $8, decision_date = $9, decision_paragraph = $10, replaced_by = $11, forecasts = $12 WHERE id = $1`,
		p.ID, string(p.Status), string(measures), p.SIEDimension, fmtTime(p.UpdatedAt), p.DecidedBy, fmtTime(p.DecidedAt),
		p.Decision.Body, p.Decision.Date, p.Decision.Paragraph, p.ReplacedBy, forecastsText(p.Forecasts))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("plan %s: %w", p.ID, ErrNotFound)
	}
	return nil
}

// forecastsText is a plan's forecasts as stored: ” for none.
func forecastsText(f map[string]money.Kr) string {
	if len(f) == 0 {
		return ""
	}
	b, _ := json.Marshal(f) // a map of strings to integers always marshals
	return string(b)
}

// Plan returns the plan with the id.
func (t *Tx) Plan(id string) (plan.Plan, error) {
	p, err := scanPlan(t.queryRow("SELECT "+planColumns+" FROM plans WHERE id = $1", id))
	if err != nil {
		return p, fmt.Errorf("plan %s: %w", id, notFound(err))
	}
	return p, nil
}

// Plans returns the recipient's plans under the agreement, oldest version
// first (recipient "" for every recipient's).
func (t *Tx) Plans(agreement, recipient string) ([]plan.Plan, error) {
	rows, err := t.query("SELECT "+planColumns+" FROM plans WHERE agreement = $1 AND ($2 = '' OR recipient = $2) ORDER BY recipient, version", agreement, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const outcomeColumns = `id, agreement, recipient, seq, file_name, format, digest, generated, entries, imported_by, imported_at`

func scanOutcome(s interface{ Scan(...any) error }) (outcome.Import, error) {
	var im outcome.Import
	var entries, imported string
	if err := s.Scan(&im.ID, &im.Agreement, &im.Recipient, &im.Seq, &im.FileName, &im.Format, &im.Digest, &im.Generated, &entries,
		&im.ImportedBy, &imported); err != nil {
		return im, err
	}
	im.ImportedAt = parseTime(imported)
	if err := json.Unmarshal([]byte(entries), &im.Entries); err != nil {
		return im, fmt.Errorf("utfall %s: %w", im.ID, err)
	}
	return im, nil
}

// InsertOutcomeImport saves an import of the recipient's books as its
// newest, numbering it after the ones before.
func (t *Tx) InsertOutcomeImport(im *outcome.Import) error {
	entries, err := json.Marshal(im.Entries)
	if err != nil {
		return err
	}
	if err := t.queryRow(`SELECT COALESCE(MAX(seq), 0) + 1 FROM outcome_imports WHERE agreement = $1 AND recipient = $2`,
		im.Agreement, im.Recipient).Scan(&im.Seq); err != nil {
		return err
	}
	t.touch("outcome", im.ID)
	_, err = t.exec(`INSERT INTO outcome_imports (`+outcomeColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		im.ID, im.Agreement, im.Recipient, im.Seq, im.FileName, im.Format, im.Digest, im.Generated, string(entries), im.ImportedBy,
		fmtTime(im.ImportedAt))
	return err
}

// OutcomeImportByDigest returns the recipient's import of the file with
// the digest, if there is one.
func (t *Tx) OutcomeImportByDigest(agreement, recipient, digest string) (outcome.Import, bool, error) {
	im, err := scanOutcome(t.queryRow("SELECT "+outcomeColumns+" FROM outcome_imports WHERE agreement = $1 AND recipient = $2 AND digest = $3",
		agreement, recipient, digest))
	if err != nil {
		if err = notFound(err); err == ErrNotFound {
			return im, false, nil
		}
		return im, false, err
	}
	return im, true, nil
}

// LatestOutcomeImport returns the recipient's newest import under the
// agreement, if there is one.
func (t *Tx) LatestOutcomeImport(agreement, recipient string) (outcome.Import, bool, error) {
	im, err := scanOutcome(t.queryRow("SELECT "+outcomeColumns+` FROM outcome_imports WHERE agreement = $1 AND recipient = $2
		ORDER BY seq DESC LIMIT 1`, agreement, recipient))
	if err != nil {
		if err = notFound(err); err == ErrNotFound {
			return im, false, nil
		}
		return im, false, err
	}
	return im, true, nil
}
