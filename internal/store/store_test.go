package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

func TestOpenSettings(t *testing.T) {
	s, dir := openTemp(t)
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}
	want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "5000"}
	for pool, db := range map[string]*sql.DB{"read": s.read, "write": s.write} {
		for name, w := range want {
			if got := pragma(t, db, name); got != w {
				t.Errorf("%s pool: PRAGMA %s = %q, want %q", pool, name, got, w)
			}
		}
	}
	if got := s.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer MaxOpenConnections = %d, want 1", got)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	s, _ := openTemp(t)
	for _, q := range []string{
		"CREATE TABLE parent (id INTEGER PRIMARY KEY)",
		"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))",
	} {
		if _, err := s.write.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.write.Exec("INSERT INTO child (id, parent_id) VALUES (1, 42)"); err == nil {
		t.Error("a row referring to a missing parent was accepted")
	}
}

func TestReadPoolIsReadOnly(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.read.Exec("INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', 'c')"); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i := range 3 {
		s, err := Open(dir)
		if err != nil {
			t.Fatalf("open %d: %v", i+1, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != len(migrations) || v == 0 {
			t.Errorf("open %d: schema version %d, want %d", i+1, v, len(migrations))
		}
		if i == 0 {
			if err := s.SetSetting(ctx, "kept", "yes"); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.Setting(ctx, "kept"); err != nil || got != "yes" {
			t.Errorf("open %d: setting = %q, %v", i+1, got, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(""); err == nil {
		t.Error("empty directory accepted")
	}
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file); err == nil {
		t.Error("a file accepted as data directory")
	}
}

func TestSettings(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.Setting(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing setting: err = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"ett", "två"} {
		if err := s.SetSetting(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Setting(ctx, "k"); err != nil || got != v {
			t.Errorf("Setting = %q, %v, want %q", got, err, v)
		}
	}
}

// TestConcurrentWrites checks the single-writer discipline: many goroutines
// writing at once all succeed, none gets SQLITE_BUSY.
func TestConcurrentWrites(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			if err := s.SetSetting(ctx, fmt.Sprintf("k%d", i%5), fmt.Sprint(i)); err != nil {
				errs <- err
			}
			if _, err := s.Setting(ctx, "k0"); err != nil && !errors.Is(err, ErrNotFound) {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
