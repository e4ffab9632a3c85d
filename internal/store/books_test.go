package store_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"narvard/internal/audit"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/org"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// books writes a little of everything the way the program does: an
// organisation, a user, a requisition and a ledger transaction, each
// transaction with its audit entry.
func books(t *testing.T, s *store.Store) {
	t.Helper()
	now := time.Date(2023, 11, 15, 9, 0, 0, 0, time.UTC)
	entry := func(action, object string) audit.Entry {
		return audit.Entry{At: now, Actor: "a@nll.se", Org: "region-25", Action: action, Object: object, Detail: "{}"}
	}
	steps := []func(tx *store.Tx) error{
		func(tx *store.Tx) error {
			if _, err := tx.SeedOrganisations([]org.Organisation{{ID: "region-25", Kind: "region", Name: "Region Norrbotten"}}, now); err != nil {
				return err
			}
			_, err := tx.Audit(entry("organisation.seed", "organisation:region-25"))
			return err
		},
		func(tx *store.Tx) error {
			if err := tx.InsertUser(&auth.User{Email: "a@nll.se", Name: "A", Org: "region-25", Role: auth.Signatory, PasswordHash: "h", CreatedAt: now}); err != nil {
				return err
			}
			_, err := tx.Audit(entry("user.add", "user:a@nll.se"))
			return err
		},
		func(tx *store.Tx) error {
			r := grant.Requisition{ID: "r1", Status: grant.Submitted, CreatedBy: "a@nll.se", CreatedAt: now, UpdatedAt: now}
			r.Agreement, r.Recipient, r.Amount = "gnv-2023", "region-25", 1000
			if err := tx.InsertRequisition(&r); err != nil {
				return err
			}
			if _, err := tx.Post(ledger.Move(ledger.KindRequisition, "gnv-2023", "region-25", "r1", now, "a", "b", 1000)); err != nil {
				return err
			}
			_, err := tx.Audit(entry("requisition.sign", "requisition:r1"))
			return err
		},
	}
	for _, step := range steps {
		if err := s.Update(ctx, step); err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, s *store.Store, cp *audit.Checkpoint) store.Verification {
	t.Helper()
	var v store.Verification
	err := s.View(ctx, func(tx *store.Tx) error {
		var err error
		v, err = tx.VerifyBooks(cp)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func findings(v store.Verification) string {
	var b strings.Builder
	if v.Break != nil {
		fmt.Fprintf(&b, "break %v\n", v.Break)
	}
	for _, m := range v.Mismatches {
		fmt.Fprintf(&b, "%v\n", m)
	}
	return b.String()
}

// enableLedgerEdits drops the append-only triggers, as an attacker with the
// database's owner rights could.
func enableLedgerEdits(t *testing.T, s *store.Store) {
	t.Helper()
	stmts := []string{"DROP TRIGGER postings_append_only_update", "DROP TRIGGER postings_append_only_delete"}
	if s.Postgres() {
		stmts = []string{"ALTER TABLE postings DISABLE TRIGGER postings_append_only"}
	}
	for _, q := range stmts {
		if err := s.RawExec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// rehash rewrites entry seq's detail and re-hashes the chain from there,
// head and all: no key is needed to do that.
func rehash(t *testing.T, s *store.Store, seq int64) {
	t.Helper()
	var entries []audit.Entry
	if err := s.View(ctx, func(tx *store.Tx) error {
		var err error
		entries, err = tx.AuditLog(0, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var prev *audit.Entry
	for i := range entries {
		e := entries[i]
		if e.Seq == seq {
			e.Detail = `{"role":"admin"}`
		}
		e = audit.Seal(e, prev)
		entries[i] = e
		prev = &entries[i]
		if err := s.RawExec("UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4", e.Detail, e.PrevHash, e.Hash, e.Seq); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RawExec("UPDATE audit_head SET seq = $1, hash = $2", prev.Seq, prev.Hash); err != nil {
		t.Fatal(err)
	}
}

// TestTamperingIsFound alters the books as someone with the database
// could, one way at a time, on both back ends: audit verify finds each.
func TestTamperingIsFound(t *testing.T) {
	tests := []struct {
		name       string
		tamper     func(t *testing.T, s *store.Store)
		checkpoint bool // verified against a checkpoint taken before
		want       string
	}{
		{"edited entry", func(t *testing.T, s *store.Store) {
			mustExec(t, s, `UPDATE audit_log SET detail = '{"role":"admin"}' WHERE seq = 2`)
		}, false, "break post 2"},
		{"re-hashed chain with a checkpoint", func(t *testing.T, s *store.Store) { rehash(t, s, 2) }, true, "kedjan har skrivits om"},
		{"truncated chain", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "DELETE FROM audit_log WHERE seq = 3")
			mustExec(t, s, "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)")
		}, false, "requisition:r1: raden finns inte i granskningsloggen"},
		{"truncated chain with a checkpoint", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "DELETE FROM audit_log WHERE seq = 3")
			mustExec(t, s, "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)")
		}, true, "loggen har kortats"},
		{"deleted log", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "DELETE FROM audit_log")
			mustExec(t, s, "DELETE FROM audit_head")
		}, false, "loggen har tömts"},
		{"deleted log with a checkpoint", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "DELETE FROM audit_log")
			mustExec(t, s, "DELETE FROM audit_head")
		}, true, "loggen har kortats eller tömts"},
		{"edited posting", func(t *testing.T, s *store.Store) {
			enableLedgerEdits(t, s)
			mustExec(t, s, "UPDATE postings SET amount_kr = amount_kr + 1000000 WHERE tx_id = 1 AND line = 2")
		}, false, "ledger:1: raden stämmer inte med post 3"},
		{"deleted posting line", func(t *testing.T, s *store.Store) {
			enableLedgerEdits(t, s)
			mustExec(t, s, "DELETE FROM postings WHERE tx_id = 1 AND line = 1")
		}, false, "ledger:1: raden stämmer inte med post 3"},
		{"edited requisition", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "UPDATE requisitions SET amount_kr = 1000000 WHERE id = 'r1'")
		}, false, "requisition:r1: raden stämmer inte med post 3"},
		{"edited user", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "UPDATE users SET role = 'admin'")
		}, false, "user:1: raden stämmer inte med post 2"},
		{"requisition added outside", func(t *testing.T, s *store.Store) {
			mustExec(t, s, `INSERT INTO requisitions SELECT 'r2', agreement, recipient, amount_kr, period_from, period_to, account_type,
				account_number, payment_reference, contact_name, contact_email, contact_phone, agreement_dnr, payment_decision_dnr,
				'withdrawn', created_by, created_at, updated_at, signed_by, signed_by_user, signed_at, decided_by, decided_at,
				reject_reason, batch_id, paid_on FROM requisitions WHERE id = 'r1'`)
		}, false, "requisition:r2: raden finns inte i granskningsloggen"},
		{"requisition removed", func(t *testing.T, s *store.Store) {
			mustExec(t, s, "DELETE FROM requisitions WHERE id = 'r1'")
		}, false, "requisition:r1: raden saknas men skrevs enligt post 3"},
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, tt := range tests {
			t.Run(backend+"/"+tt.name, func(t *testing.T) {
				s := storetest.SQLite(t)
				if backend == "postgres" {
					s = storetest.Postgres(t)
				}
				books(t, s)
				_, key, _ := ed25519.GenerateKey(rand.Reader)
				v := verify(t, s, nil)
				if !v.OK() {
					t.Fatalf("the untouched books: %s", findings(v))
				}
				cp := audit.SignCheckpoint(key, v.Entries, v.Head, time.Now())
				if v := verify(t, s, &cp); !v.OK() {
					t.Fatalf("the untouched books fail their own checkpoint: %s", findings(v))
				}
				tt.tamper(t, s)
				var with *audit.Checkpoint
				if tt.checkpoint {
					with = &cp
				}
				v = verify(t, s, with)
				if got := findings(v); v.OK() || !strings.Contains(got, tt.want) {
					t.Errorf("found %q, want %q", got, tt.want)
				}
			})
		}
	}
}

