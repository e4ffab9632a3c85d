// Package web serves the product's HTML pages: server-rendered with
// html/template, styled by one embedded CSS file, no JavaScript. Handlers
// are short: parse the request, call the domain packages, render.
package web

import (
	"log/slog"
	"net/http"

	"narvard/internal/agreement"
	"narvard/internal/store"
)

// server holds what the handlers need.
type server struct {
	store      *store.Store
	agreements *agreement.Set
	log        *slog.Logger
}

// New returns the web app's handler: every page, the downloads, /healthz
// and the static files, wrapped in request logging and security headers.
func New(st *store.Store, agreements *agreement.Set, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &server{store: st, agreements: agreements, log: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /overenskommelser/{$}", redirectTo("/"))
	mux.HandleFunc("GET /overenskommelser/{id}", s.agreement)
	mux.HandleFunc("GET /overenskommelser/{id}/{file}", s.download)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.staticHandler())
	mux.HandleFunc("GET /", s.notFound)
	return logRequests(logger, recoverPanics(logger, securityHeaders(mux)))
}

func redirectTo(url string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, url, http.StatusSeeOther)
	}
}
