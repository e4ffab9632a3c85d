package xlsxfile

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"narvard/internal/money"
)

func write(t *testing.T, s *Sheet) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// style returns whether the cell is bold and its custom number format.
func style(t *testing.T, f *excelize.File, cell string) (bool, string) {
	t.Helper()
	id, err := f.GetCellStyle("Blad", cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	format := ""
	if st.CustomNumFmt != nil {
		format = *st.CustomNumFmt
	}
	return st.Font != nil && st.Font.Bold, format
}

func TestSheet(t *testing.T) {
	s := New("Blad")
	defer s.Close()
	s.Header("Kod", "Namn", "Belopp", "Andel")
	s.Row("01", "Stockholm", money.Kr(2437158000), 0.2318)
	s.Row("02", "Uppsala", money.Kr(-5), money.Kr(1<<53+1)) // a float would round it
	s.Total(nil, "Totalt", money.Kr(2437157995), 3)
	s.Skip()
	s.Row("en not")
	s.Group("C", "C")
	s.Width("B", "B", 34)
	s.Title("Prov")
	f := write(t, s)

	rows, err := f.GetRows("Blad", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Kod", "Namn", "Belopp", "Andel"},
		{"01", "Stockholm", "2437158000", "0.2318"},
		{"02", "Uppsala", "-5", "9007199254740993"},
		{"", "Totalt", "2437157995", "3"},
		nil,
		{"en not"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		if len(rows[i]) != len(want[i]) {
			t.Fatalf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
			}
		}
	}
	// Money and counts are numbers, codes are text: "01" keeps its zero.
	for cell, number := range map[string]bool{"A2": false, "C2": true, "C3": true, "D2": true, "D3": true, "C4": true, "D4": true, "B4": false} {
		typ, _ := f.GetCellType("Blad", cell)
		isNumber := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
		if isNumber != number {
			t.Errorf("%s has type %v; want a number: %v", cell, typ, number)
		}
	}
	for cell, want := range map[string]struct {
		bold   bool
		format string
	}{
		"A1": {true, ""}, "D1": {true, ""}, "E1": {false, ""},
		"A2": {false, ""}, "C2": {false, GroupedFormat}, "C3": {false, GroupedFormat}, "D2": {false, ""},
		"B4": {true, GroupedFormat}, "C4": {true, GroupedFormat}, "D4": {true, GroupedFormat},
		"A6": {false, ""},
	} {
		if bold, format := style(t, f, cell); bold != want.bold || format != want.format {
			t.Errorf("%s: bold %v, format %q; want %v, %q", cell, bold, format, want.bold, want.format)
		}
	}
	if p, _ := f.GetPanes("Blad"); !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the header frozen", p)
	}
	if w, _ := f.GetColWidth("Blad", "B"); w != 34 {
		t.Errorf("width of B = %v", w)
	}
	if p, _ := f.GetDocProps(); p.Title != "Prov" || p.Creator != "narvard" {
		t.Errorf("properties = %+v", p)
	}
}

func TestSheetRefusesOtherTypes(t *testing.T) {
	for _, bad := range []any{float32(1.5), uint64(7), []byte("01"), struct{}{}} {
		s := New("Blad")
		s.Row("ok", money.Kr(1))
		s.Row("x", bad)
		s.Row("later")
		var buf bytes.Buffer
		if _, err := s.WriteTo(&buf); err == nil || buf.Len() != 0 {
			t.Errorf("%T: err %v, %d bytes written", bad, err, buf.Len())
		}
		s.Close()
	}
}

func TestColumn(t *testing.T) {
	for n, want := range map[int]string{1: "A", 3: "C", 14: "N", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA"} {
		if got := Column(n); got != want {
			t.Errorf("Column(%d) = %q, want %q", n, got, want)
		}
		if name, _ := excelize.ColumnNumberToName(n); name != want {
			t.Errorf("excelize names column %d %q, want %q", n, name, want)
		}
	}
}
