package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"narvard/internal/audit"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// binaryFile holds every byte value, most of them not UTF-8 as they come.
func binaryFile() []byte {
	b := []byte("%PDF-1.7\n")
	for i := range 1024 {
		b = append(b, byte(i), byte(255-i%256))
	}
	return b
}

// withAttachment adds a document request and one attachment to the books.
func withAttachment(t *testing.T, s *store.Store, content []byte) {
	t.Helper()
	books(t, s)
	now := time.Date(2024, 4, 2, 9, 0, 0, 0, time.UTC)
	sum := sha256.Sum256(content)
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.SeedOrganisations([]org.Organisation{{ID: org.Kammarkollegiet, Kind: org.KindAgency, Name: "Kammarkollegiet"}}, now); err != nil {
			return err
		}
		r := grant.DocRequest{ID: "U-1", Agreement: "gnv-2023", Recipient: "region-25", RequesterOrg: org.Kammarkollegiet,
			RequestedBy: "k@kammarkollegiet.se", Text: "Huvudboken", DueDate: now, Stored: grant.DocRequestOpen, CreatedAt: now}
		if err := tx.InsertDocRequest(&r); err != nil {
			return err
		}
		a := grant.Attachment{OwnerKind: grant.OwnerDocRequest, OwnerID: r.ID, Name: "huvudbok.pdf", ContentType: "application/pdf",
			Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), AddedBy: "a@nll.se", AddedAt: now}
		if err := tx.InsertAttachment(&a, content); err != nil {
			return err
		}
		_, err := tx.Audit(audit.Entry{At: now, Actor: "a@nll.se", Org: "region-25", Action: "document_request.attach", Object: "attachment:" + a.ID(), Detail: "{}"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func attachmentContent(t *testing.T, s *store.Store) []byte {
	t.Helper()
	var got []byte
	err := s.View(ctx, func(tx *store.Tx) error {
		var err error
		_, got, err = tx.Attachment(grant.OwnerDocRequest, "U-1", 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestAttachmentsSurviveBackup: a file's bytes (not UTF-8) come back whole
// from a backup of either back end restored into either, and the books
// verify, the attachment's seal included.
func TestAttachmentsSurviveBackup(t *testing.T) {
	content := binaryFile()
	for _, from := range []string{"sqlite", "postgres"} {
		for _, to := range []string{"sqlite", "postgres"} {
			t.Run(from+"-to-"+to, func(t *testing.T) {
				open := func(b string) *store.Store {
					if b == "postgres" {
						return storetest.Postgres(t)
					}
					return storetest.SQLite(t)
				}
				src := open(from)
				withAttachment(t, src, content)
				if got := attachmentContent(t, src); !bytes.Equal(got, content) {
					t.Fatalf("stored %d bytes, read back %d different ones", len(content), len(got))
				}
				var buf bytes.Buffer
				if _, err := src.Backup(ctx, &buf); err != nil {
					t.Fatal(err)
				}
				dst := open(to)
				if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); err != nil {
					t.Fatal(err)
				}
				if got := attachmentContent(t, dst); !bytes.Equal(got, content) {
					t.Errorf("restored content differs: %d bytes, want %d", len(got), len(content))
				}
				if v := verify(t, dst, nil); !v.OK() {
					t.Errorf("restored books: %s", findings(v))
				}
			})
		}
	}
}

// TestEditedAttachmentIsFound: a file's content changed outside the
// program breaks its seal.
func TestEditedAttachmentIsFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		withAttachment(t, s, binaryFile())
		if v := verify(t, s, nil); !v.OK() {
			t.Fatalf("books before: %s", findings(v))
		}
		mustExec(t, s, "UPDATE attachments SET size = size + 1, sha256 = 'x'")
		if v := verify(t, s, nil); v.OK() {
			t.Error("an edited attachment verifies")
		}
	})
}
