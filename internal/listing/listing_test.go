package listing

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"narvard/internal/money"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		name   string
		f      Filter
		status string
		texts  []string
		want   bool
	}{
		{"empty keeps all", Filter{}, "draft", []string{"region-25"}, true},
		{"status kept", Filter{Status: "submitted"}, "submitted", nil, true},
		{"status refused", Filter{Status: "submitted"}, "draft", nil, false},
		{"none is a status", Filter{Status: None}, None, nil, true},
		{"name part, any case", Filter{Query: "  jämtland  "}, "draft", []string{"region-23", "Region Jämtland Härjedalen"}, true},
		{"upper case query", Filter{Query: "JÄMTLAND"}, "draft", []string{"Region Jämtland Härjedalen"}, true},
		{"spaces made one", Filter{Query: "region   jämtland"}, "draft", []string{"Region Jämtland"}, true},
		{"id", Filter{Query: "rek-12"}, "draft", []string{"Region X", "rek-12"}, true},
		{"text missing", Filter{Query: "norrbotten"}, "draft", []string{"Region Jämtland"}, false},
		{"both must hold", Filter{Status: "draft", Query: "norr"}, "submitted", []string{"Norrbotten"}, false},
	} {
		if got := c.f.Match(c.status, c.texts...); got != c.want {
			t.Errorf("%s: Match = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestKeep(t *testing.T) {
	type item struct{ st, name string }
	items := []item{{"a", "Uppsala"}, {"b", "Umeå"}, {"a", "Luleå"}}
	key := func(i item) (string, []string) { return i.st, []string{i.name} }
	got := Keep(Filter{Status: "a"}, items, key)
	if !slices.Equal(got, []item{{"a", "Uppsala"}, {"a", "Luleå"}}) {
		t.Errorf("status a: %v", got)
	}
	if got := Keep(Filter{Query: "u"}, items, key); len(got) != 3 {
		t.Errorf("query u: %v", got)
	}
	if got := Keep(Filter{Query: "x"}, items, key); len(got) != 0 {
		t.Errorf("query x: %v", got)
	}
	if Keep(Filter{}, items, key)[1] != items[1] {
		t.Error("the empty filter changed the list")
	}
}

func TestColumn(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := column(i); got != want {
			t.Errorf("column(%d) = %s, want %s", i, got, want)
		}
	}
}

func TestTableXLSX(t *testing.T) {
	tb := Table{Sheet: "Rekvisitioner", Title: "Rekvisitioner", Headers: []string{"Id", "Mottagare", "Belopp", "Datum"}}
	tb.Add("rek-1", "Region Uppsala", money.Kr(1_103_067_686), "2023-12-01")
	b, err := tb.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Rekvisitioner")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][2] != "Belopp" || rows[1][1] != "Region Uppsala" || rows[1][3] != "2023-12-01" {
		t.Fatalf("rows: %q", rows)
	}
	typ, err := f.GetCellType("Rekvisitioner", "C2")
	if err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("C2 type %v (%v), want a number", typ, err)
	}
	raw, _ := f.GetCellValue("Rekvisitioner", "C2", excelize.Options{RawCellValue: true})
	if raw != "1103067686" {
		t.Errorf("C2 = %q, want the integer 1103067686", raw)
	}
}
