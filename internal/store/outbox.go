package store

import (
	"database/sql"
	"errors"
	"time"

	"narvard/internal/auth"
	"narvard/internal/mail"
)

const outboxColumns = "key, kind, object, recipient, subject, body, status, attempts, next_at, created_at, sent_at, last_error"

// EnqueueMail writes a mail to the outbox unless one with its key is
// there already; it reports whether it wrote it.
func (t *Tx) EnqueueMail(m mail.Message) (bool, error) {
	res, err := t.exec(`INSERT INTO outbox (`+outboxColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (key) DO NOTHING`,
		m.Key, string(m.Kind), m.Object, m.To, m.Subject, m.Body, string(m.Status), m.Attempts,
		fmtTime(m.NextAt), fmtTime(m.CreatedAt), fmtTime(m.SentAt), m.LastError)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Mails returns the outbox's mails in the status, those due by the time
// (zero: any), oldest first.
func (t *Tx) Mails(status mail.Status, dueBy time.Time) ([]mail.Message, error) {
	if dueBy.IsZero() {
		return t.mailsWhere("status = $1", string(status))
	}
	return t.mailsWhere("status = $1 AND next_at <= $2", string(status), fmtTime(dueBy))
}

// Mail returns the outbox's mail with the key.
func (t *Tx) Mail(key string) (mail.Message, error) {
	ms, err := t.mailsWhere("key = $1", key)
	if err == nil && len(ms) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return mail.Message{}, err
	}
	return ms[0], nil
}

// MailsTo returns the mails to the address in the status, oldest first.
func (t *Tx) MailsTo(to string, status mail.Status) ([]mail.Message, error) {
	return t.mailsWhere("recipient = $1 AND status = $2", to, string(status))
}

// AllMails returns the whole outbox, oldest first.
func (t *Tx) AllMails() ([]mail.Message, error) {
	return t.mailsWhere("1 = 1")
}

func (t *Tx) mailsWhere(cond string, args ...any) ([]mail.Message, error) {
	rows, err := t.query("SELECT "+outboxColumns+" FROM outbox WHERE "+cond+" ORDER BY created_at, key", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []mail.Message
	for rows.Next() {
		var m mail.Message
		var kind, status, next, created, sent string
		if err := rows.Scan(&m.Key, &kind, &m.Object, &m.To, &m.Subject, &m.Body, &status, &m.Attempts,
			&next, &created, &sent, &m.LastError); err != nil {
			return nil, err
		}
		m.Kind, m.Status = mail.Kind(kind), mail.Status(status)
		m.NextAt, m.CreatedAt, m.SentAt = parseTime(next), parseTime(created), parseTime(sent)
		out = append(out, m)
	}
	return out, rows.Err()
}

// SaveMailState records a try: the status, attempts, next try, when sent
// and the last error.
func (t *Tx) SaveMailState(m mail.Message) error {
	_, err := t.exec("UPDATE outbox SET status = $1, attempts = $2, next_at = $3, sent_at = $4, last_error = $5 WHERE key = $6",
		string(m.Status), m.Attempts, fmtTime(m.NextAt), fmtTime(m.SentAt), m.LastError, m.Key)
	return err
}

// MailDigest reports whether the user with the address takes a daily
// digest instead of one mail per event.
func (t *Tx) MailDigest(email string) (bool, error) {
	var d int
	err := t.queryRow("SELECT digest FROM mail_preferences WHERE email = $1", email).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return d == 1, err
}

// SetMailDigest records the user's choice.
func (t *Tx) SetMailDigest(email string, digest bool) error {
	_, err := t.exec(`INSERT INTO mail_preferences (email, digest) VALUES ($1, $2)
		ON CONFLICT (email) DO UPDATE SET digest = excluded.digest`, email, boolInt(digest))
	return err
}

// UsersOf returns the organisation's users that are not disabled.
func (t *Tx) UsersOf(orgID string) ([]auth.User, error) {
	rows, err := t.query("SELECT "+userColumns+" FROM users WHERE org_id = $1 AND disabled = 0 ORDER BY email", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
