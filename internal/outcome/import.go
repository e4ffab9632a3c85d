package outcome

import "time"

// The formats an import comes in.
const (
	FormatSIE = "sie"
	FormatCSV = "csv"
)

// Import is one file of the recipient's books brought to the product:
// its cost lines on the plan's cost objects at the time. The newest
// import is the outcome (an export is the books as they stand, the year
// so far); the same file again (same content, so the same #GEN) adds
// nothing.
type Import struct {
	ID         string
	Agreement  string
	Recipient  string
	Seq        int // 1 for the recipient's first import under the agreement
	FileName   string
	Format     string
	Digest     string // SHA-256 of the file's bytes, hex
	Generated  string // the SIE file's #GEN date, YYYY-MM-DD; "" for CSV
	Entries    []Entry
	ImportedBy string
	ImportedAt time.Time
}
