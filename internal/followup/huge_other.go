//go:build !linux

package followup

// hugePages does nothing where transparent huge pages are not known.
func hugePages[T any](s []T) {}
