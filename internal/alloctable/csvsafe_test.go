package alloctable

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestCSVTextCellsAreSafe: a code or column id that a spreadsheet would
// take as a formula gets a leading ', a negative amount stays a number.
func TestCSVTextCellsAreSafe(t *testing.T) {
	tab := table(t, "regioner")
	tab.Columns[0].ID = "=HYPERLINK(\"http://x\")"
	tab.Rows[0].Code = "@SUM(A1)"
	tab.Rows[0].Cells[0].Amount = -114364
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][1] != "'=HYPERLINK(\"http://x\")" || recs[1][0] != "'@SUM(A1)" || recs[1][1] != "-114364" {
		t.Errorf("header %q, first row %q", recs[0], recs[1])
	}
}
