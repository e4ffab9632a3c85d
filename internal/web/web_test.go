package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/clock"
	"narvard/internal/store"
)

func newHandler(t *testing.T, logger *slog.Logger) (http.Handler, *store.Store) {
	t.Helper()
	return newHandlerWith(t, logger, Options{})
}

// newHandlerWith is newHandler with the web app's options.
func newHandlerWith(t *testing.T, logger *slog.Logger, o Options) (http.Handler, *store.Store) {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := app.New(context.Background(), st, agreement.Builtin(), clock.NewFrozen(demoNow), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	handlerApp = a
	return New(a, logger, o), st
}

// handlerApp is the app behind the last handler newHandler made.
var handlerApp *app.App

// demoNow is the tests' frozen clock: two weeks before the last day for
// requisitions.
var demoNow = time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm)

func get(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestRoutes(t *testing.T) {
	h, _ := newHandler(t, nil)
	const html, csv = "text/html; charset=utf-8", "text/csv; charset=utf-8"
	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		contentType string
		firstLine   string   // the body's first line, when set
		contains    []string // strings the body must contain
	}{
		{"index", "GET", "/", 200, html, "", []string{
			`<html lang="sv">`, "God och nära vård 2023", "6 394 500 000 kr", `href="/overenskommelser/gnv-2023"`}},
		{"agreement", "GET", "/overenskommelser/gnv-2023", 200, html, "", []string{
			"Staten genom Socialdepartementet", "222000-0315", "2023-01-27",
			"Hälsovård, sjukvård och social omsorg", "1:6", "Bidrag till folkhälsa och sjukvård",
			"anslagspost 39 Specialistsjuksköterskeutbildning",
			"2023-12-01", "Sista dag för rekvisition till Kammarkollegiet",
			"Regionerna", "Kommunerna via RSS", "Regioner och kommuner", "<td>SKR</td>",
			"2 089 000 000 kr efter befolkningsandel; 300 000 000 kr efter viktad landsbygdsnyckel",
			"50 % befolkningsandel och 50 % andel individer med kommunal hälso- och sjukvård",
			"grundbelopp 500 000 kr per mottagare, resten efter befolkningsandel",
			"Kammarkollegiet", "Socialstyrelsen",
			"Region Stockholm", "Kommunerna i Stockholms län",
			// Region Stockholm's computed total; Bilaga 3 prints 1 103 067 686,
			// 79 464 kr more in Nära vård, which the verification lists.
			`data-kr="1102988224">1 102 988 224<`,
			`data-kr="5043000000">5 043 000 000<`, // the regions' sum row
			`data-kr="1050000000">1 050 000 000<`, // the RSS sum row
			"/overenskommelser/gnv-2023/regioner.csv", "/overenskommelser/gnv-2023/kommuner.xlsx",
			"/overenskommelser/gnv-2023/landsbygd.csv",
			"VFU-satsningen, 250 000 000 kr", "2023-03-31",
			"22 avvikelser", `data-kr="79464">&#43;79 464<`, `data-kr="-114364">-114 364<`,
			"summerar till 299 999 998 kr men beloppet i överenskommelsen är 300 000 000 kr"}},
		{"regioner.csv", "GET", "/overenskommelser/gnv-2023/regioner.csv", 200, csv,
			"kod,nara_vard,vardens_medarbetare,vidareutbildning,karriartjanster,vision_ehalsa,ambulans,totalt",
			[]string{"\n01,491697353,463338948,92714147,23178537,14291229,17768010,1102988224\n"}},
		{"kommuner.csv", "GET", "/overenskommelser/gnv-2023/kommuner.csv", 200, csv,
			"kod,nara_vard,vardens_medarbetare,vidareutbildning,totalt", nil},
		{"landsbygd.csv", "GET", "/overenskommelser/gnv-2023/landsbygd.csv", 200, csv, "kod,belopp", nil},
		{"regioner.xlsx", "GET", "/overenskommelser/gnv-2023/regioner.xlsx", 200,
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "", []string{"PK"}},
		{"head", "HEAD", "/overenskommelser/gnv-2023", 200, html, "", nil},
		{"healthz", "GET", "/healthz", 200, "text/plain; charset=utf-8", "ok", nil},
		{"css", "GET", cssHref, 200, "text/css; charset=utf-8", "", []string{"tabular-nums"}},
		{"unknown agreement", "GET", "/overenskommelser/gnv-1999", 404, html, "", []string{"Sidan finns inte"}},
		{"unknown agreement download", "GET", "/overenskommelser/gnv-1999/regioner.csv", 404, html, "", []string{"Sidan finns inte"}},
		{"vfu is not downloadable", "GET", "/overenskommelser/gnv-2023/vfu.csv", 404, html, "", nil},
		{"unknown table", "GET", "/overenskommelser/gnv-2023/okand.csv", 404, html, "", nil},
		{"unknown format", "GET", "/overenskommelser/gnv-2023/regioner.pdf", 404, html, "", nil},
		{"no extension", "GET", "/overenskommelser/gnv-2023/regioner", 404, html, "", nil},
		{"unknown page", "GET", "/finns-inte", 404, html, "", []string{`<html lang="sv">`, "Sidan finns inte"}},
		{"deep unknown page", "GET", "/overenskommelser/gnv-2023/regioner.csv/x", 404, html, "", nil},
		{"no directory listing", "GET", "/static/", 404, html, "", nil},
		{"missing static file", "GET", "/static/finns-inte.css", 404, "", "", nil},
		{"list redirects", "GET", "/overenskommelser/", 303, "", "", nil},
		{"wrong method", "POST", "/", 405, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(h, tt.method, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%.500s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); tt.contentType != "" && ct != tt.contentType {
				t.Errorf("Content-Type %q, want %q", ct, tt.contentType)
			}
			body := rec.Body.String()
			if tt.firstLine != "" {
				if line, _, _ := strings.Cut(body, "\n"); line != tt.firstLine {
					t.Errorf("first line %q, want %q", line, tt.firstLine)
				}
			}
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	h, _ := newHandler(t, nil)
	for _, path := range []string{"/", "/overenskommelser/gnv-2023", "/finns-inte", "/healthz", "/overenskommelser/gnv-2023/regioner.csv"} {
		rec := get(h, "GET", path)
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		} {
			if got := rec.Header().Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
			t.Errorf("%s: Content-Security-Policy = %q", path, csp)
		}
	}
}

func TestDownloadFileNames(t *testing.T) {
	h, _ := newHandler(t, nil)
	for _, f := range []string{"regioner.csv", "kommuner.csv", "landsbygd.csv", "regioner.xlsx", "kommuner.xlsx", "landsbygd.xlsx"} {
		rec := get(h, "GET", "/overenskommelser/gnv-2023/"+f)
		want := `attachment; filename=gnv-2023-` + f
		if got := rec.Header().Get("Content-Disposition"); got != want {
			t.Errorf("%s: Content-Disposition %q, want %q", f, got, want)
		}
		if rec.Header().Get("Content-Length") == "" {
			t.Errorf("%s: no Content-Length", f)
		}
	}
}

func TestHealthzWithoutDatabase(t *testing.T) {
	h, st := newHandler(t, nil)
	st.Close()
	rec := get(h, "GET", "/healthz")
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d with a closed database, want 503", rec.Code)
	}
}

func TestServerErrorPage(t *testing.T) {
	rec := httptest.NewRecorder()
	writeServerError(rec)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Något gick fel") || !strings.Contains(rec.Body.String(), `lang="sv"`) {
		t.Errorf("500 page: %d %.300s", rec.Code, rec.Body)
	}
}

func TestPanicGivesErrorPage(t *testing.T) {
	var logs bytes.Buffer
	h := recoverPanics(slog.New(slog.NewTextHandler(&logs, nil)), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") }))
	rec := get(h, "GET", "/")
	if rec.Code != 500 || !strings.Contains(logs.String(), "bug") {
		t.Errorf("status %d, log %q", rec.Code, logs.String())
	}
}
