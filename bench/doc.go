// Package bench compares narvard's follow-up computation with DuckDB on
// the same generated files, as Parquet (parquet-go's and DuckDB's) and as
// CSV (gen's and Excel's). It is a module of its own, so that DuckDB (a
// C++ library linked through cgo) stays out of the product's binary and
// out of the main module's go test ./...
//
//	cd bench && go test -run '^$' -bench 'Followup$' -benchtime 3x -timeout 3h
//	cd bench && go test -run '^$' -bench FollowupYears -benchtime 1x -timeout 3h
//
// followup_test.go has the flags, child_test.go the engines' processes,
// columns_test.go what both compute, writers_test.go the file forms; the
// method and figures are in docs/followup-performance.md.
package bench
