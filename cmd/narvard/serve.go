package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/api"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/demo"
	"narvard/internal/httpserve"
	"narvard/internal/mail"
	"narvard/internal/web"
)

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "adress att lyssna på")
	dir := fs.String("data", "", "datakatalog (standard: ./data, eller en ny tillfällig katalog med --demo)")
	withDemo := fs.Bool("demo", false, "fyll databasen med demoanvändare och demorekvisitioner, klockan i övningsläge vid "+demo.Now)
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	now := fs.String("now", "", "frys serverns klocka vid tidpunkten, t.ex. "+demo.Now+" (övningsläge)")
	followupDir := fs.String("uppfoljning-dir", "", "katalog på servern med en undermapp per uttag (listings och visits som .csv eller .parquet, clinicians valfri) som uppföljningssidan kan räkna på utan uppladdning")
	tlsCert := fs.String("tls-cert", "", "certifikatfil (PEM) för att servera HTTPS direkt; kräver --tls-key")
	tlsKey := fs.String("tls-key", "", "nyckelfil (PEM) till --tls-cert")
	trustProxy := fs.Bool("trust-proxy", false, "servern står bakom en proxy som avslutar TLS: tro på dess X-Forwarded-For och X-Forwarded-Proto (annars aldrig)")
	keyFile := fs.String("key-file", "", "serverns hemliga nyckel för inloggningsformulären (standard: signin.key i datakatalogen, skapas med läsrätt bara för ägaren)")
	hashes := fs.Int("signin-hashes", app.DefaultHashes, "hur många lösenord som kontrolleras samtidigt (64 MiB vardera)")
	hashWait := fs.Duration("signin-wait", app.DefaultHashWait, "hur länge en inloggning väntar på sin tur innan servern svarar 503")
	smtpURL := fs.String("smtp", "", "skicka e-post via SMTP-servern smtp://användare:lösenord@värd:port (STARTTLS när servern erbjuder det; utan flaggan: miljövariabeln NARVARD_SMTP, som inte syns i processlistan) eller smtps://… (TLS direkt); ?from=adress anger avsändaren")
	baseURL := fs.String("base-url", app.DefaultBaseURL, "webbappens adress utifrån, för länkarna i e-posten")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sender, err := mailSender(*smtpURL)
	if err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fmt.Errorf("%w: --tls-cert och --tls-key anges tillsammans", errUsage)
	}
	if *hashes < 1 || *hashWait < 0 {
		return fmt.Errorf("%w: --signin-hashes måste vara minst 1 och --signin-wait får inte vara negativ", errUsage)
	}
	c, err := serverClock(*now, *withDemo)
	if err != nil {
		return err
	}
	if *followupDir != "" {
		if *followupDir, err = followupFolder(*followupDir); err != nil {
			return err
		}
	}
	if *dir == "" {
		*dir = "data"
		if *withDemo {
			if *dir, err = os.MkdirTemp("", "narvard-demo-"); err != nil {
				return err
			}
		}
	}
	if *keyFile == "" {
		if err := os.MkdirAll(*dir, 0o700); err != nil {
			return err
		}
		*keyFile = filepath.Join(*dir, "signin.key")
	}
	key, err := auth.LoadKey(*keyFile)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, *dir, *dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := app.New(ctx, st, agreement.Builtin(), c, log)
	if err != nil {
		return err
	}
	a.LimitHashing(*hashes, *hashWait)
	a.BaseURL = *baseURL
	if *withDemo {
		if err := demo.Seed(ctx, a); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("lyssna på %s: %w", *addr, err)
	}
	where := *dir
	if *dbURL != "" {
		where = st.Path()
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	printWelcome(stdout, scheme, ln.Addr().String(), where, c, *withDemo)
	if n := web.RemoveLeftoverUploads(log); n > 0 {
		log.Info("kvarlämnade uppladdningar borttagna", "antal", n)
	}
	mailDone := startMail(ctx, a, sender, log)
	h := httpserve.Transport(*trustProxy, routes(a, log, web.Options{FollowUpDir: *followupDir, Key: key}))
	err = httpserve.ServeListenerTLS(ctx, ln, h, log, *tlsCert, *tlsKey)
	stopFollowUps(a, log)
	stop()
	<-mailDone
	return err
}

