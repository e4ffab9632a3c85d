package store

import (
	"fmt"
	"time"

	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/payment"
)

const requisitionFields = `id, agreement, recipient, amount_kr, period_from, period_to, account_type, account_number,
	payment_reference, contact_name, contact_email, contact_phone, agreement_dnr, payment_decision_dnr, status,
	created_by, created_at, updated_at, signed_by, signed_by_user, signed_at, decided_by, decided_at, reject_reason`

const requisitionColumns = requisitionFields + ", COALESCE(batch_id, ''), paid_on"

func requisitionArgs(r *grant.Requisition) []any {
	var batch any
	if r.BatchID != "" {
		batch = r.BatchID
	}
	return []any{r.ID, r.Agreement, r.Recipient, int64(r.Amount), r.PeriodFrom, r.PeriodTo, r.Account.Type, r.Account.Number,
		r.PaymentReference, r.Contact.Name, r.Contact.Email, r.Contact.Phone, r.AgreementDnr, r.PaymentDecisionDnr, string(r.Status),
		r.CreatedBy, fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt), r.SignedBy, r.SignedByUser, fmtTime(r.SignedAt), r.DecidedBy,
		fmtTime(r.DecidedAt), r.RejectReason, batch, fmtDate(r.PaidOn)}
}

func scanRequisition(s interface{ Scan(...any) error }) (grant.Requisition, error) {
	var r grant.Requisition
	var amount int64
	var status, created, updated, signed, decided, paid string
	err := s.Scan(&r.ID, &r.Agreement, &r.Recipient, &amount, &r.PeriodFrom, &r.PeriodTo, &r.Account.Type, &r.Account.Number,
		&r.PaymentReference, &r.Contact.Name, &r.Contact.Email, &r.Contact.Phone, &r.AgreementDnr, &r.PaymentDecisionDnr, &status,
		&r.CreatedBy, &created, &updated, &r.SignedBy, &r.SignedByUser, &signed, &r.DecidedBy, &decided, &r.RejectReason,
		&r.BatchID, &paid)
	r.Amount, r.Status = money.Kr(amount), grant.Status(status)
	r.CreatedAt, r.UpdatedAt, r.SignedAt, r.DecidedAt, r.PaidOn = parseTime(created), parseTime(updated), parseTime(signed), parseTime(decided), parseDate(paid)
	return r, err
}

