package app

import (
	"context"

	"narvard/internal/replay"
	"narvard/internal/store"
)

// Replay returns the stored answer to an earlier POST with the user's
// Idempotency-Key.
func (a *App) Replay(ctx context.Context, userID int64, key string) (replay.Answer, bool, error) {
	var r replay.Answer
	var found bool
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		r, found, err = tx.Idempotent(userID, key)
		return err
	})
	return r, found, err
}

// SaveReplay stores the answer to a POST with the user's Idempotency-Key.
func (a *App) SaveReplay(ctx context.Context, userID int64, key, method, path string, status int, body []byte) error {
	return a.db.Update(ctx, func(tx *store.Tx) error {
		return tx.SaveIdempotent(userID, key, replay.Answer{Method: method, Path: path, Status: status, Body: body}, a.Clock.Now())
	})
}
