package app

import (
	"context"

	"narvard/internal/auth"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// MailDigest reports whether the user takes one daily digest instead of
// one mail per event (the default).
func (a *App) MailDigest(ctx context.Context, actor auth.Actor) (bool, error) {
	if err := grant.CanManageAccount(actor, actor.UserID); err != nil {
		return false, err
	}
	var d bool
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		d, err = tx.MailDigest(actor.Email)
		return err
	})
	return d, err
}

// SetMailDigest records the user's choice of a daily digest. It is the
// user's own setting, not the books: no audit entry.
func (a *App) SetMailDigest(ctx context.Context, actor auth.Actor, digest bool) error {
	if err := grant.CanManageAccount(actor, actor.UserID); err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error { return tx.SetMailDigest(actor.Email, digest) })
}
