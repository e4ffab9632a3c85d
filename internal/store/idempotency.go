package store

import (
	"time"

	"narvard/internal/replay"
)

// Idempotent returns the stored answer for the user's key, if any.
func (t *Tx) Idempotent(userID int64, key string) (replay.Answer, bool, error) {
	var r replay.Answer
	var body string
	err := notFound(t.queryRow("SELECT method, path, status, body FROM idempotency WHERE user_id = $1 AND key = $2", userID, key).
		Scan(&r.Method, &r.Path, &r.Status, &body))
	if err == ErrNotFound {
		return r, false, nil
	}
	r.Body = []byte(body)
	return r, err == nil, err
}

// SaveIdempotent stores the answer for the user's key; the first answer
// stays.
func (t *Tx) SaveIdempotent(userID int64, key string, r replay.Answer, at time.Time) error {
	_, err := t.exec(`INSERT INTO idempotency (user_id, key, method, path, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (user_id, key) DO NOTHING`, userID, key, r.Method, r.Path, r.Status, string(r.Body), fmtTime(at))
	return err
}
