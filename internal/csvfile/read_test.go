package csvfile

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

type row struct {
	Line   int
	Fields []string
}

func rowsOf(f *File, cols ...string) []row {
	var out []row
	for _, r := range f.Rows() {
		var fs []string
		for _, c := range cols {
			fs = append(fs, r.Get(c))
		}
		out = append(out, row{r.Line, fs})
	}
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		header int
		want   []row
	}{
		{"comma", "kod,befolkning\n01,5\n03,6\n", 1,
			[]row{{2, []string{"01", "5"}}, {3, []string{"03", "6"}}}},
		{"semicolon", "kod;befolkning\n01;5\n03;6\n", 1,
			[]row{{2, []string{"01", "5"}}, {3, []string{"03", "6"}}}},
		{"bom crlf", "\ufeffKOD;Befolkning\r\n01;5\r\n03;6\r\n", 1,
			[]row{{2, []string{"01", "5"}}, {3, []string{"03", "6"}}}},
		{"double bom", "\ufeff\ufeffkod;befolkning\n01;5", 1,
			[]row{{2, []string{"01", "5"}}}},
		{"lone cr", "kod;befolkning\r01;5\r03;6", 1,
			[]row{{2, []string{"01", "5"}}, {3, []string{"03", "6"}}}},
		{"no final newline", "kod,befolkning\n01,5", 1,
			[]row{{2, []string{"01", "5"}}}},
		{"blank and empty rows", "\n\n  kod ; befolkning \n\n01 ; 5\n;;\n  \n\t\n03;\u00a06\u00a0\n;\n", 3,
			[]row{{5, []string{"01", "5"}}, {9, []string{"03", "6"}}}},
		{"quoted fields with newlines crlf", "kod;befolkning\r\n01;\"Stock\r\nholm\"\r\n\"03\";\"Upp;sala\"\r\n", 1,
			[]row{{2, []string{"01", "Stock\nholm"}}, {4, []string{"03", "Upp;sala"}}}},
		{"quoted header", "\"kod\",\"befolkning\"\n01,\"2 437 158\"\n", 1,
			[]row{{2, []string{"01", "2 437 158"}}}},
		{"leading space before quote", "kod; befolkning\n01; \"5\"\n", 1,
			[]row{{2, []string{"01", "5"}}}},
		{"comma inside semicolon file", "kod;befolkning;not, i text\n01;12,5;x\n", 1,
			[]row{{2, []string{"01", "12,5"}}}},
		{"semicolon wins a tie", "kod;befolkning;a,b,c\n01;5,x;z\n", 1,
			[]row{{2, []string{"01", "5,x"}}}},
		{"comma wins by count", "kod,befolkning,a;b\n01,5,c\n", 1,
			[]row{{2, []string{"01", "5"}}}},
		{"delimiter in quoted header", "\"kod;x\",befolkning\n01,5\n", 1,
			[]row{{2, []string{"", "5"}}}},
		{"short and long rows", "kod,befolkning\n01\n03,6,,\n", 1,
			[]row{{2, []string{"01", ""}}, {3, []string{"03", "6"}}}},
		{"excel sep line", "sep=;\r\nkod;befolkning\r\n01;5\r\n", 2,
			[]row{{3, []string{"01", "5"}}}},
		{"header only", "kod,befolkning\n", 1, nil},
		{"extra empty header cells", "kod;befolkning;;;\n01;5;;;\n", 1,
			[]row{{2, []string{"01", "5"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read("x.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if f.HeaderLine != tt.header {
				t.Errorf("HeaderLine = %d, want %d", f.HeaderLine, tt.header)
			}
			if got := rowsOf(f, "Kod", " BEFOLKNING "); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadOneColumn(t *testing.T) {
	f, err := Read("x.csv", strings.NewReader("kod\n01\n1,5\n03;x\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []row{{2, []string{"01"}}, {3, []string{"1,5"}}, {4, []string{"03;x"}}}
	if got := rowsOf(f, "kod"); !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %+v, want %+v", got, want)
	}
	if got := f.Columns(); !reflect.DeepEqual(got, []string{"kod"}) {
		t.Errorf("Columns = %q", got)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{"empty", "", "lan.csv: filen är tom (rubrikraden saknas)", ErrEmptyFile},
		{"only bom", "\ufeff", "lan.csv: filen är tom (rubrikraden saknas)", ErrEmptyFile},
		{"only blank lines", "\r\n  \r\n;;;\r\n", "lan.csv: filen är tom (rubrikraden saknas)", ErrEmptyFile},
		{"nul", "kod,befolkning\n01,5\n03,\x006\n", "lan.csv:3: filen är inte en textfil (den innehåller binära data)", ErrBinary},
		{"control", "\x01\x02\x03", "lan.csv:1: filen är inte en textfil (den innehåller binära data)", ErrBinary},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", `lan.csv:1: filen är en Excel- eller zip-fil, inte CSV (spara den som "CSV UTF-8")`, ErrBinary},
		{"latin-1", "kod,lan\r\n01,Stockholm\r\n04,S\xf6dermanland\r\n", `lan.csv:3: filen är inte UTF-8-kodad text (spara den som "CSV UTF-8")`, ErrEncoding},
		{"utf-16", "\xff\xfek\x00o\x00d\x00", `lan.csv:1: filen är UTF-16-kodad (spara den som "CSV UTF-8")`, ErrEncoding},
		{"decimal comma", "kod,befolkning\n01,5\n03,12,5\n", "lan.csv:3: raden har 3 fält men rubrikraden bara 2; ett tal med decimalkomma (12,5) blir två fält i en kommaseparerad fil", ErrFieldCount},
		{"value without header", "kod;befolkning\r\n01;5;;\r\n03;6;;anteckning\r\n", "lan.csv:3: raden har 4 fält men rubrikraden bara 2; ge den extra kolumnen en rubrik", ErrFieldCount},
		{"bare quote", "kod,lan\n01,Region \"Norr\"\n", `lan.csv:2: ett citattecken (") står fel; ett fält med citattecken ska börja och sluta med " och skriva "" för varje " inuti`, ErrSyntax},
		{"unterminated quote", "kod,lan\n01,\"Norr\n03,x\n", `lan.csv:2: ett fält som börjar med citattecken (") avslutas aldrig; det fortsätter till rad 3`, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("lan.csv", strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.err) {
				t.Errorf("error %#v is not a *Error wrapping %v", err, tt.err)
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	_, err := Read("lan.csv", strings.NewReader("kod\n"+strings.Repeat("1\n", MaxSize)))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
}

func TestRequire(t *testing.T) {
	f, err := Read("lan.csv", strings.NewReader("\nKod;Lan;kod ;x\n01;a;b;c\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cols []string
		want string
	}{
		{[]string{"lan", "X"}, ""},
		{[]string{"lan", "befolkning"}, `lan.csv:2: kolumnen "befolkning" saknas; rubrikraden har: Kod, Lan, kod, x`},
		{[]string{"befolkning", "kommunal_hsv"}, `lan.csv:2: kolumnerna "befolkning", "kommunal_hsv" saknas; rubrikraden har: Kod, Lan, kod, x`},
		{[]string{"kod"}, `lan.csv:2: kolumnen "kod" finns flera gånger`},
	}
	for _, tt := range tests {
		err := f.Require(tt.cols...)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Require(%q)\n got %s\nwant %s", tt.cols, got, tt.want)
		}
	}
	if !errors.Is(f.Require("saknas"), ErrMissingColumn) {
		t.Error("missing column does not wrap ErrMissingColumn")
	}
	if !f.Has("LAN") || f.Has("befolkning") {
		t.Error("Has is wrong")
	}
}

func TestRowNumbers(t *testing.T) {
	f, err := Read("lan.csv", strings.NewReader("kod;befolkning;kommunal_hsv\r\n01;2 437 158;abc\r\n03;-5;12,5\r\n04;;99999999999999999999\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows := f.Rows()
	tests := []struct {
		row  int
		col  string
		via  func(Row, string) (int64, error)
		want string
		n    int64
	}{
		{0, "befolkning", Row.Int, "", 2437158},
		{0, "kommunal_hsv", Row.Int, `lan.csv:2: kommunal_hsv "abc" är inte ett heltal`, 0},
		{1, "befolkning", Row.Int, "", -5},
		{1, "befolkning", Row.Count, `lan.csv:3: befolkning "-5" får inte vara negativt`, 0},
		{1, "kommunal_hsv", Row.Count, `lan.csv:3: kommunal_hsv "12,5" är ett decimaltal; ange ett heltal`, 0},
		{2, "befolkning", Row.Count, `lan.csv:4: befolkning saknar värde`, 0},
		{2, "kommunal_hsv", Row.Count, `lan.csv:4: kommunal_hsv "99999999999999999999" är för stort`, 0},
		{2, "saknas", Row.Int, `lan.csv:4: saknas saknar värde`, 0},
	}
	for _, tt := range tests {
		n, err := tt.via(rows[tt.row], tt.col)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want || n != tt.n {
			t.Errorf("row %d %s: got %d, %q; want %d, %q", tt.row, tt.col, n, got, tt.n, tt.want)
		}
	}
	if f.LastLine() != 4 {
		t.Errorf("LastLine = %d, want 4", f.LastLine())
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "lan.csv", Line: 5, Field: "befolkning", Value: "abc", Msg: "är inte ett heltal"}, `lan.csv:5: befolkning "abc" är inte ett heltal`},
		{Error{File: "lan.csv", Line: 1, Msg: `kolumnen "befolkning" saknas`}, `lan.csv:1: kolumnen "befolkning" saknas`},
		{Error{File: "lan.csv", Field: "befolkning", Msg: "är noll för alla län"}, `lan.csv: befolkning är noll för alla län`},
		{Error{Line: 3, Msg: "fel"}, `:3: fel`},
		{Error{Msg: "fel"}, `fel`},
		{Error{File: "a.csv", Line: 2, Field: "kod", Value: "1\u00a02", Msg: "fel"}, `a.csv:2: kod "1\u00a02" fel`},
		{Error{File: "a.csv", Line: 2, Field: "kod", Value: strings.Repeat("ö", 50), Msg: "fel"}, `a.csv:2: kod "` + strings.Repeat("ö", 40) + `…" fel`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
}
