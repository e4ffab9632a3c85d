package document

import (
	"bytes"
	"os"
	"testing"

	"narvard/internal/grant"
)

func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("NARVARD_PDF_DIR")
	if dir == "" {
		t.Skip("set NARVARD_PDF_DIR to write sample PDFs")
	}
	var buf bytes.Buffer
	rv := &grant.Review{Alternative: 2, Deviations: "Fel period", Actions: "Bokas om", Name: "Maria", Title: "Ekonomichef", At: signed}
	if err := ReportPDF(&buf, report(12, rv)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/report.pdf", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
