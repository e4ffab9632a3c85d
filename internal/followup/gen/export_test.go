package gen

// SetRowGroupRows lowers the Parquet row group size for a test and returns
// a function that restores it.
func SetRowGroupRows(n int64) (restore func()) {
	old := rowGroupRows
	rowGroupRows = n
	return func() { rowGroupRows = old }
}