func mustExec(t *testing.T, s *store.Store, q string) {
	t.Helper()
	if err := s.RawExec(q); err != nil {
		t.Fatal(err)
	}
}

// TestLedgerIsAppendOnly checks that the database itself refuses to
// update or delete a posting or a ledger transaction, and that reads of
// balances refuse a ledger with a transaction that does not balance.
func TestLedgerIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		books(t, s)
		for _, q := range []string{
			"UPDATE postings SET amount_kr = amount_kr + 1000000 WHERE tx_id = 1 AND line = 2",
			"UPDATE postings SET account = 'x'",
			"DELETE FROM postings WHERE tx_id = 1 AND line = 1",
			"UPDATE ledger_tx SET recipient = 'region-01'",
			"DELETE FROM ledger_tx",
		} {
			if err := s.RawExec(q); err == nil || !strings.Contains(err.Error(), "bokföringen får bara tillföras") {
				t.Errorf("%s: err = %v, want refused", q, err)
			}
		}
		if s.Postgres() {
			if err := s.RawExec("TRUNCATE postings"); err == nil {
				t.Error("TRUNCATE postings was accepted")
			}
		}
		enableLedgerEdits(t, s)
		mustExec(t, s, "UPDATE postings SET amount_kr = amount_kr + 1000000 WHERE tx_id = 1 AND line = 2")
		err := s.View(ctx, func(tx *store.Tx) error {
			_, err := tx.Balances("")
			return err
		})
		if fault.CodeOf(err) != fault.BooksBroken || !strings.Contains(err.Error(), "transaktion 1") {
			t.Errorf("balances of an unbalanced ledger: err = %v", err)
		}
	})
}

