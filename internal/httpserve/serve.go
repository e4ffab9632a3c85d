// Package httpserve runs the product's HTTP server: the listener with its
// timeouts and graceful shutdown, the request log and the security headers
// every response carries. The routes are wired in cmd/narvard: the JSON API
// (internal/api) and the web pages (internal/web) side by side.
package httpserve

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// shutdownTimeout is how long requests under way may take to finish once
// the server is asked to stop.
const shutdownTimeout = 10 * time.Second

// Serve listens on addr (such as "127.0.0.1:8080") and serves h until ctx
// is cancelled, then shuts down gracefully. It returns nil after a clean
// shutdown.
func Serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("lyssna på %s: %w", addr, err)
	}
	return ServeListener(ctx, ln, h, logger)
}

// ServeListener serves h on ln until ctx is cancelled, then shuts down
// gracefully: it stops accepting, lets requests under way finish for up to
// ten seconds, and closes ln.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	return ServeListenerTLS(ctx, ln, h, logger, "", "")
}

// ServeListenerTLS is ServeListener over TLS with the certificate and key
// files (PEM), or plain HTTP when both are empty.
func ServeListenerTLS(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, certFile, keyFile string) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	scheme := "http://"
	if certFile != "" || keyFile != "" {
		scheme = "https://"
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		go func() { errc <- srv.ServeTLS(ln, certFile, keyFile) }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	logger.Info("webbservern startad", slog.String("addr", scheme+ln.Addr().String()))
	select {
	case err := <-errc:
		return fmt.Errorf("webbservern: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("webbservern: stänga: %w", err)
	}
	logger.Info("webbservern stoppad")
	return nil
}
