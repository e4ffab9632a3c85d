package app

import (
	"context"
	"errors"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/store"
)

// FailedMails lists the mails given up after mail.MaxAttempts, oldest
// first, each with its last error: for the admins.
func (a *App) FailedMails(ctx context.Context, actor auth.Actor) ([]mail.Message, error) {
	if err := grant.CanManageMail(actor); err != nil {
		return nil, err
	}
	var out []mail.Message
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Mails(mail.Failed, time.Time{})
		return err
	})
	return out, err
}

// RetryMail sends a failed mail again: pending at once with its tries
// counted from zero (its last error stays until it is sent). Only a failed
// mail; the admins. The audit entry names the mail's kind and object,
// never its address.
func (a *App) RetryMail(ctx context.Context, actor auth.Actor, key string) (mail.Message, error) {
	if err := grant.CanManageMail(actor); err != nil {
		return mail.Message{}, err
	}
	var m mail.Message
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = tx.Mail(key); errors.Is(err, store.ErrNotFound) {
			return fault.New(fault.NotFound, "Brevet finns inte i utkorgen.")
		} else if err != nil {
			return err
		}
		if m.Status != mail.Failed {
			return fault.New(fault.Conflict, "Brevet har inte misslyckats; det skickas som vanligt.")
		}
		m.Status, m.Attempts, m.NextAt = mail.Pending, 0, a.Timer.Now()
		if err := tx.SaveMailState(m); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), "mail.retry", "mail:"+string(m.Kind)+":"+m.Object, map[string]any{"last_error": m.LastError}))
		return err
	})
	return m, err
}