// InsertRequisition saves a new requisition. A second live requisition for
// the same recipient and agreement is ErrDuplicate.
func (t *Tx) InsertRequisition(r *grant.Requisition) error {
	t.touch("requisition", r.ID)
	_, err := t.exec(`INSERT INTO requisitions (`+requisitionFields+`, batch_id, paid_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
		requisitionArgs(r)...)
	if isUnique(err) {
		return fmt.Errorf("rekvisition för %s: %w", r.Recipient, ErrDuplicate)
	}
	return err
}

// UpdateRequisition saves a requisition's changed fields and status.
func (t *Tx) UpdateRequisition(r *grant.Requisition) error {
	t.touch("requisition", r.ID)
	args := requisitionArgs(r)
	res, err := t.exec(`UPDATE requisitions SET amount_kr = $4, period_from = $5, period_to = $6, account_type = $7,
		account_number = $8, payment_reference = $9, contact_name = $10, contact_email = $11, contact_phone = $12,
		agreement_dnr = $13, payment_decision_dnr = $14, status = $15, updated_at = $18, signed_by = $19,
		signed_by_user = $20, signed_at = $21, decided_by = $22, decided_at = $23, reject_reason = $24, batch_id = $25,
		paid_on = $26 WHERE id = $1 AND agreement = $2 AND recipient = $3 AND created_by = $16 AND created_at = $17`, args...)
	if isUnique(err) {
		return fmt.Errorf("rekvisition för %s: %w", r.Recipient, ErrDuplicate)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("rekvisition %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// Requisition returns the requisition with the given id.
func (t *Tx) Requisition(id string) (grant.Requisition, error) {
	r, err := scanRequisition(t.queryRow("SELECT "+requisitionColumns+" FROM requisitions WHERE id = $1", id))
	if err != nil {
		return r, fmt.Errorf("rekvisition %s: %w", id, notFound(err))
	}
	return r, nil
}

// Requisitions lists requisitions matching the filter, newest first.
func (t *Tx) Requisitions(f grant.RequisitionFilter) ([]grant.Requisition, error) {
	rows, err := t.query(`SELECT `+requisitionColumns+` FROM requisitions
		WHERE ($1 = '' OR agreement = $1) AND ($2 = '' OR recipient = $2) AND ($3 = '' OR status = $3)
		AND ($4 = '' OR batch_id = $4) ORDER BY created_at DESC, id`,
		f.Agreement, f.Recipient, string(f.Status), f.Batch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.Requisition
	for rows.Next() {
		r, err := scanRequisition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecordLapse notes that the recipient's right to the agreement's grant has
// lapsed; noting it twice keeps the first time.
func (t *Tx) RecordLapse(agreement, recipient string, at time.Time) (bool, error) {
	res, err := t.exec("INSERT INTO lapses (agreement, recipient, at) VALUES ($1, $2, $3) ON CONFLICT (agreement, recipient) DO NOTHING",
		agreement, recipient, fmtTime(at))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Lapses returns the recipients whose right has lapsed, with the time it
// was recorded.
func (t *Tx) Lapses(agreement string) (map[string]time.Time, error) {
	rows, err := t.query("SELECT recipient, at FROM lapses WHERE agreement = $1", agreement)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var r, at string
		if err := rows.Scan(&r, &at); err != nil {
			return nil, err
		}
		out[r] = parseTime(at)
	}
	return out, rows.Err()
}

// InsertBatch saves a new batch.
func (t *Tx) InsertBatch(b payment.Batch) error {
	t.touch("batch", b.ID)
	_, err := t.exec(`INSERT INTO payment_batches (id, agreement, created_by, created_at, execute_on, confirmed_by, confirmed_at, paid_on,
		payer, debtor_account_type, debtor_account_number, debtor_bic, created_by_name, attested_by, attested_by_name, attested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		b.ID, b.Agreement, b.CreatedBy, fmtTime(b.CreatedAt), fmtDate(b.ExecuteOn), b.ConfirmedBy, fmtTime(b.ConfirmedAt), fmtDate(b.PaidOn),
		b.Payer, b.DebtorAcct.Type, b.DebtorAcct.Number, b.DebtorAcct.BIC, b.CreatedByName, b.AttestedBy, b.AttestedByName, fmtTime(b.AttestedAt))
	return err
}

// AttestBatch records the attestation of a batch not yet attested; it
// reports false if the batch was attested already.
func (t *Tx) AttestBatch(b payment.Batch) (bool, error) {
	t.touch("batch", b.ID)
	res, err := t.exec("UPDATE payment_batches SET attested_by = $1, attested_by_name = $2, attested_at = $3 WHERE id = $4 AND attested_at = ''",
		b.AttestedBy, b.AttestedByName, fmtTime(b.AttestedAt), b.ID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ConfirmBatch records that the batch was paid.
func (t *Tx) ConfirmBatch(b payment.Batch) error {
	t.touch("batch", b.ID)
	_, err := t.exec("UPDATE payment_batches SET confirmed_by = $1, confirmed_at = $2, paid_on = $3 WHERE id = $4",
		b.ConfirmedBy, fmtTime(b.ConfirmedAt), fmtDate(b.PaidOn), b.ID)
	return err
}

const batchColumns = `id, agreement, created_by, created_at, execute_on, confirmed_by, confirmed_at, paid_on,
	payer, debtor_account_type, debtor_account_number, debtor_bic, created_by_name, attested_by, attested_by_name, attested_at`

func scanBatch(s interface{ Scan(...any) error }) (payment.Batch, error) {
	var b payment.Batch
	var created, exec, confirmed, paid, attested string
	err := s.Scan(&b.ID, &b.Agreement, &b.CreatedBy, &created, &exec, &b.ConfirmedBy, &confirmed, &paid,
		&b.Payer, &b.DebtorAcct.Type, &b.DebtorAcct.Number, &b.DebtorAcct.BIC, &b.CreatedByName, &b.AttestedBy, &b.AttestedByName, &attested)
	b.CreatedAt, b.ExecuteOn, b.ConfirmedAt, b.PaidOn = parseTime(created), parseDate(exec), parseTime(confirmed), parseDate(paid)
	b.AttestedAt = parseTime(attested)
	return b, err
}

// Batch returns the batch with the given id.
func (t *Tx) Batch(id string) (payment.Batch, error) {
	b, err := scanBatch(t.queryRow("SELECT "+batchColumns+" FROM payment_batches WHERE id = $1", id))
	if err != nil {
		return b, fmt.Errorf("betalningsomgång %s: %w", id, notFound(err))
	}
	return b, nil
}

// Batches lists the batches, newest first.
func (t *Tx) Batches() ([]payment.Batch, error) {
	rows, err := t.query("SELECT " + batchColumns + " FROM payment_batches ORDER BY created_at DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []payment.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
