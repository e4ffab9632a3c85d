package inputs

import (
	"reflect"
	"strings"
	"testing"

	"narvard/internal/alloc"
)

// vfuWant is what testdata/vfu/ok.csv holds, sorted by code.
var vfuWant = []alloc.VFUReport{
	{Code: "01", WeeksBase: 1200, WeeksCurrent: 1250},
	{Code: "0114", WeeksBase: 10, WeeksCurrent: 13},
	{Code: "0180", WeeksBase: 300, WeeksCurrent: 290},
	{Code: "09", WeeksBase: 5, WeeksCurrent: 5},
	{Code: "0980", WeeksBase: 2, WeeksCurrent: 4},
	{Code: "12", WeeksBase: 300, WeeksCurrent: 377},
	{Code: "1280", WeeksBase: 0, WeeksCurrent: 1},
}

func TestReadVFU(t *testing.T) {
	got, err := ReadVFU("vfu.csv", open(t, "testdata/vfu/ok.csv"), gnv(t))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, vfuWant) {
		t.Errorf("got  %+v\nwant %+v", got, vfuWant)
	}
}

func TestReadVFUErrors(t *testing.T) {
	a := gnv(t)
	tests := []struct{ file, want string }{
		{"decimal.csv", strings.Join([]string{
			`vfu.csv:3: veckor_vt2022 "12,5" är inte ett helt antal veckor`,
			`vfu.csv:4: veckor_vt2022 "12,5" är inte ett helt antal veckor`,
			`vfu.csv:5: veckor_vt2022 "12.5" är inte ett helt antal veckor`,
		}, "\n")},
		{"decimal-comma.csv", `vfu.csv:3: raden har 4 fält men rubrikraden bara 3; ett tal med decimalkomma (12,5) blir två fält i en kommaseparerad fil`},
		{"negative.csv", `vfu.csv:3: veckor_vt2022 "-2" får inte vara negativt`},
		{"duplicate.csv", `vfu.csv:4: kod "1" (01) finns redan på rad 2` + "\n" + `vfu.csv:5: kod "114" (0114) finns redan på rad 3`},
		{"unknown.csv", strings.Join([]string{
			`vfu.csv:3: kod "02" är inte ett län i gnv-2023`,
			`vfu.csv:4: kod "0199" är ingen kommunkod`,
			`vfu.csv:5: kod "12345" är varken en länskod (två siffror) eller en kommunkod (fyra siffror)`,
			`vfu.csv:6: kod "A1" är varken en länskod (två siffror) eller en kommunkod (fyra siffror)`,
			`vfu.csv:7: kod saknar värde`,
		}, "\n")},
		{"no-increase.csv", `vfu.csv: ingen rapporterar någon ökning av VFU-veckor`},
		{"header-only.csv", `vfu.csv: ingen rapporterar någon ökning av VFU-veckor`},
		{"missing-column.csv", `vfu.csv:1: kolumnen "veckor_vt2023" saknas; rubrikraden har: kod, veckor_vt2022, veckor_vt2024`},
		{"empty.csv", `vfu.csv: filen är tom (rubrikraden saknas)`},
		{"binary.csv", `vfu.csv:1: filen är inte en textfil (den innehåller binära data)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ReadVFU("vfu.csv", open(t, "testdata/vfu/"+tt.file), a)
			checkErr(t, err, tt.want)
			if got != nil {
				t.Errorf("got %v with an error", got)
			}
		})
	}
}

// TestReadVFUColumnsFollowTheAgreement reads the weeks from the columns the
// agreement's periods name, not from a year written in Go.
func TestReadVFUColumnsFollowTheAgreement(t *testing.T) {
	a := *gnv(t)
	a.VFU.BasePeriod, a.VFU.CurrentPeriod = "ht2030", "vt2031"
	got, err := ReadVFU("vfu.csv", strings.NewReader("kod,veckor_ht2030,veckor_vt2031\n01,10,12\n"), &a)
	if err != nil {
		t.Fatal(err)
	}
	if want := []alloc.VFUReport{{Code: "01", WeeksBase: 10, WeeksCurrent: 12}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	_, err = ReadVFU("vfu.csv", open(t, "testdata/vfu/ok.csv"), &a)
	if err == nil || !strings.Contains(err.Error(), "veckor_ht2030") {
		t.Errorf("the old columns were accepted: %v", err)
	}
}
