package httpserve

import (
	"log/slog"
	"net/http"
)

// Recover turns a panic in a handler into a logged error and a plain 500
// answer instead of a dropped connection. Panics are bugs; input never
// causes one by design. The web pages have their own, which renders the
// error page; this one guards everything else.
func Recover(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				http.Error(w, "Något gick fel. Försök igen om en stund.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
