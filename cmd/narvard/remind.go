package main

import (
	"context"
	"fmt"
	"io"

	"narvard/internal/app"
	"narvard/internal/demo"
)

// runRemind is "narvard remind": the day's reminders and digests written
// to the outbox once (again the same day writes nothing), and with
// --smtp the outbox sent.
func runRemind(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("remind", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	smtpURL := fs.String("smtp", "", "skicka det som väntar via SMTP-servern smtp://användare:lösenord@värd:port (STARTTLS när servern erbjuder det; utan flaggan: miljövariabeln NARVARD_SMTP, som inte syns i processlistan) eller smtps://…")
	baseURL := fs.String("base-url", app.DefaultBaseURL, "webbappens adress, för länkarna i e-posten")
	now := fs.String("now", "", "räkna som om klockan vore tidpunkten, t.ex. "+demo.Now+" (övningsläge, som serve --now)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" && *dbURL == "" {
		return fmt.Errorf("%w: ange --data DIR eller --db URL", errUsage)
	}
	c, err := serverClock(*now, false)
	if err != nil {
		return err
	}
	sender, err := mailSender(*smtpURL)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, done, err := openApp(ctx, *dir, *dbURL, quietLog())
	if err != nil {
		return err
	}
	defer done()
	a.BaseURL, a.Clock = *baseURL, c
	n, err := a.Remind(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d nya e-brev i utkorgen\n", n)
	if sender == nil {
		return nil
	}
	sent, err := a.DrainOutbox(ctx, sender)
	fmt.Fprintf(stdout, "%d skickade via %s\n", sent, sender)
	return err
}
