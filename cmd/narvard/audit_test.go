package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"narvard/internal/audit"
	"narvard/internal/auth"
	"narvard/internal/store"
)

// auditData makes a data directory with a few audit entries.
func auditData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a, done, err := openApp(context.Background(), dir, "", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"a@nll.se", "b@nll.se"} {
		if _, err := a.AddUser(context.Background(), email, "", "region-25", auth.RecipientOfficer, "ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
	}
	done()
	return dir
}

func tamper(t *testing.T, dir, query string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerify(t *testing.T) {
	tests := []struct {
		name, query string
		code        int
		want        string
	}{
		{"intact", "", 0, "hel (4 poster)"},
		{"altered row", `UPDATE audit_log SET detail = '{"role":"admin"}' WHERE seq = 2`, 1, "post 2"},
		// Every column that goes into the hash, altered in the database.
		{"altered at", `UPDATE audit_log SET at = '2019' || substr(at, 5) WHERE seq = 2`, 1, "post 2"},
		{"altered actor", `UPDATE audit_log SET actor = 'mallory@nll.se' WHERE seq = 2`, 1, "post 2"},
		{"altered org", `UPDATE audit_log SET org = 'region-24' WHERE seq = 2`, 1, "post 2"},
		{"altered action", `UPDATE audit_log SET action = action || 'x' WHERE seq = 2`, 1, "post 2"},
		{"altered object", `UPDATE audit_log SET object = object || 'x' WHERE seq = 2`, 1, "post 2"},
		{"altered prev_hash", `UPDATE audit_log SET prev_hash = hash WHERE seq = 2`, 1, "post 2"},
		{"renumbered row", "UPDATE audit_log SET seq = 9 WHERE seq = 3", 1, "post 3"},
		{"removed row in the middle", "DELETE FROM audit_log WHERE seq = 2", 1, "post 2"},
		{"removed last row", "DELETE FROM audit_log WHERE seq = 4", 1, "post 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := auditData(t)
			if tt.query != "" {
				tamper(t, dir, tt.query)
			}
			code, out, errOut := runCLI(t, "audit", "verify", "--data", dir)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, out %q, err %q; want %d and %q", code, out, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestUserAddAndToken(t *testing.T) {
	dir := t.TempDir()
	var out, errb strings.Builder
	code := run([]string{"user", "add", "--data", dir, "--email", "Pay@Kammarkollegiet.se", "--org", "kammarkollegiet", "--role", "payer"},
		strings.NewReader("ett långt lösenord\n"), &out, &errb)
	if code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	code, tok, errOut := runCLI(t, "token", "create", "--data", dir, "--email", "pay@kammarkollegiet.se", "--ttl", "1h")
	if code != 0 || len(strings.TrimSpace(tok)) < 40 {
		t.Fatalf("token: %d %q %s", code, tok, errOut)
	}
	if code, _, errOut := runCLI(t, "token", "create", "--data", dir, "--email", "pay@kammarkollegiet.se", "--ttl", "2161h"); code == 0 || !strings.Contains(errOut, "högst 90 dagar") {
		t.Errorf("a token beyond 90 days: %d %s", code, errOut)
	}
	code = run([]string{"user", "add", "--data", dir, "--email", "kort@y.se", "--org", "kammarkollegiet", "--role", "payer"},
		strings.NewReader("password1234\n"), &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "för vanligt") {
		t.Errorf("user add with a common password: %d %s", code, errb.String())
	}
	if code, _, _ := runCLI(t, "user", "add", "--data", dir, "--email", "x@y.se", "--org", "nowhere", "--role", "payer"); code == 0 {
		t.Error("user add without a password on stdin succeeded")
	}
	code = run([]string{"user", "add", "--data", dir, "--email", "x@y.se", "--org", "region-99", "--role", "payer"},
		strings.NewReader("ett långt lösenord\n"), &out, &errb)
	if code == 0 {
		t.Error("user add for an unknown organisation succeeded")
	}
	errb.Reset()
	code = run([]string{"user", "add", "--data", dir, "--email", "x@y.se", "--org", "region-01", "--role", "payer"},
		strings.NewReader("ett långt lösenord\n"), &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "role: Rollen payer, utbetalare, passar inte Region Stockholm") {
		t.Errorf("user add of a payer at a region: %d %s", code, errb.String())
	}
}

// TestAuditCheckpoint signs a checkpoint with a key made beside the data
// directory, verifies against it, then re-hashes the chain after an
// edited entry: only the checkpoint finds that.
func TestAuditCheckpoint(t *testing.T) {
	dir := auditData(t)
	cp := filepath.Join(t.TempDir(), "cp.json")
	code, out, errOut := runCLI(t, "audit", "checkpoint", "--data", dir, "--out", cp)
	if code != 0 || !strings.Contains(out, "4 poster") {
		t.Fatalf("checkpoint: %d %q %q", code, out, errOut)
	}
	fi, err := os.Stat(dir + ".audit-key")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file beside the data: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, store.FileName)); bytes.Contains(b, []byte("PRIVATE KEY")) {
		t.Error("the key is in the database")
	}
	if code, out, errOut := runCLI(t, "audit", "verify", "--data", dir, "--checkpoint", cp); code != 0 || !strings.Contains(out, "Checkpointen") {
		t.Fatalf("verify with checkpoint: %d %q %q", code, out, errOut)
	}
	// A forged checkpoint (signed by another key) is refused.
	other := filepath.Join(t.TempDir(), "other.key")
	forged := filepath.Join(t.TempDir(), "forged.json")
	if code, _, errOut := runCLI(t, "audit", "checkpoint", "--data", dir, "--key", other, "--out", forged); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI(t, "audit", "verify", "--data", dir, "--checkpoint", forged); code != 1 || !strings.Contains(errOut, "signatur") {
		t.Errorf("forged checkpoint: %d %q", code, errOut)
	}

	// Re-hash the chain after editing entry 2: the chain is whole again,
	// the checkpoint is not.
	rewriteChain(t, dir, func(e *audit.Entry) {
		if e.Seq == 2 {
			e.Detail = `{"role":"admin"}`
		}
	})
	if code, _, _ := runCLI(t, "audit", "verify", "--data", dir); code != 0 {
		t.Fatal("the re-hashed chain should pass without a checkpoint (no key is needed to re-hash)")
	}
	if code, _, errOut := runCLI(t, "audit", "verify", "--data", dir, "--checkpoint", cp); code != 1 || !strings.Contains(errOut, "räknats om") {
		t.Errorf("re-hashed chain with checkpoint: %d %q", code, errOut)
	}
}

// TestAuditVerifyReadOnlyCopy verifies a copy of the database on a
// read-only folder, and finds an edit to a user in it.
func TestAuditVerifyReadOnlyCopy(t *testing.T) {
	dir := auditData(t)
	tamper(t, dir, "UPDATE users SET role = 'admin' WHERE email = 'b@nll.se'")
	cp := t.TempDir()
	b, err := os.ReadFile(filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cp, store.FileName), b, 0o444); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cp, 0o555)
	t.Cleanup(func() { os.Chmod(cp, 0o755) })
	code, out, errOut := runCLI(t, "audit", "verify", "--data", cp)
	if code != 1 || !strings.Contains(errOut, "user:2: raden stämmer inte") {
		t.Errorf("read-only copy: %d %q %q", code, out, errOut)
	}
	if entries, _ := os.ReadDir(cp); len(entries) != 1 {
		t.Errorf("verify wrote beside the copy: %v", entries)
	}
}

