package inputs

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
)

func TestReadDir(t *testing.T) {
	a := gnv(t)
	own := alloc.FromAgreement(a)
	sthlm := slices.Clone(own.Counties)
	sthlm[0].Region = "Region Sthlm"
	tests := []struct {
		dir   string
		table agreement.TableID
		want  alloc.Inputs
	}{
		{"full", agreement.TableRegioner, alloc.Inputs{Counties: own.Counties, Rural: countsWant(t)}},
		{"full", agreement.TableKommuner, alloc.Inputs{Counties: own.Counties, Rural: own.Rural}},
		{"full", agreement.TableLandsbygd, alloc.Inputs{Counties: own.Counties, Rural: countsWant(t)}},
		{"full", agreement.TableVFU, alloc.Inputs{Counties: own.Counties, Rural: own.Rural, VFU: vfuWant}},
		// LAN.CSV: found despite the case; landsbygd.csv falls back to the agreement.
		{"only-lan", agreement.TableRegioner, alloc.Inputs{Counties: sthlm, Rural: own.Rural}},
		{"only-lan", agreement.TableLandsbygd, own},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+string(tt.table), func(t *testing.T) {
			got, err := ReadDir(filepath.Join("testdata", "dirs", tt.dir), a, tt.table)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if _, err := alloc.Build(a, got, tt.table); err != nil {
				t.Errorf("Build: %v", err)
			}
		})
	}
}

func TestReadDirErrors(t *testing.T) {
	a := gnv(t)
	lan := `lan.csv:5: befolkning "abc" är inte ett heltal`
	rural := `landsbygd.csv:21: rader saknas för regioner: 01 (alla 21 län i gnv-2023 ska finnas med)`
	vfu := `vfu.csv: ingen rapporterar någon ökning av VFU-veckor`
	dir := func(name string) string { return filepath.Join("testdata", "dirs", name) }
	tests := []struct {
		dir   string
		table agreement.TableID
		want  string
	}{
		{dir("bad"), agreement.TableRegioner, lan + "\n" + rural},
		{dir("bad"), agreement.TableKommuner, lan},
		{dir("bad"), agreement.TableLandsbygd, rural},
		{dir("bad"), agreement.TableVFU, lan + "\n" + vfu},
		{dir("only-lan"), agreement.TableVFU, "vfu.csv: filen saknas i " + dir("only-lan")},
		{dir("nope"), agreement.TableRegioner, dir("nope") + ": mappen finns inte"},
		{"testdata/lan/comma.csv", agreement.TableRegioner, "testdata/lan/comma.csv: är ingen mapp"},
		{dir("full"), "lan", `okänd tabell "lan" (välj [regioner kommuner landsbygd vfu])`},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+string(tt.table), func(t *testing.T) {
			got, err := ReadDir(tt.dir, a, tt.table)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error\n got: %v\nwant: %s", err, tt.want)
			}
			if !reflect.DeepEqual(got, alloc.Inputs{}) {
				t.Errorf("got %+v with an error", got)
			}
		})
	}
}

func TestReadDirAmbiguousName(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"Vfu.csv", "VFU.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("kod,veckor_vt2022,veckor_vt2023\n01,1,2\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Skip("file names are not case-sensitive here")
	}
	_, err := ReadDir(dir, gnv(t), agreement.TableVFU)
	if err == nil || !strings.Contains(err.Error(), "vfu.csv: flera filer heter så") {
		t.Errorf("error = %v", err)
	}
}
