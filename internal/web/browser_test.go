package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/app"
	"narvard/internal/browsertest"
	"narvard/internal/clock"
	"narvard/internal/money"
	"narvard/internal/store"
	"narvard/internal/verify"
	"narvard/internal/web"
)

// serve starts the real handler with a fresh data directory and returns
// its base URL.
func serve(t *testing.T) string {
	t.Helper()
	return browsertest.Serve(t, web.New(newBrowserApp(t), nil, web.Options{}))
}

// newBrowserApp opens the app on a fresh SQLite file with the clock frozen
// at 15 November 2023, for the browser tests.
func newBrowserApp(t *testing.T) *app.App {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := app.New(context.Background(), st, agreement.Builtin(), clock.NewFrozen(time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm)), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestBrowserAgreementPage opens the agreement page in Chromium and checks
// every figure of the allocation tables, as the browser shows them, against
// the engine; the sum rows against the agreement's amounts; and the
// verification section against verify.Check.
func TestBrowserAgreementPage(t *testing.T) {
	ctx := browsertest.New(t)
	base := serve(t)
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Open(t, ctx, base+"/overenskommelser/gnv-2023")

	if lang := browsertest.Eval[string](t, ctx, "document.documentElement.lang"); lang != "sv" {
		t.Errorf("lang = %q", lang)
	}
	for _, name := range []agreement.TableID{agreement.TableRegioner, agreement.TableKommuner, agreement.TableLandsbygd} {
		t.Run(string(name), func(t *testing.T) {
			want, err := alloc.Build(a, alloc.FromAgreement(a), name)
			if err != nil {
				t.Fatal(err)
			}
			checkTable(t, want, browsertest.TableCells(t, ctx, string(name)))
		})
	}

	// The sum rows are the component amounts.
	for name, kind := range map[agreement.TableID]agreement.RecipientKind{agreement.TableRegioner: agreement.Region, agreement.TableKommuner: agreement.RSS} {
		got := map[string]string{}
		for _, c := range browsertest.TableCells(t, ctx, string(name)) {
			if c.Row == "summa" {
				got[c.Col] = c.Kr
			}
		}
		var total money.Kr
		for _, comp := range a.ComponentsFor(kind) {
			total += comp.Amount
			if got[comp.ID] != fmt.Sprint(int64(comp.Amount)) {
				t.Errorf("%s: sum of %s = %s, want the component's amount %d", name, comp.ID, got[comp.ID], comp.Amount)
			}
		}
		if got["totalt"] != fmt.Sprint(int64(total)) {
			t.Errorf("%s: grand total %s, want %d", name, got["totalt"], total)
		}
	}

	checkFindings(t, a, browsertest.Eval[[]findingRow](t, ctx, `Array.from(document.querySelectorAll('tr[data-finding]')).map(tr => ({
		table: tr.dataset.table, kod: tr.dataset.kod, col: tr.dataset.col,
		diff: tr.querySelector('td.diff').dataset.kr, text: tr.querySelector('td.diff').innerText,
	}))`))

	// The stylesheet is loaded under the Content-Security-Policy: amounts
	// are right-aligned in tabular figures.
	style := browsertest.Eval[map[string]string](t, ctx, `(() => {
		const s = getComputedStyle(document.querySelector('table[data-table=regioner] td.num'));
		return {align: s.textAlign, figures: s.fontVariantNumeric};
	})()`)
	if style["align"] != "right" || !strings.Contains(style["figures"], "tabular-nums") {
		t.Errorf("amount cells styled %v, want right-aligned tabular-nums", style)
	}
}

// checkTable compares every cell the browser shows with the engine's table:
// the raw amount in data-kr and the visible Swedish-formatted text.
func checkTable(t *testing.T, want *alloc.Table, got []browsertest.Cell) {
	t.Helper()
	type key struct{ row, col string }
	cells := map[key]browsertest.Cell{}
	for _, c := range got {
		cells[key{c.Row, c.Col}] = c
	}
	check := func(row, col string, amount money.Kr) {
		c, ok := cells[key{row, col}]
		if !ok {
			t.Errorf("cell %s/%s missing", row, col)
			return
		}
		delete(cells, key{row, col})
		if n, err := c.Amount(); err != nil || n != int64(amount) {
			t.Errorf("cell %s/%s: data-kr %q, want %d", row, col, c.Kr, amount)
		}
		if wantText := money.Group(int64(amount)); c.Text != wantText {
			t.Errorf("cell %s/%s: text %q, want %q", row, col, c.Text, wantText)
		}
	}
	hasTotal := len(want.Columns) > 1
	for _, r := range want.Rows {
		for i, c := range r.Cells {
			check(r.Code, want.Columns[i].ID, c.Amount)
		}
		if hasTotal {
			total, err := r.Total()
			if err != nil {
				t.Fatal(err)
			}
			check(r.Code, "totalt", total)
		}
	}
	sums, grand, err := want.ColumnTotals()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sums {
		check("summa", want.Columns[i].ID, s)
	}
	if hasTotal {
		check("summa", "totalt", grand)
	}
	for k := range cells {
		t.Errorf("unexpected cell %s/%s", k.row, k.col)
	}
}

type findingRow struct {
	Table string `json:"table"`
	Kod   string `json:"kod"`
	Col   string `json:"col"`
	Diff  string `json:"diff"`
	Text  string `json:"text"`
}

// checkFindings compares the verification section with verify.Check, in
// order.
func checkFindings(t *testing.T, a *agreement.Agreement, got []findingRow) {
	t.Helper()
	want, err := verify.Check(a, verify.DefaultTolerance)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("page lists %d findings, verify.Check %d", len(got), len(want))
	}
	for i, f := range want {
		g := got[i]
		text := money.Group(int64(f.Diff))
		if f.Diff > 0 {
			text = "+" + text
		}
		if g.Table != f.Table || g.Kod != f.Code || g.Col != f.Component || g.Diff != fmt.Sprint(int64(f.Diff)) || g.Text != text {
			t.Errorf("finding %d: page %+v, want %s %s %s diff %d (%q)", i, g, f.Table, f.Code, f.Component, f.Diff, text)
		}
	}
}

