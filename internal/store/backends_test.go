package store_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/audit"
	"narvard/internal/auth"
	"narvard/internal/org"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

var ctx = context.Background()

func seedOrg(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.SeedOrganisations([]org.Organisation{{ID: "region-25", Kind: "region", Name: "Region Norrbotten"}}, time.Now()); err != nil {
			return err
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "system", Org: "narvard", Action: "organisation.seed", Object: "organisation:region-25"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDuplicateIsErrDuplicate checks that a unique violation is mapped to
// ErrDuplicate on both back ends, that the failed transaction is rolled
// back whole, and that the store goes on working after it.
func TestDuplicateIsErrDuplicate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seedOrg(t, s)
		add := func(email, setting string) error {
			return s.Update(ctx, func(tx *store.Tx) error {
				if err := tx.SetSetting(setting, "x", time.Now()); err != nil {
					return err
				}
				if err := tx.InsertUser(&auth.User{Email: email, Name: "A", Org: "region-25", Role: "payer", PasswordHash: "h"}); err != nil {
					return err
				}
				_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "system", Org: "narvard", Action: "user.add", Object: "user:" + email})
				return err
			})
		}
		if err := add("a@nll.se", "first"); err != nil {
			t.Fatal(err)
		}
		if err := add("A@NLL.se", "second"); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second user with the same e-mail: err = %v, want ErrDuplicate", err)
		}
		if _, err := s.Setting(ctx, "second"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failed transaction's first write was kept: %v", err)
		}
		if err := add("b@nll.se", "third"); err != nil {
			t.Errorf("a write after the duplicate: %v", err)
		}
		// A primary key is a uniqueness rule too.
		err := s.Update(ctx, func(tx *store.Tx) error {
			return tx.Exec("INSERT INTO settings (key, value, updated_at) VALUES ('first', 'y', 'y')")
		})
		if err == nil {
			t.Error("a second row with the same primary key was accepted")
		}
	})
}

// TestViewIsReadOnly checks that a write inside View is refused on both
// back ends.
func TestViewIsReadOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		err := s.View(ctx, func(tx *store.Tx) error {
			return tx.Exec("INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', 'c')")
		})
		if err == nil {
			t.Error("View accepted a write")
		}
		if _, err := s.Setting(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the write in View was kept: %v", err)
		}
	})
}

// TestViewIsASnapshot checks that View's queries all see the database as
// it was when the first one ran, even when a write commits in between
// (PostgreSQL's default READ COMMITTED would show the new row).
func TestViewIsASnapshot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		count := func(tx *store.Tx) int64 {
			n, err := tx.QueryInt("SELECT COUNT(*) FROM settings")
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := s.View(ctx, func(tx *store.Tx) error {
			before := count(tx)
			if err := s.SetSetting(ctx, "new", "1"); err != nil {
				return err
			}
			if after := count(tx); after != before {
				t.Errorf("View saw %d rows, then %d after a commit", before, after)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Setting(ctx, "new"); err != nil {
			t.Errorf("the write is not there after View: %v", err)
		}
	})
}

// TestSchemaVersion checks that both back ends reach the same schema.
func TestSchemaVersion(t *testing.T) {
	var versions sync.Map
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v, err := s.SchemaVersion(ctx)
		if err != nil || v == 0 {
			t.Fatalf("schema version %d, %v", v, err)
		}
		versions.Store(t.Name(), v)
		if err := s.Ping(ctx); err != nil {
			t.Error(err)
		}
	})
	var seen []int
	versions.Range(func(_, v any) bool { seen = append(seen, v.(int)); return true })
	if len(seen) == 2 && seen[0] != seen[1] {
		t.Errorf("schema versions differ: %v", seen)
	}
}

// TestPostgresReopenAndConcurrentOpen opens one PostgreSQL database from
// several stores at once, as several servers starting together would:
// the writer lock makes them migrate one after the other, and what one
// writes the others read.
func TestPostgresReopenAndConcurrentOpen(t *testing.T) {
	u := storetest.PostgresURL(t)
	stores := make([]*store.Store, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = store.OpenPostgres(ctx, u) })
	}
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			defer s.Close()
		}
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i+1, err)
		}
	}
	if err := stores[0].SetSetting(ctx, "kept", "yes"); err != nil {
		t.Fatal(err)
	}
	for i, s := range stores {
		if got, err := s.Setting(ctx, "kept"); err != nil || got != "yes" {
			t.Errorf("store %d: setting = %q, %v", i+1, got, err)
		}
		if !s.Postgres() {
			t.Errorf("store %d: Postgres() = false", i+1)
		}
	}
	parsed, _ := url.Parse(u)
	if pw, ok := parsed.User.Password(); ok && strings.Contains(stores[0].Path(), pw) {
		t.Errorf("Path() shows the password: %q", stores[0].Path())
	}
}

// TestPostgresErrorsHidePassword checks that a failed connection names
// the server but not the password.
func TestPostgresErrorsHidePassword(t *testing.T) {
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "hemligt-lösenord-1")
	for _, bad := range []string{
		u.String(), // the right server, a wrong password
		"postgres://nobody:hemligt-lösenord-1@127.0.0.1:1/x?sslmode=disable&connect_timeout=2",
		"postgres://127.0.0.1:1/x?password=hemligt-lösenord-1&sslmode=disable&connect_timeout=2",
		"postgres://x:hemligt-lösenord-1@[::1/",
		"host=127.0.0.1 port=1 password=hemligt-lösenord-1 connect_timeout=2",
	} {
		_, err := store.OpenPostgres(ctx, bad)
		if err == nil {
			t.Errorf("OpenPostgres accepted a bad address")
			continue
		}
		if strings.Contains(err.Error(), "hemligt") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}
