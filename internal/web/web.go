// Package web serves the product's HTML pages: server-rendered with
// html/template, styled by one embedded CSS file, no JavaScript. Handlers
// are short: parse the request, call the app, render. The JSON API is
// served beside it (internal/api), wired in cmd/narvard.
package web

import (
	"cmp"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/httpserve"
)

// server holds what the handlers need.
type server struct {
	app         *app.App
	agreements  *agreement.Set
	log         *slog.Logger
	followups   *app.FollowUps // the app's, or the tests' own
	followupDir string         // Options.FollowUpDir
	uploadIdle  time.Duration  // uploadIdle, or shorter in tests
	key         []byte         // Options.Key, or a random one
}

// Options are the web app's settings beyond the app itself.
type Options struct {
	// FollowUpDir, if set, is a folder on the server whose subfolders hold
	// follow-up extracts (listings and visits, CSV or Parquet, clinicians
	// optional); the follow-up page offers them so that large files need
	// not be uploaded.
	FollowUpDir string

	// Key is the server's secret for the sign-in form's CSRF tokens (an
	// HMAC key kept outside the database, see auth.LoadKey). Without one,
	// a random key is made: forms then do not outlive the process.
	Key []byte

	compute    app.ComputeFunc // for tests: instead of followup.Compute
	uploadIdle time.Duration   // for tests: instead of uploadIdle
}

// New returns the web app's handler: every page, the downloads, /healthz
// and the static files, with the security headers and an error page for
// panics. Requests are logged by httpserve.LogRequests around it.
func New(a *app.App, logger *slog.Logger, o Options) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &server{app: a, agreements: a.Agreements, log: logger, followupDir: o.FollowUpDir, followups: a.FollowUps}
	if o.compute != nil {
		s.followups = a.NewFollowUps(o.compute, logger)
	}
	s.uploadIdle = cmp.Or(o.uploadIdle, uploadIdle)
	if s.key = o.Key; len(s.key) == 0 {
		s.key = []byte(auth.NewToken())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /overenskommelser/{$}", redirectTo("/"))
	mux.HandleFunc("GET /overenskommelser/{id}", s.agreement)
	mux.HandleFunc("GET /overenskommelser/{id}/{file}", s.download)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /hjalp", s.help)
	mux.HandleFunc("GET /hjalp/{roll}", s.help)
	mux.Handle("GET /static/", s.staticHandler())
	mux.HandleFunc("GET /favicon.ico", redirectTo(faviconHref)) // browsers ask for it whatever the page says
	s.grantRoutes(mux)
	s.adminRoutes(mux)
	s.auditRoutes(mux)
	s.accountRoutes(mux)
	s.calendarRoutes(mux)
	s.onwardRoutes(mux)
	mux.HandleFunc("GET /", s.notFound)
	return httpserve.SecurityHeaders(noStore(recoverPanics(logger, s.withSession(mux))))
}

func redirectTo(url string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, url, http.StatusSeeOther)
	}
}

// noStore keeps every page, document and download out of caches (they may
// show a signed-in user's data, or carry a form's token); only the static
// files asked for with their content hash may be cached.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}
