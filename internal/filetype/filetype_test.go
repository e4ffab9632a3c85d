package filetype

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"narvard/internal/document"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/xlsxfile"
)

// zipOf builds a ZIP container with the named entries, the first one
// stored (as ODS wants its mimetype).
func zipOf(t testing.TB, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i, e := range entries {
		method := zip.Deflate
		if i == 0 {
			method = zip.Store
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: e[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func realXLSX(t testing.TB) []byte {
	s := xlsxfile.New("Underlag")
	s.Header("Konto", "Belopp")
	s.Row("Personal", 1000)
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func realPDF(t testing.TB) []byte {
	var buf bytes.Buffer
	err := document.DebtPDF(&buf, document.DebtDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023",
		Debt:      grant.Debt{ID: "S-1", OCR: "10000180", Kind: grant.DebtRepayment, Amount: 1000, DueOn: time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)},
		Generated: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	docx = [][2]string{{"[Content_Types].xml", "<Types/>"}, {"_rels/.rels", "<Relationships/>"}, {"word/document.xml", "<w:document/>"}}
	ods  = [][2]string{{"mimetype", odsMimetype}, {"content.xml", "<office:document-content/>"}, {"META-INF/manifest.xml", "<manifest/>"}}
	odt  = [][2]string{{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<x/>"}}
	jar  = [][2]string{{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}, {"Main.class", "\xca\xfe\xba\xbe"}}
	// A PE header as Windows programs begin: "MZ", the DOS stub's NULs.
	pe  = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 48)...)
	elf = []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00")
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Type
		err  string // part of the refusal
	}{
		{"rapport.pdf", realPDF(t), PDF, ""},
		{"konton.xlsx", realXLSX(t), XLSX, ""},
		{"brev.docx", zipOf(t, docx...), DOCX, ""},
		{"kalkyl.ods", zipOf(t, ods...), ODS, ""},
		{"konton.csv", []byte("konto;belopp\nPersonal;1000\nÅrets övrigt;5\n"), CSV, ""},
		{"konton.csv", []byte("konto;belopp\n\xc5rets \xf6vrigt;5\r\n"), CSVLatin1, ""},
		{"mz.csv", []byte("MZ;belopp\nx;1\n"), CSV, ""},
		{"named-anything.bin", realPDF(t), PDF, ""}, // the content decides
		{"rapport.pdf", elf, Type{}, `"rapport.pdf" är ett program`},
		{"konton.xlsx", pe, Type{}, `"konton.xlsx" är ett program`},
		{"tom.csv", nil, Type{}, `"tom.csv" är tom`},
		{"text.odt", zipOf(t, odt...), Type{}, `"text.odt" är en ZIP-fil men inte`},
		{"app.xlsx", zipOf(t, jar...), Type{}, `"app.xlsx" är en ZIP-fil men inte`},
		{"trasig.xlsx", []byte("PK\x03\x04 inte mer"), Type{}, `"trasig.xlsx" ser ut som en ZIP-fil`},
		{"bild.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Type{}, `"bild.png" är ingen av de tillåtna`},
		{"nul.csv", []byte("a;b\x00c\n"), Type{}, `"nul.csv" är ingen av de tillåtna`},
	}
	for _, tt := range tests {
		got, err := Detect(tt.name, tt.data)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("Detect(%s) = %v, %v; want %v", tt.name, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) || fault.CodeOf(err) != fault.Invalid {
			t.Errorf("Detect(%s) = %v, %v; want refused with %q", tt.name, got, err, tt.err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	data := append([]byte("%PDF-1.4\n"), make([]byte, MaxSize)...)
	if _, err := Detect("stor.pdf", data); fault.CodeOf(err) != fault.TooLarge || !strings.Contains(err.Error(), `"stor.pdf"`) {
		t.Errorf("a file over 20 MB: %v", err)
	}
}

func TestSafeName(t *testing.T) {
	tests := []struct {
		name string
		t    Type
		want string
	}{
		{"rapport.pdf", PDF, "rapport.pdf"},
		{"RAPPORT.PDF", PDF, "RAPPORT.PDF"},
		{`C:\Users\anna\konton.xlsx`, XLSX, "konton.xlsx"},
		{"../../etc/passwd", CSV, "passwd.csv"},
		{"program.exe", PDF, "program.exe.pdf"},
		{"a\"b\r\n.csv", CSV, "ab.csv"},
		{"", ODS, "underlag.ods"},
		{"..", DOCX, "underlag.docx"},
	}
	for _, tt := range tests {
		if got := SafeName(tt.name, tt.t); got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// FuzzDetect: any content either is one of the five types or is refused
// as invalid naming the file; never a panic, and a program is never
// accepted.
func FuzzDetect(f *testing.F) {
	f.Add([]byte("%PDF-1.7\n"))
	f.Add(zipOf(f, docx...))
	f.Add(zipOf(f, ods...))
	f.Add(zipOf(f, jar...))
	f.Add(realXLSX(f))
	f.Add([]byte("a;b\n1;2\n"))
	f.Add(pe)
	f.Add(elf)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Detect("fil.bin", data)
		if err != nil {
			if c := fault.CodeOf(err); c != fault.Invalid || !strings.Contains(err.Error(), `"fil.bin"`) {
				t.Fatalf("refusal %v (%s) does not name the file", err, c)
			}
			return
		}
		if bytes.HasPrefix(data, []byte("\x7fELF")) {
			t.Fatalf("an ELF program accepted as %v", got)
		}
		if got.ContentType == "" || got.Ext == "" {
			t.Fatalf("accepted as %v", got)
		}
	})
}