// TestBrowserLayout follows the link from the list of agreements and checks
// the layout: on a 1280 px screen the allocation tables fit without
// scrolling; on a phone-sized screen the page itself does not scroll
// sideways, wide tables scroll inside their own box.
func TestBrowserLayout(t *testing.T) {
	ctx := browsertest.New(t)
	base := serve(t)
	browsertest.Open(t, ctx, base+"/")
	href := browsertest.Eval[string](t, ctx, `document.querySelector('tr[data-id="gnv-2023"] a').getAttribute('href')`)
	if href != "/overenskommelser/gnv-2023" {
		t.Fatalf("link to the agreement = %q", href)
	}
	browsertest.Viewport(t, ctx, 1280, 900)
	browsertest.Open(t, ctx, base+href)
	scrolling := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.table-scroll'))
		.filter(d => d.scrollWidth > d.clientWidth).map(d => d.querySelector('table').dataset.table || d.querySelector('caption').innerText)`)
	if len(scrolling) > 0 {
		t.Errorf("at 1280 px these tables scroll sideways: %q", scrolling)
	}
	browsertest.Viewport(t, ctx, 375, 800)
	browsertest.Open(t, ctx, base+href)
	overflow := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
	if overflow > 0 {
		t.Errorf("at 375 px the page is %d px wider than the screen", overflow)
	}
}

// TestScreenshots writes PNGs of the pages for a person to look at. It runs
// only when NARVARD_SCREENSHOT_DIR names a directory:
//
//	NARVARD_SCREENSHOT_DIR=/tmp/skarmbilder go test ./internal/web -run TestScreenshots -v
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("NARVARD_SCREENSHOT_DIR")
	if dir == "" {
		t.Skip("sätt NARVARD_SCREENSHOT_DIR för att spara skärmbilder")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	base := serve(t)
	for _, s := range []struct {
		name, path string
		width      int64
	}{
		{"start", "/", 1280},
		{"overenskommelse", "/overenskommelser/gnv-2023", 1280},
		{"overenskommelse-mobil", "/overenskommelser/gnv-2023", 375},
		{"saknas", "/overenskommelser/okand", 1280},
	} {
		browsertest.Screenshot(t, ctx, base+s.path, s.width, filepath.Join(dir, s.name+".png"))
	}
}
