package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

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
