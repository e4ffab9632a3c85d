package store

import (
	"encoding/json"
	"fmt"

	"narvard/internal/onward"
)

const onwardColumns = `id, agreement, rss, status, plan, split, created_by, created_at, decided_by, decided_at, decision_date, reference, replaced_by`

func scanOnward(s interface{ Scan(...any) error }) (onward.Decision, error) {
	var d onward.Decision
	var status, plan, split, created, decided string
	if err := s.Scan(&d.ID, &d.Agreement, &d.RSS, &status, &plan, &split, &d.CreatedBy, &created, &d.DecidedBy, &decided,
		&d.DecisionDate, &d.Reference, &d.ReplacedBy); err != nil {
		return d, err
	}
	d.Status, d.CreatedAt, d.DecidedAt = onward.Status(status), parseTime(created), parseTime(decided)
	if err := json.Unmarshal([]byte(plan), &d.Plan); err != nil {
		return d, fmt.Errorf("vidareförmedling %s: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(split), &d.Split); err != nil {
		return d, fmt.Errorf("vidareförmedling %s: %w", d.ID, err)
	}
	return d, nil
}

// InsertOnward saves a new onward decision.
func (t *Tx) InsertOnward(d *onward.Decision) error {
	plan, err := json.Marshal(d.Plan)
	if err != nil {
		return err
	}
	split, err := json.Marshal(d.Split)
	if err != nil {
		return err
	}
	t.touch("onward", d.ID)
	_, err = t.exec(`INSERT INTO onward_decisions (`+onwardColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		d.ID, d.Agreement, d.RSS, string(d.Status), string(plan), string(split), d.CreatedBy, fmtTime(d.CreatedAt),
		d.DecidedBy, fmtTime(d.DecidedAt), d.DecisionDate, d.Reference, d.ReplacedBy)
	return err
}

// UpdateOnwardStatus saves a decision's status, its decision and what
// replaced it; the plan and the split never change.
func (t *Tx) UpdateOnwardStatus(d *onward.Decision) error {
	t.touch("onward", d.ID)
	res, err := t.exec(`UPDATE onward_decisions SET status = $2, decided_by = $3, decided_at = $4, decision_date = $5,
		reference = $6, replaced_by = $7 WHERE id = $1`,
		d.ID, string(d.Status), d.DecidedBy, fmtTime(d.DecidedAt), d.DecisionDate, d.Reference, d.ReplacedBy)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("vidareförmedling %s: %w", d.ID, ErrNotFound)
	}
	return nil
}

// Onward returns the onward decision with the id.
func (t *Tx) Onward(id string) (onward.Decision, error) {
	d, err := scanOnward(t.queryRow("SELECT "+onwardColumns+" FROM onward_decisions WHERE id = $1", id))
	if err != nil {
		return d, fmt.Errorf("vidareförmedling %s: %w", id, notFound(err))
	}
	return d, nil
}

// Onwards returns the RSS's onward decisions under the agreement, oldest
// first (rss "" for every RSS's).
func (t *Tx) Onwards(agreement, rss string) ([]onward.Decision, error) {
	rows, err := t.query("SELECT "+onwardColumns+" FROM onward_decisions WHERE agreement = $1 AND ($2 = '' OR rss = $2) ORDER BY created_at, id", agreement, rss)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []onward.Decision
	for rows.Next() {
		d, err := scanOnward(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// InsertOnwardPayment saves an onward payment (its money is posted to the
// ledger by the caller).
func (t *Tx) InsertOnwardPayment(p *onward.Payment) error {
	lines, err := json.Marshal(p.Lines)
	if err != nil {
		return err
	}
	t.touch("onward_payment", p.ID)
	_, err = t.exec(`INSERT INTO onward_payments (id, agreement, rss, decision_id, paid_on, lines, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, p.Agreement, p.RSS, p.Decision, p.PaidOn, string(lines), p.CreatedBy, fmtTime(p.CreatedAt))
	return err
}

// OnwardPayments returns the RSS's onward payments under the agreement, in
// the order they were recorded.
func (t *Tx) OnwardPayments(agreement, rss string) ([]onward.Payment, error) {
	return t.onwardPayments(`WHERE agreement = $1 AND rss = $2 ORDER BY created_at, id`, agreement, rss)
}

// OnwardPayment returns one onward payment; ErrNotFound when there is none.
func (t *Tx) OnwardPayment(id string) (onward.Payment, error) {
	list, err := t.onwardPayments(`WHERE id = $1`, id)
	if err != nil {
		return onward.Payment{}, err
	}
	if len(list) == 0 {
		return onward.Payment{}, ErrNotFound
	}
	return list[0], nil
}

func (t *Tx) onwardPayments(where string, args ...any) ([]onward.Payment, error) {
	rows, err := t.query(`SELECT id, agreement, rss, decision_id, paid_on, lines, created_by, created_at FROM onward_payments `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []onward.Payment
	for rows.Next() {
		var p onward.Payment
		var lines, created string
		if err := rows.Scan(&p.ID, &p.Agreement, &p.RSS, &p.Decision, &p.PaidOn, &lines, &p.CreatedBy, &created); err != nil {
			return nil, err
		}
		p.CreatedAt = parseTime(created)
		if err := json.Unmarshal([]byte(lines), &p.Lines); err != nil {
			return nil, fmt.Errorf("utbetalning %s: %w", p.ID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
