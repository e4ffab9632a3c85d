package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"narvard/internal/browsertest"
	"narvard/internal/demo"
	"narvard/internal/grant/granttest"
)

// narrowWidth is the viewport no page may scroll sideways at (issue 17,
// problem 12): a phone, or a window beside another.
const narrowWidth = 400

// notPages are the GET routes that answer with no HTML page for axe-core
// to read: files (PDF, XLSX, CSV, iCalendar, pain.001, attachments), the
// health probe, static files and redirects. Any other GET route must be
// visited by TestBrowserAccessibility.
var notPages = map[string]string{
	"GET /healthz":                      "health probe, text",
	"GET /static/":                      "static files",
	"GET /favicon.ico":                  "redirect to the icon",
	"GET /":                             "the not-found page for any other path (visited as /finns-inte)",
	"GET /overenskommelser/{$}":         "redirect to /",
	"GET /overenskommelser/{id}/{file}": "downloads: .csv, .json, .xlsx",
	"GET /betalningar/{id}/pain.001":    "pain.001 XML",
	"GET /vidareformedling/betalningar/{id}/pain.001": "pain.001 XML",
	"GET /enkater/{id}/resultat.csv":                  ".csv",
	"GET /enkater/{id}/resultat.xlsx":                 ".xlsx",
	"GET /enkater/{id}/svar.csv":                      ".csv",
	"GET /enkater/{id}/svar.xlsx":                     ".xlsx",
	"GET /kalender/{file}":                            ".ics",
	"GET /oversikt.xlsx":                              ".xlsx",
	"GET /planer/{id}/beslutsunderlag.pdf":            ".pdf",
	"GET /redovisningar/{id}/pdf":                     ".pdf",
	"GET /rekvisitioner/{id}/pdf":                     ".pdf",
	"GET /skulder/{id}/pdf":                           ".pdf",
	"GET /underlag/{id}/bilagor/{n}":                  "an attachment, as uploaded",
	"GET /uppfoljning/{id}/{format}":                  "the follow-up result as .csv or .xlsx",
	"GET /verksamhetsrapporter.csv":                   ".csv",
	"GET /verksamhetsrapporter.xlsx":                  ".xlsx",
	"GET /verksamhetsrapporter/{id}/pdf":              ".pdf",
	"GET /admin/organisationer.xlsx":                  "a list's export, .xlsx",
	"GET /admin/anvandare.xlsx":                       "a list's export, .xlsx",
	"GET /enkater.xlsx":                               "a list's export, .xlsx",
	"GET /granskning.xlsx":                            "the audit log's export, .xlsx",
	"GET /kammarkollegiet.xlsx":                       "a list's export, .xlsx",
	"GET /kommunredovisningar.xlsx":                   "a list's export, .xlsx",
	"GET /planer.xlsx":                                "a list's export, .xlsx",
	"GET /underlag.xlsx":                              "a list's export, .xlsx",
	"GET /vfu.xlsx":                                   "a list's export, .xlsx",
	"GET /vidareformedling.xlsx":                      "a list's export, .xlsx",
	"GET /uppfoljning/korning/{id}":                   "a running job's page, which reloads itself: checked while held in TestBrowserFollowUp",
}

// axeWalk visits pages in one browser tab: axe-core on each, and the
// width of each at narrowWidth. It also follows the links it finds to
// reach every GET page of the web app once, and remembers which route
// patterns it has seen.
type axeWalk struct {
	t       *testing.T
	b       context.Context
	base    string
	script  string
	mux     *http.ServeMux
	seen    map[string]bool // route patterns visited
	visited map[string]bool // paths visited as the current user
	pending []string        // links found on the pages visited, not yet followed
}

