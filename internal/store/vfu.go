package store

import (
	"encoding/json"
	"fmt"

	"narvard/internal/grant"
	"narvard/internal/money"
)

const vfuReportColumns = `id, agreement, recipient, weeks_base, places_base, weeks_current, places_current, status,
	reported_by, reported_for, created_at, updated_at, signed_by, signed_by_user, signed_at, returned_by, returned_at, return_reason`

func vfuReportArgs(r *grant.VFUReport) []any {
	return []any{r.ID, r.Agreement, r.Recipient, r.WeeksBase, r.PlacesBase, r.WeeksCurrent, r.PlacesCurrent, string(r.Status),
		r.ReportedBy, r.ReportedFor, fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt), r.SignedBy, r.SignedByUser, fmtTime(r.SignedAt),
		r.ReturnedBy, fmtTime(r.ReturnedAt), r.ReturnReason}
}

func scanVFUReport(s interface{ Scan(...any) error }) (grant.VFUReport, error) {
	var r grant.VFUReport
	var status, created, updated, signed, returned string
	err := s.Scan(&r.ID, &r.Agreement, &r.Recipient, &r.WeeksBase, &r.PlacesBase, &r.WeeksCurrent, &r.PlacesCurrent, &status,
		&r.ReportedBy, &r.ReportedFor, &created, &updated, &r.SignedBy, &r.SignedByUser, &signed, &r.ReturnedBy, &returned, &r.ReturnReason)
	r.Status = grant.VFUStatus(status)
	r.CreatedAt, r.UpdatedAt, r.SignedAt, r.ReturnedAt = parseTime(created), parseTime(updated), parseTime(signed), parseTime(returned)
	return r, err
}

// InsertVFUReport saves a new VFU report; a second one for the same
// recipient and agreement is ErrDuplicate.
func (t *Tx) InsertVFUReport(r *grant.VFUReport) error {
	t.touch("vfu", r.ID)
	_, err := t.exec(`INSERT INTO vfu_reports (`+vfuReportColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`, vfuReportArgs(r)...)
	if isUnique(err) {
		return fmt.Errorf("VFU-redovisning för %s: %w", r.Recipient, ErrDuplicate)
	}
	return err
}

// UpdateVFUReport saves a VFU report's figures and status.
func (t *Tx) UpdateVFUReport(r *grant.VFUReport) error {
	t.touch("vfu", r.ID)
	res, err := t.exec(`UPDATE vfu_reports SET weeks_base = $4, places_base = $5, weeks_current = $6, places_current = $7,
		status = $8, reported_by = $9, reported_for = $10, updated_at = $12, signed_by = $13, signed_by_user = $14,
		signed_at = $15, returned_by = $16, returned_at = $17, return_reason = $18
		WHERE id = $1 AND agreement = $2 AND recipient = $3 AND created_at = $11`, vfuReportArgs(r)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("VFU-redovisning %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// VFUReport returns the VFU report with the given id.
func (t *Tx) VFUReport(id string) (grant.VFUReport, error) {
	r, err := scanVFUReport(t.queryRow("SELECT "+vfuReportColumns+" FROM vfu_reports WHERE id = $1", id))
	if err != nil {
		return r, fmt.Errorf("VFU-redovisning %s: %w", id, notFound(err))
	}
	return r, nil
}

// VFUReports lists an agreement's VFU reports by recipient.
func (t *Tx) VFUReports(agreementID string) ([]grant.VFUReport, error) {
	rows, err := t.query("SELECT "+vfuReportColumns+" FROM vfu_reports WHERE agreement = $1 ORDER BY recipient", agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.VFUReport
	for rows.Next() {
		r, err := scanVFUReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertVFURound records an agreement's closed VFU round; a second close
// is ErrDuplicate.
func (t *Tx) InsertVFURound(r grant.VFURound) error {
	t.touch("vfu_round", r.Agreement)
	rows, err := json.Marshal(r.Rows)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO vfu_rounds (agreement, status, closed_by, closed_at, rows_json, batch_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.Agreement, r.Status, r.ClosedBy, fmtTime(r.ClosedAt), string(rows), r.BatchID)
	if isUnique(err) {
		return fmt.Errorf("VFU-omgången %s: %w", r.Agreement, ErrDuplicate)
	}
	return err
}

// SetVFURoundBatch records the payout batch of a closed round.
func (t *Tx) SetVFURoundBatch(agreementID, batchID string) error {
	t.touch("vfu_round", agreementID)
	_, err := t.exec(`UPDATE vfu_rounds SET batch_id = $2 WHERE agreement = $1`, agreementID, batchID)
	return err
}

// VFURound returns the agreement's closed VFU round (ErrNotFound while it
// is open).
func (t *Tx) VFURound(agreementID string) (grant.VFURound, error) {
	var r grant.VFURound
	var closed, rows string
	err := t.queryRow(`SELECT agreement, status, closed_by, closed_at, rows_json, batch_id FROM vfu_rounds WHERE agreement = $1`,
		agreementID).Scan(&r.Agreement, &r.Status, &r.ClosedBy, &closed, &rows, &r.BatchID)
	if err != nil {
		return r, fmt.Errorf("VFU-omgången %s: %w", agreementID, notFound(err))
	}
	r.ClosedAt = parseTime(closed)
	return r, json.Unmarshal([]byte(rows), &r.Rows)
}

// VFUPayment is one line of a VFU payout batch.
type VFUPayment struct {
	Agreement     string
	Recipient     string
	Amount        money.Kr
	AccountType   string
	AccountNumber string
}

// InsertVFUPayments saves a VFU batch's lines, sealed with the batch.
func (t *Tx) InsertVFUPayments(batchID string, lines []VFUPayment) error {
	t.touch("batch", batchID)
	for i, l := range lines {
		if _, err := t.exec(`INSERT INTO vfu_payments (batch_id, line, agreement, recipient, amount_kr, account_type, account_number)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, batchID, i+1, l.Agreement, l.Recipient, int64(l.Amount), l.AccountType, l.AccountNumber); err != nil {
			return err
		}
	}
	return nil
}

// VFUPayments returns a batch's VFU lines in order (none for a batch of
// requisitions).
func (t *Tx) VFUPayments(batchID string) ([]VFUPayment, error) {
	rows, err := t.query(`SELECT agreement, recipient, amount_kr, account_type, account_number FROM vfu_payments
		WHERE batch_id = $1 ORDER BY line`, batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VFUPayment
	for rows.Next() {
		var l VFUPayment
		var amount int64
		if err := rows.Scan(&l.Agreement, &l.Recipient, &amount, &l.AccountType, &l.AccountNumber); err != nil {
			return nil, err
		}
		l.Amount = money.Kr(amount)
		out = append(out, l)
	}
	return out, rows.Err()
}
