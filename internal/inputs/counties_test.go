package inputs

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"narvard/internal/alloc"
)

func TestReadCounties(t *testing.T) {
	a := gnv(t)
	own := alloc.FromAgreement(a).Counties
	sthlm := slices.Clone(own)
	sthlm[0].Region = "Region Sthlm"
	tests := []struct {
		file string
		want []alloc.County
	}{
		{"comma.csv", own},
		{"semicolon-bom-crlf.csv", own},
		{"excel.csv", sthlm}, // sep= line, reordered columns, 1-digit codes, empty names, blank rows
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ReadCounties("lan.csv", open(t, "testdata/lan/"+tt.file), a)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadCountiesErrors(t *testing.T) {
	a := gnv(t)
	const utf8Hint = `(spara den som "CSV UTF-8")`
	const all = "(alla 21 län i gnv-2023 ska finnas med)"
	tests := []struct{ file, want string }{
		{"not-number.csv", `lan.csv:5: befolkning "abc" är inte ett heltal`},
		{"bad-groups.csv", `lan.csv:4: befolkning "30 2473" är inte ett heltal`},
		{"decimal.csv", `lan.csv:3: kommunal_hsv "16150,5" är ett decimaltal; ange ett heltal`},
		{"decimal-dot.csv", `lan.csv:3: kommunal_hsv "16150.5" är ett decimaltal; ange ett heltal`},
		{"decimal-comma.csv", `lan.csv:3: raden har 6 fält men rubrikraden bara 5; ett tal med decimalkomma (12,5) blir två fält i en kommaseparerad fil`},
		{"too-large.csv", `lan.csv:6: kommunal_hsv "9223372036854775808" är för stort`},
		{"negative.csv", `lan.csv:3: befolkning "−400 070" får inte vara negativt`},
		{"duplicate.csv", `lan.csv:23: kod "3" (03) finns redan på rad 3`},
		{"unknown.csv", `lan.csv:23: kod "02" är inte ett län i gnv-2023`},
		{"bad-code.csv", `lan.csv:2: kod "011" är ingen länskod (två siffror, t.ex. 01)` + "\n" +
			`lan.csv:22: rader saknas för län: 01 ` + all},
		{"missing.csv", `lan.csv:20: rader saknas för län: 23, 25 ` + all},
		{"header-only.csv", `lan.csv:1: rader saknas för län: 01, 03, 04, 05, 06, 07, 08, 09, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25 ` + all},
		{"missing-column.csv", `lan.csv:1: kolumnen "kommunal_hsv" saknas; rubrikraden har: kod, lan, region, befolkning`},
		{"empty.csv", `lan.csv: filen är tom (rubrikraden saknas)`},
		{"binary.csv", `lan.csv:1: filen är inte en textfil (den innehåller binära data)`},
		{"xlsx.csv", `lan.csv:1: filen är en Excel- eller zip-fil, inte CSV ` + utf8Hint},
		{"latin1.csv", `lan.csv:2: filen är inte UTF-8-kodad text ` + utf8Hint},
		{"broken-quote.csv", `lan.csv:8: ett fält som börjar med citattecken (") avslutas aldrig; det fortsätter till rad 22`},
		{"zero-population.csv", `lan.csv: befolkning är noll för alla län`},
		{"zero-hsv.csv", `lan.csv: kommunal_hsv är noll för alla län`},
		{"overflow.csv", `lan.csv: summan av befolkning är för stor`},
		{"many.csv", strings.Join([]string{
			`lan.csv:4: befolkning saknar värde`,
			`lan.csv:7: kommunal_hsv "12.5" är ett decimaltal; ange ett heltal`,
			`lan.csv:10: befolkning "-1" får inte vara negativt`,
			`lan.csv:11: kod "12x" är ingen länskod (två siffror, t.ex. 01)`,
			`lan.csv:22: rader saknas för län: 12 ` + all,
		}, "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ReadCounties("lan.csv", open(t, "testdata/lan/"+tt.file), a)
			checkErr(t, err, tt.want)
			if got != nil {
				t.Errorf("got %v with an error", got)
			}
		})
	}
}

// TestCountiesRoundTrip writes the agreement's own figures the way a
// Swedish spreadsheet saves them and reads them back.
func TestCountiesRoundTrip(t *testing.T) {
	a := gnv(t)
	seps := []string{" ", "\u00a0", "\u202f", "\u2009"}
	var b strings.Builder
	b.WriteString("\ufeffKod;Län;Region;Befolkning;Kommunal_HSV\r\n")
	for i, c := range a.Counties {
		fmt.Fprintf(&b, "%s;%s;\"%s\";%s;%s\r\n", strings.TrimLeft(c.Code, "0"), c.Lan, c.Region,
			group(c.Befolkning, seps[i%4]), group(c.KommunalHSV, seps[(i+1)%4]))
	}
	got, err := ReadCounties("lan.csv", strings.NewReader(b.String()), a)
	if err != nil {
		t.Fatal(err)
	}
	if want := alloc.FromAgreement(a).Counties; !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// group writes n with sep between groups of three digits.
func group(n int64, sep string) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

func TestTooManyProblems(t *testing.T) {
	a := gnv(t)
	var b strings.Builder
	b.WriteString("kod,befolkning,kommunal_hsv\n")
	for _, c := range a.Counties {
		fmt.Fprintf(&b, "%s,x,1\n", c.Code)
	}
	_, err := ReadCounties("lan.csv", strings.NewReader(b.String()), a)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxProblems+1 || lines[maxProblems] != "lan.csv: … och 1 fel till" {
		t.Errorf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}
