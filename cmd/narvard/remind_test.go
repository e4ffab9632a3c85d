package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"narvard/internal/clock"
	"narvard/internal/demo"
	"narvard/internal/mail/mailtest"
)

// TestRemind: on the demo's data, two weeks before the financial report's
// deadline, `narvard remind --smtp` writes the reminders of the
// recipients that were paid and have not begun their report and sends
// them (with the demo's own event mails, still in the outbox); run again
// it writes and sends nothing.
func TestRemind(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, done, err := openApp(ctx, dir, "", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	at, _ := time.Parse(time.RFC3339, demo.Now)
	a.Clock = clock.NewFrozen(at)
	err = demo.Seed(ctx, a)
	done()
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, 0)
	args := []string{"remind", "--data", dir, "--now", "2024-03-17T09:00:00+01:00", "--base-url", "https://narvard.example.se",
		"--smtp", "smtp://" + srv.Addr + "?from=narvard@example.se"}
	code, out, errOut := runCLI(t, args...)
	if code != 0 || !strings.Contains(out, "nya e-brev") {
		t.Fatalf("remind: %d\n%s\n%s", code, out, errOut)
	}
	first := srv.Mails()
	reminded := map[string]int{}
	for _, m := range first {
		if !strings.Contains(m.Subject, "ska vara inne om 14 dagar") {
			continue
		}
		reminded[m.To]++
		if !strings.Contains(m.Body, "ska vara inne senast 2024-03-31 och är inte påbörjad") ||
			!strings.Contains(m.Body, "https://narvard.example.se/redovisningar/ny?agreement=gnv-2023") {
			t.Errorf("reminder to %s: %s\n%s", m.To, m.Subject, m.Body)
		}
	}
	if len(reminded) == 0 {
		t.Fatalf("no reminders among %d mails:\n%s", len(first), out)
	}
	for to, n := range reminded {
		if n != 1 {
			t.Errorf("%s reminded %d times", to, n)
		}
	}
	code, out, errOut = runCLI(t, args...)
	if code != 0 || !strings.Contains(out, "0 nya e-brev") || !strings.Contains(out, "0 skickade") || len(srv.Mails()) != len(first) {
		t.Errorf("again: %d, %d mails\n%s\n%s", code, len(srv.Mails()), out, errOut)
	}
	if code, _, errOut := runCLI(t, "remind", "--data", dir, "--smtp", "http://x"); code != 2 || strings.Contains(errOut, "panic") {
		t.Errorf("a wrong --smtp: %d\n%s", code, errOut)
	}
}

// TestSMTPFromTheEnvironment: without --smtp, NARVARD_SMTP names the mail
// server, and a wrong one is a usage error that does not repeat it.
func TestSMTPFromTheEnvironment(t *testing.T) {
	t.Setenv("NARVARD_SMTP", "smtp://u:hemligt@mail.example.se:2525")
	s, err := mailSender("")
	if err != nil || s == nil || s.String() != "smtp://mail.example.se:2525" {
		t.Errorf("from the environment: %v, %v", s, err)
	}
	if s, err := mailSender("smtps://mail.example.se"); err != nil || s.String() != "smtps://mail.example.se:465" {
		t.Errorf("the flag wins: %v, %v", s, err)
	}
	t.Setenv("NARVARD_SMTP", "ftp://u:hemligt@mail.example.se")
	if code, _, errOut := runCLI(t, "remind", "--data", t.TempDir()); code != 2 || strings.Contains(errOut, "hemligt") {
		t.Errorf("a wrong NARVARD_SMTP: %d\n%s", code, errOut)
	}
}
