package main

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"narvard/internal/mail/mailtest"
)

// lockedBuffer is a buffer the server's output is written to while the
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeSendsMail: `serve --demo --smtp smtp://user:pass@…` takes the
// STARTTLS the mail server offers, signs in with the password over it and
// sends the demo's mails from the outbox, with links under --base-url; its
// log never shows the password; on SIGTERM it stops (the mail loop with
// it) and exits 0.
func TestServeSendsMail(t *testing.T) {
	bin := buildNarvard(t)
	srv := mailtest.StartTLS(t, 0)
	srv.RequireAuth("narvard", "hemligt-lösen-123")
	addr := freeAddr(t)
	var out lockedBuffer
	cmd := exec.Command(bin, "serve", "--demo", "--data", t.TempDir(), "--addr", addr,
		"--smtp", "smtp://narvard:hemligt-l%C3%B6sen-123@"+srv.Addr+"?from=narvard@example.se", "--base-url", "https://narvard.example.se")
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+srv.CertFile) // trust the test server's certificate
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(60 * time.Second)
	for len(srv.Mails()) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v\n%s", err, out.String())
	}
	resp.Body.Close()
	mails := srv.Mails()
	if len(mails) == 0 || !slices.Contains(srv.Authenticated(), "narvard") {
		t.Fatalf("%d mails, authenticated %v\n%s", len(mails), srv.Authenticated(), out.String())
	}
	for _, m := range mails {
		if m.From != "narvard@example.se" || !m.TLS || !strings.Contains(m.Body, "https://narvard.example.se/") {
			t.Errorf("mail to %s from %s (TLS %v):\n%s", m.To, m.From, m.TLS, m.Body)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop\n%s", out.String())
	}
	log := out.String()
	if strings.Contains(log, "hemligt") || strings.Contains(log, "hemligt-l%C3%B6sen") || !strings.Contains(log, srv.Addr) {
		t.Errorf("the log shows the password or not the server:\n%s", log)
	}
}
