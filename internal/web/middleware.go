package web

import (
	"log/slog"
	"net/http"
)

// recoverPanics turns a panic in a handler into a logged error and a 500
// page instead of a dropped connection. Panics are bugs; input never
// causes one by design.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				writeServerError(w)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
