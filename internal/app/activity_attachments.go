package app

import (
	"context"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// readableActivity returns the activity report if the actor may see it.
func (a *App) readableActivity(tx *store.Tx, actor auth.Actor, id string) (grant.ActivityReport, error) {
	r, err := tx.ActivityReport(id)
	if err != nil {
		return r, notFound(err, "Verksamhetsrapporten %s finns inte.", id)
	}
	if grant.CanRead(actor, r.Recipient) != nil {
		return r, fault.New(fault.NotFound, "Verksamhetsrapporten %s finns inte.", id)
	}
	return r, nil
}

// AttachToActivityReport adds a file to an activity report while it is a
// draft or returned, by those who may write it.
func (a *App) AttachToActivityReport(ctx context.Context, actor auth.Actor, id, name string, content []byte) (grant.Attachment, error) {
	now := a.Clock.Now()
	var at grant.Attachment
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := a.readableActivity(tx, actor, id)
		if err != nil {
			return err
		}
		if err := grant.CanWriteActivityReport(actor, r.Recipient); err != nil {
			return err
		}
		if err := r.TakesAttachments(); err != nil {
			return err
		}
		f, err := checkFile(name, content)
		if err != nil {
			return err
		}
		at, err = attach(tx, actor, grant.OwnerActivity, r.ID, f, content, now)
		return err
	})
	return at, err
}

// ActivityAttachments lists an activity report's attachments (without
// their content) for those who may read it.
func (a *App) ActivityAttachments(ctx context.Context, actor auth.Actor, id string) ([]grant.Attachment, error) {
	var out []grant.Attachment
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableActivity(tx, actor, id)
		if err != nil {
			return err
		}
		out, err = tx.Attachments(grant.OwnerActivity, r.ID)
		return err
	})
	return out, err
}

// ActivityFile returns one of an activity report's attachments with its
// content, for those who may read the report.
func (a *App) ActivityFile(ctx context.Context, actor auth.Actor, id string, n int) (grant.Attachment, []byte, error) {
	var at grant.Attachment
	var content []byte
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableActivity(tx, actor, id)
		if err != nil {
			return err
		}
		at, content, err = tx.Attachment(grant.OwnerActivity, r.ID, n)
		return notFound(err, "Verksamhetsrapporten %s har ingen bilaga %d.", id, n)
	})
	return at, content, err
}
