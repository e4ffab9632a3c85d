package store

import (
	"time"
)

// SetCalendarToken gives the user a calendar feed token (its hash),
// replacing any earlier one.
func (t *Tx) SetCalendarToken(userID int64, tokenHash string, at time.Time) error {
	if _, err := t.exec("DELETE FROM calendar_tokens WHERE user_id = $1", userID); err != nil {
		return err
	}
	_, err := t.exec("INSERT INTO calendar_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
		tokenHash, userID, fmtTime(at))
	return err
}

// CalendarTokenUser returns the user whose calendar token has the hash.
func (t *Tx) CalendarTokenUser(tokenHash string) (int64, error) {
	var id int64
	err := t.queryRow("SELECT user_id FROM calendar_tokens WHERE token_hash = $1", tokenHash).Scan(&id)
	return id, notFound(err)
}

// CalendarTokenSince returns when the user's calendar token was made, or
// the zero time if the user has none.
func (t *Tx) CalendarTokenSince(userID int64) (time.Time, error) {
	var at string
	err := t.queryRow("SELECT created_at FROM calendar_tokens WHERE user_id = $1", userID).Scan(&at)
	if err = notFound(err); err == ErrNotFound {
		return time.Time{}, nil
	}
	return parseTime(at), err
}

// DeleteCalendarToken revokes the user's calendar token.
func (t *Tx) DeleteCalendarToken(userID int64) error {
	_, err := t.exec("DELETE FROM calendar_tokens WHERE user_id = $1", userID)
	return err
}
