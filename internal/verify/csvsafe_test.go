package verify

import (
	"bytes"
	"testing"
)

// TestCSVTextCellsAreSafe: text cells that a spreadsheet would take as a
// formula get a leading ', a negative difference stays a number.
func TestCSVTextCellsAreSafe(t *testing.T) {
	var buf bytes.Buffer
	err := WriteCSV(&buf, []Finding{{Table: "+bilaga", Code: "-01", Component: "=1+1", Published: 1, Computed: 114365, Diff: -114364}})
	if err != nil {
		t.Fatal(err)
	}
	want := "tabell,kod,komponent,publicerat,beraknat,differens\n'+bilaga,'-01,'=1+1,1,114365,-114364\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
