// Package browsertest runs the product's pages in a real headless Chromium
// for tests: it finds the browser, starts it with a fresh profile, serves a
// handler on a real listener, and reads tables and screenshots back.
//
// A test that needs the browser calls New; without Chromium the test is
// skipped, except when the environment variable CI is set, where a missing
// browser fails the test: CI must run the browser tests.
package browsertest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds one test's whole use of the browser.
const Timeout = 2 * time.Minute

// ErrNoBrowser is returned by ExecPath when no Chromium is found.
var ErrNoBrowser = errors.New("ingen Chromium hittades (installera paketet chromium eller sätt NARVARD_CHROMIUM)")

// candidates are the browsers tried in order after $NARVARD_CHROMIUM: the
// Debian package first.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// ExecPath returns the path of the Chromium to run: $NARVARD_CHROMIUM if
// set, else the first of /usr/bin/chromium, chromium, chromium-browser,
// google-chrome … found.
func ExecPath() (string, error) {
	list := candidates
	if p := os.Getenv("NARVARD_CHROMIUM"); p != "" {
		list = []string{p}
	}
	for _, p := range list {
		if found, err := exec.LookPath(p); err == nil {
			return found, nil
		}
	}
	return "", ErrNoBrowser
}

// Flags are the command-line switches Chromium gets beyond chromedp's
// defaults (which include --headless, --no-first-run,
// --disable-background-networking and --disable-sync): no sandbox, since CI
// runs as root; no GPU; nothing that calls home.
var Flags = []chromedp.ExecAllocatorOption{
	chromedp.NoSandbox,
	chromedp.DisableGPU,
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("lang", "sv-SE"),
	chromedp.WindowSize(1280, 900),
}

// New starts a headless Chromium with a fresh profile in a temporary
// directory and returns a context for one tab, ready for chromedp.Run. The
// browser is closed when the test ends. Without a browser the test is
// skipped, or fails when $CI is set.
func New(t testing.TB) context.Context {
	t.Helper()
	return NewFor(t, Timeout)
}

// NewFor is New for a test that needs the browser longer than Timeout
// (one that walks every page).
func NewFor(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	path, err := ExecPath()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI=%s: %v", os.Getenv("CI"), err)
		}
		t.Skip(err)
	}
	profile := t.TempDir() // removed after the browser has stopped: cleanups run last-in, first-out
	opts := append(chromedp.DefaultExecAllocatorOptions[:], Flags...)
	opts = append(opts, chromedp.ExecPath(path), chromedp.UserDataDir(profile))
	base, cancelBase := context.WithTimeout(context.Background(), d)
	actx, cancelAlloc := chromedp.NewExecAllocator(base, opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
		cancelBase()
	})
	// Start the browser now, so that a broken installation fails here with
	// a clear message rather than in the first action.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starta %s: %v", path, err)
	}
	return ctx
}

// Serve serves h on a real listener on 127.0.0.1 and returns its base URL,
// such as "http://127.0.0.1:41234". The server stops when the test ends.
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Open navigates the tab to url and waits until the page's body is ready.
func Open(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("öppna %s: %v", url, err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its
// JSON-able result into a T.
func Eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

// axeCandidates are where axe-core's script is looked for after $NARVARD_AXE:
// a global npm install, and the one .ci/run makes.
var axeCandidates = []string{"/usr/lib/node_modules/axe-core/axe.min.js", "/usr/local/lib/node_modules/axe-core/axe.min.js",
	"/tmp/narvard-axe/node_modules/axe-core/axe.min.js"}

// AxeScript returns axe-core's script ($NARVARD_AXE, else an npm install).
// Without it the test is skipped, or fails when $CI is set: CI installs it.
func AxeScript(t testing.TB) string {
	t.Helper()
	list := axeCandidates
	if p := os.Getenv("NARVARD_AXE"); p != "" {
		list = []string{p}
	}
	for _, p := range list {
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI=%s: axe-core finns inte (npm install axe-core, eller sätt NARVARD_AXE)", os.Getenv("CI"))
	}
	t.Skip("axe-core finns inte (npm install axe-core, eller sätt NARVARD_AXE)")
	return ""
}

// Axe runs axe-core on the page the tab shows and returns its violations,
// each as "rule (impact): the first elements it names".
func Axe(t testing.TB, ctx context.Context, script string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script+";true")); err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	js := `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>
		v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return out
}