func newAxeWalk(t *testing.T, b context.Context, base, script string) *axeWalk {
	w := &axeWalk{t: t, b: b, base: base, script: script, mux: http.NewServeMux(), seen: map[string]bool{}, visited: map[string]bool{}}
	for _, p := range slices.Compact(granttest.RoutePatterns(t, ".", "GET")) {
		w.mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	return w
}

func (w *axeWalk) run(actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if err := chromedp.Do(w.b, actions...); err != nil {
		w.t.Fatal(err)
	}
}

// pattern is the route pattern that serves path ("" for none).
func (w *axeWalk) pattern(path string) string {
	r, err := http.NewRequest(http.MethodGet, w.base+path, nil)
	if err != nil {
		return ""
	}
	_, p := w.mux.Handler(r)
	return p
}

func (w *axeWalk) signIn(email string) {
	w.t.Helper()
	w.run(chromedp.Navigate(w.base+"/logga-in"), chromedp.WaitReady(chromedp.CSS("#email")),
		chromedp.SetValue(chromedp.CSS("#email"), email), chromedp.SetValue(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitReady(chromedp.CSS("nav.user .who")))
	w.visited, w.pending = map[string]bool{}, nil
}

func (w *axeWalk) signOut() {
	w.t.Helper()
	w.run(chromedp.Navigate(w.base+"/start"), chromedp.WaitReady(chromedp.CSS("nav.user button")),
		chromedp.Click(chromedp.CSS("nav.user button")), chromedp.WaitReady(chromedp.CSS("nav.user a[href='/logga-in']")))
}

// visit opens path and checks the page it shows.
func (w *axeWalk) visit(what, path string) {
	w.t.Helper()
	defer func(start time.Time) { w.t.Logf("%s %s: %v", what, path, time.Since(start)) }(time.Now())
	w.visited[path] = true
	w.seen[w.pattern(path)] = true
	w.run(chromedp.Navigate(w.base+path), chromedp.WaitReady(chromedp.CSS("main")))
	w.check(what + " " + path)
	w.pending = append(w.pending, w.links()...)
}

// check runs axe-core on the page shown, then measures it at narrowWidth.
func (w *axeWalk) check(what string) {
	w.t.Helper()
	if v := browsertest.Axe(w.t, w.b, w.script); len(v) > 0 {
		w.t.Errorf("%s: axe-core finds %s", what, strings.Join(v, "; "))
	}
	w.run(chromedp.EmulateViewport(narrowWidth, 900))
	if wide := browsertest.Eval[[]string](w.t, w.b, sidewaysJS); len(wide) > 0 {
		w.t.Errorf("%s scrolls sideways at %d px: %s", what, narrowWidth, strings.Join(wide, "; "))
	}
	w.run(chromedp.EmulateReset())
}

// sidewaysJS is empty when the page fits its width; else the page's width
// and the elements that stick out furthest to the right (outside any box
// that scrolls them itself).
const sidewaysJS = `(() => {
	const d = document.documentElement;
	if (d.scrollWidth <= d.clientWidth) return [];
	const out = ['scrollWidth ' + d.scrollWidth + ' > ' + d.clientWidth];
	const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
	const wide = [...document.body.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > d.clientWidth + 1 && !inScroller(el));
	const leaves = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
	return out.concat(leaves.slice(0, 6).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') +
		' ' + Math.round(el.getBoundingClientRect().right) + 'px "' + (el.textContent || '').trim().slice(0, 40) + '"'));
})()`

// crawl follows the links of the pages visited so far, breadth first, to
// pages of route patterns not yet seen: each page of the web app is
// checked once, as the first user whose pages link to it.
func (w *axeWalk) crawl(who string) {
	w.t.Helper()
	for len(w.pending) > 0 {
		path := w.pending[0]
		w.pending = w.pending[1:]
		p := w.pattern(path)
		if w.visited[path] || w.seen[p] || notPages[p] != "" || p == "" {
			continue
		}
		w.visit(who, path)
	}
}

// links are the paths the page shown links to on this server.
func (w *axeWalk) links() []string {
	w.t.Helper()
	hrefs := browsertest.Eval[[]string](w.t, w.b, `[...document.querySelectorAll('main a[href], header a[href]')].map(a => a.getAttribute('href'))`)
	var out []string
	for _, h := range hrefs {
		u, err := url.Parse(h)
		if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || u.Path == "/logga-in" {
			continue
		}
		if p := u.RequestURI(); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// missing are the GET routes of the web app that no visit reached and
// that notPages does not exempt.
func (w *axeWalk) missing() []string {
	var out []string
	for _, p := range granttest.RoutePatterns(w.t, ".", "GET") {
		if !w.seen[p] && notPages[p] == "" {
			out = append(out, p)
		}
	}
	return out
}

// errorState is a form on a page, sent with its text fields cleared (a
// new form sent empty, a filled-in one made wrong), to be checked as it
// comes back with its errors.
type errorState struct {
	path, form string
}

// errorState opens e's page, clears the form's text fields, sends it
// without the browser's own checks and checks the page that comes back,
// which must show an error.
func (w *axeWalk) errorState(who string, e errorState) {
	w.t.Helper()
	w.run(chromedp.Navigate(w.base+e.path), chromedp.WaitReady(chromedp.CSS("main")))
	if browsertest.Eval[int](w.t, w.b, `document.querySelectorAll(`+quoteJS(e.form+" button[type=submit]")+`).length`) == 0 {
		w.t.Errorf("%s %s: no %s with a submit button", who, e.path, e.form)
		return
	}
	browsertest.Eval[bool](w.t, w.b, `(() => { const f = document.querySelector(`+quoteJS(e.form)+`); f.noValidate = true;
		f.querySelectorAll('input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]), textarea').forEach(el => el.value = '');
		window.__before = true; return true })()`)
	w.run(chromedp.Click(chromedp.CSS(e.form + " button[type=submit]")))
	waitLoaded(w.t, w.b, "main")
	what := who + " " + e.path + " " + e.form + " sent empty"
	if browsertest.Eval[int](w.t, w.b, `document.querySelectorAll('.error-summary, .field-error, [role=alert], [aria-invalid=true]').length`) == 0 {
		w.t.Errorf("%s: the page shows no error", what)
	}
	w.check(what)
}

// followUpJob starts a follow-up job on two small extracts from the
// follow-up page and checks the job's page once the job is done.
func (w *axeWalk) followUpJob(who string) {
	w.t.Helper()
	dir := w.t.TempDir()
	files := map[string]string{
		"listningar.csv": "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear\np1,25,E1,d1,0,K,1950\np2,25,E1,,1,M,1930\n",
		"besok.csv":      "patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\np1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d1,lakare,fysisk\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			w.t.Fatal(err)
		}
	}
	w.run(chromedp.Navigate(w.base+"/uppfoljning"), chromedp.WaitReady(chromedp.CSS("#listings")),
		chromedp.SetUploadFiles(chromedp.CSS("#listings"), []string{filepath.Join(dir, "listningar.csv")}),
		chromedp.SetUploadFiles(chromedp.CSS("#visits"), []string{filepath.Join(dir, "besok.csv")}),
		chromedp.SetValue(chromedp.CSS("#from"), "2023-01-01"), chromedp.SetValue(chromedp.CSS("#to"), "2023-12-31"),
		chromedp.SetValue(chromedp.CSS("#min_cell"), "1"))
	browsertest.Eval[bool](w.t, w.b, `window.__before = true`)
	w.run(chromedp.Click(chromedp.CSS("form[action='/uppfoljning'] button[type=submit]")))
	waitLoaded(w.t, w.b, "main")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if browsertest.Eval[bool](w.t, w.b, `document.readyState === 'complete' && !document.querySelector('[data-job=running]')`) {
			break
		}
		if time.Now().After(deadline) {
			w.t.Fatal("the follow-up job did not end")
		}
	}
	loc, err := chromedp.Run(w.b, chromedp.Location())
	if err != nil {
		w.t.Fatal(err)
	}
	path := strings.TrimPrefix(loc, w.base)
	w.seen[w.pattern(path)] = true
	w.check(who + " " + path)
}
