package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/store"
)

// openStore opens PostgreSQL when dbURL is given, else the SQLite
// database in the data directory.
func openStore(ctx context.Context, dir, dbURL string) (*store.Store, error) {
	if dbURL != "" {
		return store.OpenPostgres(ctx, dbURL)
	}
	if dir == "" {
		return nil, fmt.Errorf("%w: --data (eller --db) krävs", errUsage)
	}
	return store.Open(dir)
}

// openApp opens the database and the app over it with the real clock.
func openApp(ctx context.Context, dir, dbURL string, log *slog.Logger) (*app.App, func(), error) {
	s, err := openStore(ctx, dir, dbURL)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.New(ctx, s, agreement.Builtin(), clock.System{}, log)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return a, func() { s.Close() }, nil
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: narvard user add --data DIR --email E --org ORG --role ROLL [--name NAMN] (lösenordet läses från standard in)", errUsage)
	}
	fs := newFlags("user add", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	email := fs.String("email", "", "e-postadress")
	orgID := fs.String("org", "", "organisationens id, t.ex. region-25, rss-01, skr, kammarkollegiet")
	role := fs.String("role", "", "roll: "+rolesList())
	name := fs.String("name", "", "namn (namnförtydligande)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" || *orgID == "" || *role == "" {
		return fmt.Errorf("%w: --email, --org och --role krävs", errUsage)
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, done, err := openApp(ctx, *dir, *dbURL, quietLog())
	if err != nil {
		return err
	}
	defer done()
	u, err := a.AddUser(ctx, *email, *name, *orgID, auth.Role(*role), password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Användaren %s (%s, %s) är skapad.\n", u.Email, u.Role, u.Org)
	return nil
}

// readPassword reads the password from the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("läs lösenord: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("%w: skriv lösenordet på standard in, t.ex. echo 'lösenord' | narvard user add …", errUsage)
	}
	return line, nil
}

func rolesList() string {
	var s []string
	for _, r := range auth.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func runToken(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("%w: narvard token create --data DIR --email E [--ttl 24h]", errUsage)
	}
	fs := newFlags("token create", stderr)
	dir := fs.String("data", "", "datakatalog")
	dbURL := fs.String("db", "", "PostgreSQL-databas (postgres://…) i stället för datakatalogens SQLite")
	email := fs.String("email", "", "användarens e-postadress")
	ttl := fs.Duration("ttl", 24*time.Hour, "giltighetstid")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: --email krävs", errUsage)
	}
	ctx := context.Background()
	a, done, err := openApp(ctx, *dir, *dbURL, quietLog())
	if err != nil {
		return err
	}
	defer done()
	token, err := a.CreateToken(ctx, *email, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}
