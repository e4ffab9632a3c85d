package app

import (
	"os"
	"testing"

	"narvard/internal/store/storetest"
)

// TestMain runs the package's tests on SQLite and, when PostgreSQL is
// available (NARVARD_TEST_POSTGRES), once more on PostgreSQL: the test
// helpers open their store with storetest.Open.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
