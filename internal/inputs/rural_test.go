package inputs

import (
	"reflect"
	"strconv"
	"testing"

	"narvard/internal/alloc"
)

// countsWant is what testdata/landsbygd/counts.csv holds.
func countsWant(t *testing.T) []alloc.Rural {
	var out []alloc.Rural
	for _, c := range gnv(t).Counties {
		k, _ := strconv.ParseInt(c.Code, 10, 64)
		out = append(out, alloc.Rural{Code: c.Code, Counts: true,
			Tatortsnara: 100000 + k*1111, Glesa: 20000 + k*333, MycketGlesa: 5000 + k*77})
	}
	return out
}

func TestReadRural(t *testing.T) {
	a := gnv(t)
	tests := []struct {
		file string
		want []alloc.Rural
	}{
		{"belopp.csv", alloc.FromAgreement(a).Rural},
		{"counts.csv", countsWant(t)}, // semicolon, BOM, CRLF, no-break spaces
		{"both.csv", countsWant(t)},   // the counts win
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ReadRural("landsbygd.csv", open(t, "testdata/landsbygd/"+tt.file), a)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadRuralErrors(t *testing.T) {
	a := gnv(t)
	tests := []struct{ file, want string }{
		{"not-number.csv", `landsbygd.csv:9: belopp "7 500 000 kr" är inte ett heltal`},
		{"negative.csv", `landsbygd.csv:12: mycket_glesa "-5" får inte vara negativt`},
		{"duplicate.csv", `landsbygd.csv:23: kod "01" finns redan på rad 2`},
		{"unknown.csv", `landsbygd.csv:23: kod "11" är inte ett län i gnv-2023`},
		{"missing.csv", `landsbygd.csv:21: rader saknas för regioner: 01 (alla 21 län i gnv-2023 ska finnas med)`},
		{"neither.csv", `landsbygd.csv:1: kolumnen "belopp" saknas (eller kolumnerna "tatortsnara", "glesa" och "mycket_glesa"); rubrikraden har: kod, summa`},
		{"partial-counts.csv", `landsbygd.csv:1: kolumnen "mycket_glesa" saknas; rubrikraden har: kod, tatortsnara, glesa`},
		{"zero-belopp.csv", `landsbygd.csv: belopp är noll för alla regioner`},
		{"zero-counts.csv", `landsbygd.csv: de viktade landsbygdsinvånarna är noll för alla regioner`},
		{"empty.csv", `landsbygd.csv: filen är tom (rubrikraden saknas)`},
		{"binary.csv", `landsbygd.csv:2: filen är inte en textfil (den innehåller binära data)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ReadRural("landsbygd.csv", open(t, "testdata/landsbygd/"+tt.file), a)
			checkErr(t, err, tt.want)
			if got != nil {
				t.Errorf("got %v with an error", got)
			}
		})
	}
}
