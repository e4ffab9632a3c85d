// Package web serves the product's HTML pages: server-rendered with
// html/template, styled by one embedded CSS file, no JavaScript. Handlers
// are short: parse the request, call the app, render. It also mounts the
// JSON API under /api/.
package web

import (
	"log/slog"
	"net/http"

	"narvard/internal/agreement"
	"narvard/internal/api"
	"narvard/internal/app"
	"narvard/internal/followup"
	"narvard/internal/store"
)

// server holds what the handlers need.
type server struct {
	app         *app.App
	store       *store.Store
	agreements  *agreement.Set
	log         *slog.Logger
	followups   jobs        // the latest follow-up jobs, running or done
	followupDir string      // Options.FollowUpDir
	compute     computeFunc // followup.Compute, or a stand-in in tests
}

// Options are the web app's settings beyond the app itself.
type Options struct {
	// FollowUpDir, if set, is a folder on the server whose subfolders hold
	// follow-up extracts (listings and visits, CSV or Parquet, clinicians
	// optional); the follow-up page offers them so that large files need
	// not be uploaded.
	FollowUpDir string

	compute computeFunc // for tests: instead of followup.Compute
}

// New returns the web app's handler: every page, the downloads, the JSON
// API under /api/, /healthz and the static files, wrapped in request
// logging and security headers.
func New(a *app.App, logger *slog.Logger, o Options) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &server{app: a, store: a.Store, agreements: a.Agreements, log: logger, followupDir: o.FollowUpDir, compute: o.compute}
	if s.compute == nil {
		s.compute = followup.Compute
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /overenskommelser/{$}", redirectTo("/"))
	mux.HandleFunc("GET /overenskommelser/{id}", s.agreement)
	mux.HandleFunc("GET /overenskommelser/{id}/{file}", s.download)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.staticHandler())
	apiHandler := api.New(a, logger)
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		mux.Handle(m+" /api/", apiHandler)
	}
	s.grantRoutes(mux)
	mux.HandleFunc("GET /", s.notFound)
	return logRequests(logger, recoverPanics(logger, securityHeaders(s.withSession(mux))))
}

func redirectTo(url string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, url, http.StatusSeeOther)
	}
}
