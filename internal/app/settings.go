package app

import (
	"context"
	"errors"

	"narvard/internal/audit"

	"narvard/internal/store"
)

// Setting returns the server setting stored under key and whether there is
// one. Settings are the system's own bookkeeping (such as whether the demo
// data is in), not a user's action.
func (a *App) Setting(ctx context.Context, key string) (string, bool, error) {
	v, err := a.db.Setting(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return v, err == nil, err
}

// SetSetting stores a server setting under key, with its audit entry.
func (a *App) SetSetting(ctx context.Context, key, value string) error {
	now := a.Clock.Now()
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(key, value, now); err != nil {
			return err
		}
		_, err := tx.Audit(audit.Entry{At: now, Actor: "system", Org: "narvard", Action: "setting.set",
			Object: "setting:" + key, Detail: detail(map[string]any{"value": value})})
		return err
	})
}

// Ping reports whether the database answers and takes writes, and whether
// the ledger balances, for health checks.
func (a *App) Ping(ctx context.Context) error { return a.db.Health(ctx) }
