package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"narvard/internal/audit"
	"narvard/internal/ledger"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// TestConcurrentWriters checks, on SQLite and on a real PostgreSQL, that
// concurrent write transactions are serialised: every ledger transaction
// gets its own id, and the audit chain, written with the real clock's
// nanoseconds, stays intact.
func TestConcurrentWriters(t *testing.T) {
	storetest.Each(t, concurrentWriters)
}

func concurrentWriters(t *testing.T, s *store.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Update(ctx, func(tx *store.Tx) error {
				if _, err := tx.Post(ledger.Move(ledger.KindAllocation, "g", "r", fmt.Sprint(i), time.Now(), "a", "b", 10)); err != nil {
					return err
				}
				_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "test", Org: "x", Action: "test", Object: fmt.Sprint(i), Detail: "{}"})
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	err := s.View(ctx, func(tx *store.Tx) error {
		txs, err := tx.LedgerTxs()
		if err != nil {
			return err
		}
		if len(txs) != 40 {
			t.Errorf("ledger transactions = %d, want 40", len(txs))
		}
		bal, err := tx.Balances("")
		if err != nil {
			return err
		}
		if bal["a"] != -400 || bal["b"] != 400 {
			t.Errorf("balances = %v", bal)
		}
		n, brk, err := tx.VerifyAudit()
		if n != 40 || brk != nil {
			t.Errorf("audit: %d entries, break %v", n, brk)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
