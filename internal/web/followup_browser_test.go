package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/web"
)

// TestBrowserFollowUp uploads two small CSV files through the real form
// in Chromium: the browser lands on the job's page, which shows the stage
// and a progress bar while the job is held reading the visits, and, once
// it is let go, reloads itself into the indicators table with working
// downloads.
func TestBrowserFollowUp(t *testing.T) {
	ctx := context.Background()
	a := newBrowserApp(t)
	if _, err := a.AddUser(ctx, "analytiker@regeringskansliet.se", "Ana Lys", "socialdepartementet", auth.Analyst, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"listningar.csv": "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear\np1,25,E1,d1,0,K,1950\np2,25,E1,,1,M,1930\n",
		"besok.csv":      "patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\np1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d1,lakare,fysisk\np1,2023-04-01,E1,d1,lakare,fysisk\np1,2023-05-01,E1,d2,lakare,fysisk\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	release := make(chan struct{})
	var once sync.Once
	letGo := func() { once.Do(func() { close(release) }) }
	t.Cleanup(letGo)
	base := browsertest.Serve(t, web.New(a, nil, web.HoldFollowUp(web.Options{}, "besök", release)))

	b := browsertest.New(t)
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text %s: %v", sel, err)
		}
		return s
	}
	submit := func(button, want string) {
		t.Helper()
		browsertest.Eval[bool](t, b, `window.__before = true`)
		run(chromedp.Click(chromedp.CSS(button)))
		waitLoaded(t, b, want)
	}

	run(chromedp.Navigate(base + "/logga-in"))
	waitLoaded(t, b, "#email")
	run(chromedp.SetValue(chromedp.CSS("#email"), "analytiker@regeringskansliet.se"), chromedp.SetValue(chromedp.CSS("#password"), "ett långt lösenord"))
	submit("main form button[type=submit]", "nav.user .who")

	run(chromedp.Navigate(base + "/uppfoljning"))
	waitLoaded(t, b, "form[action='/uppfoljning']")
	run(chromedp.SetUploadFiles(chromedp.CSS("#listings"), []string{filepath.Join(dir, "listningar.csv")}),
		chromedp.SetUploadFiles(chromedp.CSS("#visits"), []string{filepath.Join(dir, "besok.csv")}),
		chromedp.SetValue(chromedp.CSS("#from"), "2023-01-01"),
		chromedp.SetValue(chromedp.CSS("#to"), "2023-12-31"),
		chromedp.SetValue(chromedp.CSS("#min_cell"), "1"))
	submit("form[action='/uppfoljning'] button[type=submit]", "[data-job=running] progress")

	// The job's page, while the job reads the visits.
	url, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "/uppfoljning/korning/") {
		t.Errorf("after uploading: %s", url)
	}
	// The page reloads itself until the job is held reading the visits.
	deadline := time.Now().Add(15 * time.Second)
	for {
		stage, err := chromedp.Run(b, chromedp.Evaluate[string](`(document.querySelector('#framsteg[value]') && document.querySelector('[data-stage]').innerText) || ""`))
		if err == nil && stage == "Läser besök …" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stage %q (%v), want Läser besök …", stage, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if pct := text("[data-percent]"); !strings.HasSuffix(pct, " %") {
		t.Errorf("percent %q", pct)
	}
	if refresh := browsertest.Eval[string](t, b, `document.querySelector('meta[http-equiv=refresh]').content`); refresh != "1" {
		t.Errorf("refresh %q", refresh)
	}
	if files := text("[data-job=running]"); !strings.Contains(files, "listningar.csv, besok.csv") || !strings.Contains(files, "Tid hittills") {
		t.Errorf("job page: %q", files)
	}

	// The same page without reloading itself, where axe-core can read it.
	run(chromedp.Navigate(url + "?uppdatera=nej"))
	waitLoaded(t, b, "[data-job=running]")
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll('meta[http-equiv=refresh]').length`); n != 0 {
		t.Errorf("?uppdatera=nej: %d refresh tags", n)
	}
	if v := browsertest.Axe(t, b, browsertest.AxeScript(t)); len(v) > 0 {
		t.Errorf("axe-core finds on the job's page: %s", strings.Join(v, "; "))
	}
	run(chromedp.Navigate(url))
	waitLoaded(t, b, "[data-job=running]")

	shots := os.Getenv("NARVARD_SCREENSHOT_DIR")
	if shots != "" {
		browsertest.Screenshot(t, b, url, 1280, filepath.Join(shots, "uppfoljning-korning.png"))
	}

	// Let the job go: the page reloads itself into the results.
	letGo()
	waitLoaded(t, b, "table[data-table=fast]")
	rows := browsertest.Eval[[][]string](t, b, `Array.from(document.querySelectorAll('table[data-table=fast] tbody tr')).map(tr => Array.from(tr.cells).map(td => td.innerText))`)
	if len(rows) != 2 || strings.Join(rows[1][:4], "|") != "Riket|2|1|50,0 %" || rows[0][0] != "Norrbottens län" {
		t.Fatalf("indicator rows %q", rows)
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll('svg[data-map] g[data-county]').length`); n != 21 {
		t.Errorf("map tiles: %d", n)
	}
	href := browsertest.Eval[string](t, b, `document.querySelector('a[href$="/csv"]').getAttribute('href')`)
	csv, err := chromedp.Run(b, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href)+`).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv, "grupp,period,listade") || !strings.Contains(csv, "riket,2023,2,1,0.5000") {
		t.Errorf("CSV download %q", csv)
	}
	if shots != "" {
		browsertest.Screenshot(t, b, url, 1280, filepath.Join(shots, "uppfoljning-resultat.png"))
	}
}
