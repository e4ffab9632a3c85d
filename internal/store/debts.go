package store

import (
	"fmt"

	"narvard/internal/grant"
	"narvard/internal/money"
)

const debtColumns = "id, ocr, agreement, recipient, kind, agency, source, amount_kr, due_on, reason, created_at, updated_at"

// NextDebtSeq is the next debt's serial number, from which its OCR
// reference is made.
func (t *Tx) NextDebtSeq() (int64, error) { return t.nextID("debts", "seq") }

// InsertDebt records a new debt with its serial number.
func (t *Tx) InsertDebt(d grant.Debt, seq int64) error {
	t.touch("debt", d.ID)
	_, err := t.exec(`INSERT INTO debts (seq, `+debtColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		seq, d.ID, d.OCR, d.Agreement, d.Recipient, string(d.Kind), d.Agency, d.Source, int64(d.Amount), fmtDate(d.DueOn), d.Reason,
		fmtTime(d.CreatedAt), fmtTime(d.UpdatedAt))
	if isUnique(err) {
		return fmt.Errorf("skuld %s: %w", d.Source, ErrDuplicate)
	}
	return err
}

// UpdateDebtAmount sets a debt's amount (a corrected financial report).
func (t *Tx) UpdateDebtAmount(d grant.Debt) error {
	t.touch("debt", d.ID)
	_, err := t.exec("UPDATE debts SET amount_kr = $1, updated_at = $2 WHERE id = $3", int64(d.Amount), fmtTime(d.UpdatedAt), d.ID)
	return err
}

// DebtBySource returns the debt a financial report or reclaim made.
func (t *Tx) DebtBySource(kind grant.DebtKind, source string) (grant.Debt, error) {
	d, err := scanDebt(t.queryRow("SELECT "+debtColumns+" FROM debts WHERE kind = $1 AND source = $2", string(kind), source))
	return d, notFound(err)
}

// Debt returns a debt by its id.
func (t *Tx) Debt(id string) (grant.Debt, error) {
	d, err := scanDebt(t.queryRow("SELECT "+debtColumns+" FROM debts WHERE id = $1", id))
	return d, notFound(err)
}

// DebtByOCR returns the debt with the OCR reference.
func (t *Tx) DebtByOCR(ocr string) (grant.Debt, error) {
	d, err := scanDebt(t.queryRow("SELECT "+debtColumns+" FROM debts WHERE ocr = $1", ocr))
	return d, notFound(err)
}

// Debts lists the debts of an agreement, for one recipient or ("") all,
// oldest first.
func (t *Tx) Debts(agreement, recipient string) ([]grant.Debt, error) {
	rows, err := t.query("SELECT "+debtColumns+" FROM debts WHERE agreement = $1 AND ($2 = '' OR recipient = $2) ORDER BY seq",
		agreement, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.Debt
	for rows.Next() {
		d, err := scanDebt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func scanDebt(r interface{ Scan(...any) error }) (grant.Debt, error) {
	var d grant.Debt
	var kind, due, created, updated string
	var amount int64
	err := r.Scan(&d.ID, &d.OCR, &d.Agreement, &d.Recipient, &kind, &d.Agency, &d.Source, &amount, &due, &d.Reason, &created, &updated)
	d.Kind, d.Amount, d.DueOn, d.CreatedAt, d.UpdatedAt = grant.DebtKind(kind), money.Kr(amount), parseDate(due), parseTime(created), parseTime(updated)
	return d, err
}
