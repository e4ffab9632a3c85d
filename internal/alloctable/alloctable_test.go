package alloctable

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
)

func table(t *testing.T, name agreement.TableID) *alloc.Table {
	t.Helper()
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := alloc.Build(a, alloc.FromAgreement(a), name)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestCSVMatchesIndependentImplementation compares the CSV of each table
// with the golden files made by testdata/independent.py, a separate
// implementation of the rule in another language.
func TestCSVMatchesIndependentImplementation(t *testing.T) {
	for _, name := range []agreement.TableID{agreement.TableRegioner, agreement.TableKommuner, agreement.TableLandsbygd} {
		t.Run(string(name), func(t *testing.T) {
			want, err := os.ReadFile("testdata/gnv-2023-" + string(name) + ".csv")
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteCSV(&got, table(t, name)); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("csv differs from golden\n got:\n%s\nwant:\n%s", got.String(), want)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	tab := table(t, agreement.TableRegioner)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), ".") && strings.Contains(buf.String(), "e+") {
		t.Error("amounts written as floats")
	}
	var got struct {
		Rows []map[string]any `json:"rows"`
		Sums map[string]int64 `json:"summa"`
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 21 || got.Sums["totalt"] != 5043000000 || got.Sums["nara_vard"] != 2389000000 {
		t.Errorf("rows %d, sums %v", len(got.Rows), got.Sums)
	}
	if got.Rows[0]["namn"] != "Region Stockholm" || got.Rows[0]["nara_vard"].(json.Number).String() != "491697353" {
		t.Errorf("first row = %v", got.Rows[0])
	}
}

func TestText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, table(t, agreement.TableRegioner)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Region Stockholm", "491 697 353", "Totalt", "2 389 000 000", "5 043 000 000"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestXLSXHasNumericCellsAndSumRow(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, table(t, agreement.TableKommuner)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("kommuner", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 23 || rows[0][0] != "Kod" || rows[22][1] != "Totalt" {
		t.Fatalf("rows = %d, first %v, last %v", len(rows), rows[0], rows[len(rows)-1])
	}
	if rows[1][0] != "01" || rows[1][2] != "109093090" {
		t.Errorf("first data row = %v", rows[1])
	}
	if rows[22][2] != "750000000" || rows[22][5] != "1050000000" {
		t.Errorf("sum row = %v", rows[22])
	}
	for _, cell := range []string{"C2", "F23"} {
		typ, err := f.GetCellType("kommuner", cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s type = %v, want number", cell, typ)
		}
	}
	if typ, _ := f.GetCellType("kommuner", "A2"); typ == excelize.CellTypeNumber {
		t.Error("code written as a number; its leading zero would be lost")
	}
}

func TestExplain(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteExplain(&buf, table(t, agreement.TableRegioner), "25"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Region Norrbotten (kod 25)", "befolkning 249 285 av 10 514 719",
		"andel: 249285/10514719", "golv:", "restens rang:", "landsbygdsnyckelns utfall 15 256 445 av 299 999 998",
		"grundbelopp 500 000 kr", "Totalt: 128 206 538 kr"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if err := WriteExplain(&buf, table(t, agreement.TableRegioner), "99"); err == nil {
		t.Error("unknown code explained")
	}
}
