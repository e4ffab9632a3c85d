// Package replay is the stored answer to a POST that carried an
// Idempotency-Key: a client that retries the request gets the first answer
// again instead of doing the work twice.
package replay

// Answer is the first answer to a POST with an Idempotency-Key.
type Answer struct {
	Method string
	Path   string
	Status int
	Body   []byte
}