// rewriteChain alters entries with edit and re-hashes the whole chain and
// its head, as anyone with the database file can.
func rewriteChain(t *testing.T, dir string, edit func(e *audit.Entry)) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var entries []audit.Entry
	rows, err := db.Query("SELECT seq, at, actor, org, action, object, detail, sealed FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e audit.Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Org, &e.Action, &e.Object, &e.Detail, &e.Sealed); err != nil {
			t.Fatal(err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		entries = append(entries, e)
	}
	rows.Close()
	var prev *audit.Entry
	for i := range entries {
		edit(&entries[i])
		entries[i] = audit.Seal(entries[i], prev)
		prev = &entries[i]
		if _, err := db.Exec("UPDATE audit_log SET detail = $1, sealed = $2, prev_hash = $3, hash = $4 WHERE seq = $5",
			prev.Detail, prev.Sealed, prev.PrevHash, prev.Hash, prev.Seq); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("UPDATE audit_head SET seq = $1, hash = $2", prev.Seq, prev.Hash); err != nil {
		t.Fatal(err)
	}
}

// TestBooksOfBeforeAreSealedOnce: a database whose entries seal no rows
// (written before rows were sealed) has every row sealed once at the next
// start, and verifies after it.
func TestBooksOfBeforeAreSealedOnce(t *testing.T) {
	dir := auditData(t)
	rewriteChain(t, dir, func(e *audit.Entry) { e.Sealed = "" })
	if code, _, errOut := runCLI(t, "audit", "verify", "--data", dir); code != 1 || !strings.Contains(errOut, "finns inte i granskningsloggen") {
		t.Fatalf("unsealed rows: %d %q", code, errOut)
	}
	_, done, err := openApp(context.Background(), dir, "", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	done()
	code, out, errOut := runCLI(t, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "hel (5 poster)") {
		t.Fatalf("after the start that seals: %d %q %q", code, out, errOut)
	}
	// Once: a row added outside the program afterwards is not sealed by
	// the next start.
	tamper(t, dir, "INSERT INTO settings (key, value, updated_at) VALUES ('smuggled', 'x', 'x')")
	_, done, err = openApp(context.Background(), dir, "", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	done()
	if code, _, errOut := runCLI(t, "audit", "verify", "--data", dir); code != 1 || !strings.Contains(errOut, "setting:smuggled") {
		t.Errorf("a row added after sealing: %d %q", code, errOut)
	}
}