// TestWriteWithoutAuditIsRefused checks that a transaction that writes a
// row of the books without an audit entry is not committed.
func TestWriteWithoutAuditIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		books(t, s)
		err := s.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Post(ledger.Move(ledger.KindRequisition, "gnv-2023", "region-25", "r1", time.Now(), "a", "b", 5))
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "saknar granskningspost") {
			t.Errorf("a posting without an audit entry: err = %v", err)
		}
		err = s.Update(ctx, func(tx *store.Tx) error {
			if err := tx.Exec("UPDATE requisitions SET amount_kr = 5"); err != nil {
				return err
			}
			_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "x", Org: "y", Action: "z", Object: "w"})
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "utan sigill") {
			t.Errorf("a write that seals nothing: err = %v", err)
		}
		if v := verify(t, s, nil); !v.OK() {
			t.Errorf("after refused writes: %s", findings(v))
		}
	})
}

// TestHealth checks that Health fails on a database that takes no writes
// and on a ledger that does not balance.
func TestHealth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		books(t, s)
		if err := s.Health(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.RefuseWrites(); err != nil {
			t.Fatal(err)
		}
		if err := s.Health(ctx); err == nil {
			t.Error("a database that takes no writes is healthy")
		}
	})
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		books(t, s)
		enableLedgerEdits(t, s)
		mustExec(t, s, "UPDATE postings SET amount_kr = amount_kr + 1000000 WHERE tx_id = 1 AND line = 2")
		if err := s.Health(ctx); fault.CodeOf(err) != fault.BooksBroken {
			t.Errorf("an unbalanced ledger: Health = %v", err)
		}
	})
}

// TestBackupRestore backs up each back end and restores into each: the
// books verify, every row is there, a non-empty target is refused and a
// file cut short is refused whole.
func TestBackupRestore(t *testing.T) {
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
				books(t, src)
				var buf bytes.Buffer
				st, err := src.Backup(ctx, &buf)
				if err != nil {
					t.Fatal(err)
				}
				if st.Entries != 3 || st.Rows == 0 {
					t.Errorf("backup: %+v", st)
				}
				dst := open(to)
				got, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				if got.Rows != st.Rows || got.Entries != 3 {
					t.Errorf("restored %+v of %+v", got, st)
				}
				v := verify(t, dst, nil)
				if !v.OK() || v.Entries != 3 || v.Rows != verify(t, src, nil).Rows {
					t.Errorf("restored books: %+v %s", v, findings(v))
				}
				if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); !errors.Is(err, store.ErrNotEmpty) {
					t.Errorf("restore into a non-empty target: %v", err)
				}
				empty := open(to)
				if _, err := empty.Restore(ctx, bytes.NewReader(buf.Bytes()[:buf.Len()/2])); err == nil {
					t.Error("a backup cut in half was restored")
				}
				if v := verify(t, empty, nil); v.Entries != 0 || v.Rows != 0 {
					t.Errorf("a failed restore left rows: %+v", v)
				}
			})
		}
	}
}
