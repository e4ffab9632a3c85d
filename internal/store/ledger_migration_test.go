package store_test

import (
	"database/sql"
	"testing"

	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// TestAccountsGetTheirAgreement checks migration 0005 on both back ends: a
// database written when accounts were mottagare:<recipient>:<what> gets
// each posting's account renamed after its transaction's agreement, so two
// agreements' postings to the same recipient part; amounts, other
// accounts and accounts already in the new form stay as they were, and
// running the step again changes nothing.
func TestAccountsGetTheirAgreement(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := store.OpenRaw(t.TempDir(), "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkAccountMigration(t, db, false)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := store.OpenRaw("", storetest.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkAccountMigration(t, db, true)
	})
}

func checkAccountMigration(t *testing.T, db *sql.DB, postgres bool) {
	t.Helper()
	if err := store.MigrateRaw(ctx, db, 4, postgres); err != nil {
		t.Fatal(err)
	}
	txs := []struct {
		id                   int
		kind, agreement, ref string
		fromAcct, toAcct     string
		amount               int64
	}{
		{1, "allocation", "gnv-2023", "nara_vard", "anslag:gnv-2023", "mottagare:region-01:tilldelat", 1000},
		{2, "allocation", "prov-2024", "primarvard", "anslag:prov-2024", "mottagare:region-01:tilldelat", 500},
		{3, "requisition", "gnv-2023", "R-1", "mottagare:region-01:tilldelat", "mottagare:region-01:rekvirerat", 600},
		{4, "payment", "gnv-2023", "R-1", "mottagare:region-01:rekvirerat", "mottagare:region-01:utbetalt", 600},
		{5, "repayment_due", "gnv-2023", "E-1", "mottagare:region-01:utbetalt", "mottagare:region-01:skuld", 100},
		{6, "repayment", "gnv-2023", "A-1", "mottagare:region-01:skuld", "aterbetalt:gnv-2023", 40},
		{7, "requisition", "prov-2024", "R-2", "mottagare:prov-2024:region-01:tilldelat", "mottagare:prov-2024:region-01:rekvirerat", 200},
	}
	for _, x := range txs {
		if _, err := db.Exec("INSERT INTO ledger_tx (id, at, kind, agreement, recipient, ref) VALUES ($1, '2024-01-01T00:00:00Z', $2, $3, 'region-01', $4)",
			x.id, x.kind, x.agreement, x.ref); err != nil {
			t.Fatal(err)
		}
		for line, p := range []struct {
			acct string
			amt  int64
		}{{x.fromAcct, -x.amount}, {x.toAcct, x.amount}} {
			if _, err := db.Exec("INSERT INTO postings (tx_id, line, account, amount_kr) VALUES ($1, $2, $3, $4)", x.id, line+1, p.acct, p.amt); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := store.MigrateRaw(ctx, db, -1, postgres); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"anslag:gnv-2023":                          -1000,
		"anslag:prov-2024":                         -500,
		"mottagare:gnv-2023:region-01:tilldelat":   400,
		"mottagare:gnv-2023:region-01:rekvirerat":  0,
		"mottagare:gnv-2023:region-01:utbetalt":    500,
		"mottagare:gnv-2023:region-01:skuld":       60,
		"aterbetalt:gnv-2023":                      40,
		"mottagare:prov-2024:region-01:tilldelat":  300,
		"mottagare:prov-2024:region-01:rekvirerat": 200,
	}
	check := func(when string) {
		got := map[string]int64{}
		rows, err := db.Query("SELECT account, CAST(SUM(amount_kr) AS BIGINT) FROM postings GROUP BY account")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			var n int64
			if err := rows.Scan(&a, &n); err != nil {
				t.Fatal(err)
			}
			got[a] = n
		}
		if len(got) != len(want) {
			t.Errorf("%s: accounts = %v, want %v", when, got, want)
		}
		for a, n := range want {
			if v, ok := got[a]; !ok || v != n {
				t.Errorf("%s: %s = %d (present %v), want %d", when, a, v, ok, n)
			}
		}
	}
	check("after the migration")
	if _, err := db.Exec(store.MigrationSQL("0005_")); err != nil {
		t.Fatal(err)
	}
	check("run twice")
}
