package store

import (
	"fmt"

	"narvard/internal/grant"
)

const attachmentColumns = `owner_kind, owner_id, n, name, content_type, size, sha256, added_by, added_at`

func scanAttachment(s interface{ Scan(...any) error }, more ...any) (grant.Attachment, error) {
	var a grant.Attachment
	var added string
	err := s.Scan(append([]any{&a.OwnerKind, &a.OwnerID, &a.N, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.AddedBy, &added}, more...)...)
	a.AddedAt = parseTime(added)
	return a, err
}

// InsertAttachment saves a file attached to a document as the owner's next
// one (its N set here), with its content; the row, content included, is
// sealed.
func (t *Tx) InsertAttachment(a *grant.Attachment, content []byte) error {
	if err := t.queryRow(`SELECT COALESCE(MAX(n), 0) + 1 FROM attachments WHERE owner_kind = $1 AND owner_id = $2`,
		a.OwnerKind, a.OwnerID).Scan(&a.N); err != nil {
		return err
	}
	t.touch("attachment", a.ID())
	_, err := t.exec(`INSERT INTO attachments (id, `+attachmentColumns+`, content)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, a.ID(), a.OwnerKind, a.OwnerID, a.N, a.Name, a.ContentType,
		a.Size, a.SHA256, a.AddedBy, fmtTime(a.AddedAt), content)
	return err
}

// Attachments lists a document's attachments in order, without their
// content.
func (t *Tx) Attachments(ownerKind, ownerID string) ([]grant.Attachment, error) {
	rows, err := t.query("SELECT "+attachmentColumns+" FROM attachments WHERE owner_kind = $1 AND owner_id = $2 ORDER BY n",
		ownerKind, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment returns one attachment with its content.
func (t *Tx) Attachment(ownerKind, ownerID string, n int) (grant.Attachment, []byte, error) {
	var content []byte
	a, err := scanAttachment(t.queryRow("SELECT "+attachmentColumns+`, content FROM attachments
		WHERE owner_kind = $1 AND owner_id = $2 AND n = $3`, ownerKind, ownerID, n), &content)
	if err != nil {
		return a, nil, fmt.Errorf("bilaga %d: %w", n, notFound(err))
	}
	return a, content, nil
}
