package store

import (
	"fmt"
	"time"

	"narvard/internal/bank"
)

// BankImportByMessage returns the import of the notification with the
// message id, without its lines.
func (t *Tx) BankImportByMessage(messageID string) (bank.Import, error) {
	return t.bankImport("message_id", messageID)
}

// BankImport returns an import with its lines.
func (t *Tx) BankImport(id string) (bank.Import, error) {
	im, err := t.bankImport("id", id)
	if err != nil {
		return im, err
	}
	rows, err := t.query(`SELECT line, entry, kind, direction, amount_ore, currency, booked_on, reference, recipient, object, note
		FROM bank_notification_lines WHERE notification_id = $1 ORDER BY line`, id)
	if err != nil {
		return im, err
	}
	defer rows.Close()
	for rows.Next() {
		var l bank.Line
		var kind, dir, on string
		var amount int64
		if err := rows.Scan(&l.N, &l.Entry, &kind, &dir, &amount, &l.Currency, &on, &l.Reference, &l.Recipient, &l.Object, &l.Note); err != nil {
			return im, err
		}
		l.Kind, l.Direction, l.Amount, l.BookedOn = bank.LineKind(kind), bank.Direction(dir), bank.Ore(amount), parseDate(on)
		im.Lines = append(im.Lines, l)
	}
	return im, rows.Err()
}

func (t *Tx) bankImport(column, value string) (bank.Import, error) {
	var im bank.Import
	var created, at string
	err := t.queryRow("SELECT id, message_id, sha256, created, imported_by, imported_at FROM bank_notifications WHERE "+column+" = $1", value).
		Scan(&im.ID, &im.MessageID, &im.SHA256, &created, &im.ImportedBy, &at)
	if err != nil {
		return im, fmt.Errorf("bankavisering %s: %w", value, notFound(err))
	}
	im.Created, im.ImportedAt = parseTime(created), parseTime(at)
	return im, nil
}

// BankImports lists the imports, newest first, without their lines.
func (t *Tx) BankImports() ([]bank.Import, error) {
	rows, err := t.query("SELECT id FROM bank_notifications ORDER BY imported_at DESC, id")
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]bank.Import, 0, len(ids))
	for _, id := range ids {
		im, err := t.BankImport(id)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, nil
}

// InsertBankImport records an import and its lines. A second import of
// the same message id is ErrDuplicate.
func (t *Tx) InsertBankImport(im bank.Import) error {
	t.touch("bank", im.ID)
	_, err := t.exec(`INSERT INTO bank_notifications (id, message_id, sha256, created, imported_by, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, im.ID, im.MessageID, im.SHA256, fmtTime(im.Created), im.ImportedBy, fmtTime(im.ImportedAt))
	if isUnique(err) {
		return fmt.Errorf("bankavisering %s: %w", im.MessageID, ErrDuplicate)
	}
	if err != nil {
		return err
	}
	for _, l := range im.Lines {
		if _, err := t.exec(`INSERT INTO bank_notification_lines (notification_id, line, entry, kind, direction, amount_ore, currency,
			booked_on, reference, recipient, object, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			im.ID, l.N, l.Entry, string(l.Kind), string(l.Direction), int64(l.Amount), l.Currency, fmtDate(l.BookedOn),
			l.Reference, l.Recipient, l.Object, l.Note); err != nil {
			return err
		}
	}
	return nil
}

// BankPaymentMatch returns the booking day of an earlier import's line
// that matched the requisition's payment, and whether there is one.
func (t *Tx) BankPaymentMatch(requisition string) (time.Time, bool, error) {
	var on string
	err := t.queryRow("SELECT booked_on FROM bank_notification_lines WHERE kind = $1 AND object = $2 ORDER BY booked_on LIMIT 1",
		string(bank.LinePayment), requisition).Scan(&on)
	if err = notFound(err); err == ErrNotFound {
		return time.Time{}, false, nil
	}
	return parseDate(on), err == nil, err
}
