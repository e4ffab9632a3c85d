package browsertest

import (
	"io"
	"net/http"
	"testing"
)

// TestBrowserReadsTable checks the helpers themselves on a tiny page: the
// browser starts, opens the page, and reads a table's cells.
func TestBrowserReadsTable(t *testing.T) {
	ctx := New(t)
	url := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="sv"><title>prov</title>
<table data-table="prov"><tr data-kod="01"><th>A</th><td data-col="x" data-kr="1234567">1 234 567</td></tr>
<tr data-kod="summa"><th>Summa</th><td data-col="x" data-kr="1234567">1 234 567</td></tr></table>`)
	}))
	Open(t, ctx, url)
	if title := Eval[string](t, ctx, "document.title"); title != "prov" {
		t.Errorf("title %q", title)
	}
	cells := TableCells(t, ctx, "prov")
	if len(cells) != 2 {
		t.Fatalf("cells = %+v", cells)
	}
	c := cells[0]
	n, err := c.Amount()
	if err != nil || n != 1234567 || c.Row != "01" || c.Col != "x" || c.Text != "1 234 567" {
		t.Errorf("cell = %+v (%d, %v)", c, n, err)
	}
	if cells[1].Row != "summa" {
		t.Errorf("last cell row %q, want summa", cells[1].Row)
	}
}

func TestExecPathOverride(t *testing.T) {
	t.Setenv("NARVARD_CHROMIUM", "/does/not/exist/chromium")
	if _, err := ExecPath(); err == nil {
		t.Error("a missing NARVARD_CHROMIUM was accepted")
	}
}
