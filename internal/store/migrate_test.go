package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestEmbeddedMigrations(t *testing.T) {
	list, err := loadMigrations(migrationFiles, "migrations", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 || list[0].Name != "0001_settings.sql" {
		t.Errorf("embedded migrations = %v", list)
	}
}

func TestLoadMigrationsNames(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		ok    bool
	}{
		{"in order", []string{"0001_a.sql", "0002_b.sql"}, true},
		{"gap", []string{"0001_a.sql", "0003_b.sql"}, false},
		{"not from one", []string{"0002_a.sql"}, false},
		{"no number", []string{"a.sql"}, false},
		{"short number", []string{"1_a.sql"}, false},
		{"pair", []string{"0001_a.sql", "0002_b.postgres.sql", "0002_b.sqlite.sql"}, true},
		{"half a pair", []string{"0001_a.sql", "0002_b.sqlite.sql"}, false},
		{"pair and portable", []string{"0001_a.postgres.sql", "0001_a.sql", "0001_a.sqlite.sql"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			_, err := loadMigrations(fsys, "m", false)
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// rawDB opens a SQLite file with the writer's settings but without
// migrations, for testing migrate on its own.
func rawDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openPool(filepath.Join(t.TempDir(), "test.db"), false, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func version(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

var (
	mA   = migration{"0001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);"}
	mB   = migration{"0002_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO b (id) VALUES (1);"}
	mC   = migration{"0003_c.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);"}
	mBad = migration{"0002_bad.sql", "CREATE TABLE b2 (id INTEGER PRIMARY KEY); THIS IS NOT SQL;"}
)

func TestMigrateStepByStep(t *testing.T) {
	db := rawDB(t)
	ctx := context.Background()
	if err := migrate(ctx, db, []migration{mA, mB}, false); err != nil {
		t.Fatal(err)
	}
	if v := version(t, db); v != 2 {
		t.Errorf("version = %d, want 2", v)
	}
	// Again: nothing to do, and the insert in mB is not repeated.
	if err := migrate(ctx, db, []migration{mA, mB}, false); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := db.QueryRow("SELECT COUNT(*) FROM b").Scan(&rows); err != nil || rows != 1 {
		t.Errorf("b has %d rows (%v), want 1", rows, err)
	}
	if err := migrate(ctx, db, []migration{mA, mB, mC}, false); err != nil {
		t.Fatal(err)
	}
	if v := version(t, db); v != 3 || !tableExists(t, db, "c") {
		t.Errorf("version = %d, want 3 with table c", v)
	}
}

func TestMigrateIsAtomic(t *testing.T) {
	db := rawDB(t)
	err := migrate(context.Background(), db, []migration{mA, mBad}, false)
	if err == nil {
		t.Fatal("a broken migration was accepted")
	}
	if tableExists(t, db, "a") || tableExists(t, db, "b2") {
		t.Error("a failed migration left tables behind")
	}
}

func TestMigrateRefuses(t *testing.T) {
	db := rawDB(t)
	ctx := context.Background()
	if err := migrate(ctx, db, []migration{mA, mB}, false); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, []migration{mA}, false); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("older binary: err = %v, want ErrSchemaTooNew", err)
	}
	renamed := migration{"0002_other.sql", mB.SQL}
	if err := migrate(ctx, db, []migration{mA, renamed}, false); err == nil {
		t.Error("a renamed migration was accepted")
	}
}
