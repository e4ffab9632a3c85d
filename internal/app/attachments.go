package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/filetype"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// Attachments are files attached to a document, kept in the database with
// their SHA-256 in the audit entry that added them. Any kind of document
// takes them the same way: a kind in grant (OwnerDocRequest, OwnerReport),
// its rule checked by the use case, then attach in the same transaction.

// checkedFile is a file whose type was decided from its content.
type checkedFile struct {
	typ  filetype.Type
	name string
	sum  string
}

// checkFile decides the file's type from its content (refusing what is
// not PDF, XLSX, CSV, ODS or DOCX, or is over 20 MB, naming the file).
func checkFile(name string, content []byte) (checkedFile, error) {
	if strings.TrimSpace(name) == "" {
		return checkedFile{}, fault.Fields{"filename": "Ange filens namn."}.Err()
	}
	t, err := filetype.Detect(name, content)
	if err != nil {
		return checkedFile{}, err
	}
	sum := sha256.Sum256(content)
	return checkedFile{typ: t, name: filetype.SafeName(name, t), sum: hex.EncodeToString(sum[:])}, nil
}

// attach stores a checked file as the owner's next attachment, with its
// audit entry (the SHA-256 in the detail).
func attach(tx *store.Tx, actor auth.Actor, ownerKind, ownerID string, f checkedFile, content []byte, now time.Time) (grant.Attachment, error) {
	at := grant.Attachment{OwnerKind: ownerKind, OwnerID: ownerID, Name: f.name, ContentType: f.typ.ContentType,
		Size: int64(len(content)), SHA256: f.sum, AddedBy: actor.Email, AddedAt: now}
	if err := tx.InsertAttachment(&at, content); err != nil {
		return at, err
	}
	_, err := tx.Audit(entry(actor, now, "attachment.add", "attachment:"+at.ID(), map[string]any{
		"owner_kind": ownerKind, "owner_id": ownerID, "n": at.N, "name": at.Name, "type": f.typ.Name,
		"content_type": at.ContentType, "size": at.Size, "sha256": at.SHA256}))
	return at, err
}

// AttachToReport adds a file to a financial report while it is a draft or
// returned for correction, by those who may write it.
func (a *App) AttachToReport(ctx context.Context, actor auth.Actor, reportID, name string, content []byte) (grant.Attachment, error) {
	now := a.Clock.Now()
	var at grant.Attachment
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := a.readableReport(tx, actor, reportID)
		if err != nil {
			return err
		}
		if err := grant.CanWriteReport(actor, r.Recipient); err != nil {
			return err
		}
		if err := grant.ReportTakesAttachments(r); err != nil {
			return err
		}
		f, err := checkFile(name, content)
		if err != nil {
			return err
		}
		at, err = attach(tx, actor, grant.OwnerReport, r.ID, f, content, now)
		return err
	})
	return at, err
}

// ReportAttachments lists a financial report's attachments (without their
// content) for those who may read it.
func (a *App) ReportAttachments(ctx context.Context, actor auth.Actor, reportID string) ([]grant.Attachment, error) {
	var out []grant.Attachment
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableReport(tx, actor, reportID)
		if err != nil {
			return err
		}
		out, err = tx.Attachments(grant.OwnerReport, r.ID)
		return err
	})
	return out, err
}

// ReportFile returns one of a financial report's attachments with its
// content, for those who may read the report.
func (a *App) ReportFile(ctx context.Context, actor auth.Actor, reportID string, n int) (grant.Attachment, []byte, error) {
	var at grant.Attachment
	var content []byte
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableReport(tx, actor, reportID)
		if err != nil {
			return err
		}
		at, content, err = tx.Attachment(grant.OwnerReport, r.ID, n)
		return notFound(err, "Redovisningen %s har ingen bilaga %d.", reportID, n)
	})
	return at, content, err
}