// mailSender reads --smtp, or without it NARVARD_SMTP (kept out of the
// flag's default, which -h would print); nil if neither is given.
func mailSender(raw string) (*mail.SMTP, error) {
	raw = cmp.Or(raw, os.Getenv("NARVARD_SMTP"))
	if raw == "" {
		return nil, nil
	}
	s, err := mail.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return s, nil
}

// startMail runs the mail loop (reminders once a day, the outbox every
// half minute) until ctx ends; the channel closes when it has stopped.
func startMail(ctx context.Context, a *app.App, s *mail.SMTP, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if s == nil {
		close(done)
		return done
	}
	log.Info("e-post", "server", s.String())
	go func() {
		defer close(done)
		a.RunMail(ctx, s, 30*time.Second)
	}()
	return done
}

// stopFollowUps cancels the follow-up jobs still running when the server
// stops, and waits a little for them to remove their files.
func stopFollowUps(a *app.App, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.FollowUps.Shutdown(ctx); err != nil {
		log.Warn("uppföljningsberäkningar hann inte avbrytas", "err", err)
	}
}

// routes serves the JSON API under /api/ and the web pages beside it,
// every request logged.
func routes(a *app.App, log *slog.Logger, o web.Options) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(a, log))
	mux.Handle("/", web.New(a, log, o))
	return httpserve.LogRequests(log, mux)
}

// followupFolder checks that --uppfoljning-dir is a readable directory and
// returns its absolute path.
func followupFolder(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: --uppfoljning-dir %s finns inte", errUsage, dir)
	}
	if err != nil {
		return "", fmt.Errorf("--uppfoljning-dir: %w", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%w: --uppfoljning-dir %s är ingen katalog", errUsage, dir)
	}
	if _, err := os.ReadDir(abs); err != nil {
		return "", fmt.Errorf("--uppfoljning-dir: %w", err)
	}
	return abs, nil
}

// serverClock is the frozen clock --now asks for, the demo's frozen clock,
// or the real one.
func serverClock(now string, withDemo bool) (clock.Clock, error) {
	if now == "" && withDemo {
		now = demo.Now
	}
	if now == "" {
		return clock.System{}, nil
	}
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		return nil, fmt.Errorf("%w: --now %q: ange tiden som %s", errUsage, now, demo.Now)
	}
	return clock.NewFrozen(t), nil
}

// dateMinute formats a moment as date, hour and minute.
const dateMinute = time.DateOnly + " 15:04"

func printWelcome(w io.Writer, scheme, addr, dir string, c clock.Clock, withDemo bool) {
	fmt.Fprintf(w, "narvard kör på %s://%s/ (data i %s)\n", scheme, addr, dir)
	if f, ok := c.(*clock.Frozen); ok {
		fmt.Fprintf(w, "Övningsläge: klockan står still på %s (Europe/Stockholm).\n", f.Now().In(clock.Stockholm).Format(dateMinute))
	}
	if !withDemo {
		return
	}
	fmt.Fprintf(w, "\nDemoanvändare (lösenord för alla: %s):\n", demo.Password)
	for _, l := range demo.Logins {
		fmt.Fprintf(w, "  %-38s %-18s %s\n", l.Email, l.Role, l.Org)
	}
	fmt.Fprintf(w, "\nAPI-token: go run ./cmd/narvard token create --data %s --email utbetalare@kammarkollegiet.demo\n", dir)
	fmt.Fprintf(w, "Behåll arbetet: starta med --data KATALOG (samma katalog nästa gång); flytta klockan med --now, t.ex. --now 2024-03-15T10:00:00+01:00.\n")
}
