package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("finns inte")

// Setting returns the value stored under key, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.read.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("inställning %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("inställning %q: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key, replacing any earlier value. The
// caller adds the audit entry.
func (t *Tx) SetSetting(key, value string, at time.Time) error {
	t.touch("setting", key)
	_, err := t.exec(`INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, fmtTime(at))
	if err != nil {
		return fmt.Errorf("spara inställning %q: %w", key, err)
	}
	return nil
}
