package audit

import "time"

// Query picks entries of the log: those whose object contains Object,
// whose actor contains Actor (both ignoring case; empty for any), at or
// after From and before To (zero for no bound); newest first, Limit of
// them (0 for all) after skipping Offset.
type Query struct {
	Object, Actor string
	From, To      time.Time
	Limit, Offset int
}
