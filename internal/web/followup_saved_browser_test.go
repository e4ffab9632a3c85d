package web_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/clock"
	"narvard/internal/followup"
	"narvard/internal/store"
	"narvard/internal/web"
)

// TestBrowserFollowUpSaved runs a follow-up of two years through the
// page in Chromium on the real engine and finds what Socialstyrelsen's
// analysts need: the result first, Swedish labels, counties by name,
// shares in per cent, the suppressed cells withheld and said so
// (also on the map), the excluded row with its line and reason, no
// sideways scrolling at 400 px; then, after a restart (a new app and web
// server over the same database), the run in the list of saved runs and
// its result again (issue 17, problem 10; issue 18, item 6).
func TestBrowserFollowUpSaved(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	newApp := func() *app.App {
		a, err := app.New(ctx, st, agreement.Builtin(), clock.NewFrozen(time.Date(2024, 5, 2, 10, 0, 0, 0, clock.Stockholm)), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := newApp()
	if _, err := a.AddUser(ctx, "analytiker@socialstyrelsen.se", "Ana Lys", "socialstyrelsen", auth.Analyst, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"listningar.csv": "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear,kommun\n" +
			"p1,25,E1,d1,0,K,1950,2580\np2,25,E1,,1,M,1930,2580\np3,23,E2,d3,0,K,1960,2380\np4,23,E2,d4,0,M,1970,2380\n",
		"besok.csv": "patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\n" +
			"p1,2022-02-01,E1,d1,lakare,fysisk\np1,2022-03-01,E1,d2,lakare,fysisk\n" +
			"p1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-13-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d1,lakare,fysisk\n" +
			"p3,2022-02-01,E2,d3,lakare,fysisk\np3,2022-05-01,E2,d3,lakare,fysisk\np3,2023-02-01,E2,d3,lakare,fysisk\np3,2023-05-01,E2,d3,lakare,fysisk\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := browsertest.Serve(t, web.New(a, nil, web.Options{}))
	b := browsertest.New(t)
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatal(err)
		}
	}
	submit := func(button, want string) {
		t.Helper()
		browsertest.Eval[bool](t, b, `window.__before = true`)
		run(chromedp.Click(chromedp.CSS(button)))
		waitLoaded(t, b, want)
	}
	signIn := func(base string) {
		run(chromedp.Navigate(base + "/logga-in"))
		waitLoaded(t, b, "#email")
		run(chromedp.SetValue(chromedp.CSS("#email"), "analytiker@socialstyrelsen.se"), chromedp.SetValue(chromedp.CSS("#password"), "ett långt lösenord"))
		submit("main form button[type=submit]", "nav.user .who")
	}
	signIn(base)
	run(chromedp.Navigate(base + "/uppfoljning"))
	waitLoaded(t, b, "form[action='/uppfoljning']")
	run(chromedp.SetUploadFiles(chromedp.CSS("#listings"), []string{filepath.Join(dir, "listningar.csv")}),
		chromedp.SetUploadFiles(chromedp.CSS("#visits"), []string{filepath.Join(dir, "besok.csv")}),
		chromedp.SetValue(chromedp.CSS("#years"), "2022, 2023"),
		chromedp.SetValue(chromedp.CSS("#min_cell"), "2"))
	submit("form[action='/uppfoljning'] button[type=submit]", "table[data-table=fast]")
	url, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/uppfoljning/resultat/([0-9a-f]{32})$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("the finished run's address: %s", url)
	}
	checkSavedResult(t, b)
	t.Run("axe", func(t *testing.T) {
		if v := browsertest.Axe(t, b, browsertest.AxeScript(t)); len(v) > 0 {
			t.Errorf("axe-core finds %s", strings.Join(v, "; "))
		}
	})

	// At 400 px nothing scrolls sideways but the tables in their boxes.
	browsertest.Viewport(t, b, 400, 800)
	browsertest.Open(t, b, url)
	if overflow := browsertest.Eval[int](t, b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
		t.Errorf("at 400 px the result is %d px wider than the screen", overflow)
		wide := browsertest.Eval[[]string](t, b, `Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 400 && !(e.parentElement && e.parentElement.closest('.table-scroll'))).slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)
		t.Logf("wide: %q", wide)
	}
	browsertest.Viewport(t, b, 1280, 900)

	// A restart: a new app and web server over the same database.
	base2 := browsertest.Serve(t, web.New(newApp(), nil, web.Options{}))
	signIn(base2)
	run(chromedp.Navigate(base2 + "/uppfoljning"))
	waitLoaded(t, b, "table[data-table=runs]")
	row := browsertest.Eval[string](t, b, `document.querySelector('tr[data-run="`+m[1]+`"]').innerText`)
	for _, want := range []string{"Ana Lys", "2022, 2023", "Län", "listningar.csv (", "besok.csv ("} {
		if !strings.Contains(row, want) {
			t.Errorf("saved run's line lacks %q: %q", want, row)
		}
	}
	submit(`tr[data-run="`+m[1]+`"] a`, "table[data-table=fast]")
	checkSavedResult(t, b)
}

// checkSavedResult checks the result page of TestBrowserFollowUpSaved.
func checkSavedResult(t *testing.T, b context.Context) {
	t.Helper()
	text := browsertest.Eval[string](t, b, `document.querySelector('main').innerText`)
	for _, want := range []string{"Andel med fast läkarkontakt", "COC till läkare", "Norrbottens län", "Jämtlands län",
		"Undertryckta celler (–)", "besok.csv: 1 rad utesluten", "Sverige per län", "Utvecklingen mot målen: Riket"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	for _, c := range followup.Columns {
		if strings.Contains(text, c) && c != "period" && c != "coc" && c != "upc" && c != "undertryckt" {
			t.Errorf("result shows the raw column name %q", c)
		}
	}
	if regexp.MustCompile(`\d,\d{4}`).MatchString(text) {
		t.Errorf("result shows four decimals: %q", regexp.MustCompile(`\d,\d{4}`).FindString(text))
	}
	// Riket, 2023: three of four listed with a named GP; both counties'
	// counts withheld (Norrbotten's 1, and Jämtland's so that riket does
	// not give it away).
	rows := browsertest.Eval[[][]string](t, b, `Array.from(document.querySelectorAll('table[data-table=fast] tbody tr')).map(tr => Array.from(tr.cells).map(td => td.className + ':' + td.innerText.split('\n')[0]))`)
	want := map[string]string{"Riket|2023": ":75,0 %", "Norrbottens län|2023": "num suppressed:–", "Jämtlands län|2023": "num suppressed:–"}
	for _, r := range rows {
		key := strings.TrimPrefix(r[0], ":") + "|" + strings.TrimPrefix(r[1], ":")
		if w, ok := want[key]; ok && strings.TrimPrefix(r[4], "num") != strings.TrimPrefix(w, "num") {
			t.Errorf("%s: share cell %q, want %q", key, r[4], w)
		}
		delete(want, key)
	}
	if len(want) > 0 {
		t.Errorf("rows missing: %v (rows %q)", want, rows)
	}
	if line := browsertest.Eval[string](t, b, `document.querySelector('[data-excluded="besok.csv"] tbody tr').innerText`); !strings.HasPrefix(line, "5") || !strings.Contains(line, "2023-13-01") {
		t.Errorf("excluded row %q", line)
	}
	tile := browsertest.Eval[string](t, b, `document.querySelector('svg[data-map] g[data-county="25"]').textContent`)
	if !strings.Contains(tile, "Norrbotten") || !strings.Contains(tile, "undertryckt") || strings.Contains(tile, "%") {
		t.Errorf("Norrbotten's tile %q", tile)
	}
	if role := browsertest.Eval[string](t, b, `document.querySelector('svg[data-map]').getAttribute('role') + ' ' + document.querySelector('svg[data-map] title').textContent`); role != "img Andel med fast läkarkontakt per län, 2023" {
		t.Errorf("map %q", role)
	}
}

// savedFollowUpRun keeps a run for the user as a job on the page would,
// its result made up: every county in two years, Jämtland's named GPs
// suppressed in the second, and a row left out. It returns the run's id.
func savedFollowUpRun(t *testing.T, a *app.App, email, password string) string {
	t.Helper()
	u, err := a.Authenticate(context.Background(), email, password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	var rows []followup.Row
	for i, c := range []string{"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22", "23", "24", "25", "riket"} {
		base := followup.Row{Group: c, Period: "2022", Listade: 1000 + 10*i, MedFastLakare: 500 + 7*i, PatienterCOCLakare: 400, COCLakare: 0.25, UPCLakare: 0.5}
		next := followup.Row{Group: c, Period: "2023", Listade: 1000 + 10*i, MedFastLakare: 520 + 9*i, PatienterCOCLakare: 410, COCLakare: 0.25 + 0.005*float64(i), UPCLakare: 0.55}
		if c == "23" || c == "riket" {
			next.Suppressed = []string{"med_fast_lakare"}
		}
		rows = append(rows, base, next)
	}
	for i := 1; i < len(rows); i += 2 {
		rows[i].Base = &rows[i-1]
	}
	res := &followup.Result{Rows: rows, MinCell: 5, Periods: []string{"2022", "2023"}, VisitsRead: 100, VisitsUsed: 99,
		Bad: []*followup.BadRows{{File: "besok.csv", Count: 1, Reports: []string{`besok.csv:5: datum "2023-13-01" är inte ett datum`}}}}
	runs := a.NewFollowUps(func(context.Context, followup.Input, followup.Options) (*followup.Result, error) { return res, nil }, nil)
	ticket, err := runs.Begin(u.Actor())
	if err != nil {
		t.Fatal(err)
	}
	j := ticket.Start(followup.Input{}, followup.Options{By: followup.ByLan, MinCell: 5}, nil,
		followup.RunFile{Kind: followup.StageListings, Name: "listningar.csv", Bytes: 1200}, followup.RunFile{Kind: followup.StageVisits, Name: "besok.csv", Bytes: 34000})
	for !j.Finished() {
		time.Sleep(5 * time.Millisecond)
	}
	if !j.Saved() {
		t.Fatal("the run was not saved")
	}
	return j.ID()
}
