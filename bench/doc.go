// Package bench compares narvard's follow-up computation with DuckDB on
// the same generated Parquet files. It is a module of its own, so that
// DuckDB (a C++ library linked through cgo) stays out of the product's
// binary and out of the main module's go test ./...
//
//	cd bench && go test -run '^$' -bench Followup -benchtime 1x -timeout 2h
//
// See followup_test.go for the flags.
package bench
