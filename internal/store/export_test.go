package store

// Exec runs a statement in the transaction, for tests that check what a
// transaction may do.
func (t *Tx) Exec(query string, args ...any) error {
	_, err := t.exec(query, args...)
	return err
}

// QueryInt runs a query that returns one integer.
func (t *Tx) QueryInt(query string, args ...any) (int64, error) {
	var n int64
	err := t.queryRow(query, args...).Scan(&n)
	return n, err
}
