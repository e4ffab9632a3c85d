// Package mailtest is a real SMTP server on loopback for the tests
// (github.com/emersion/go-smtp): it keeps what arrives, decoded, and can
// refuse the first messages with a temporary error. Only tests import it.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"

	smtp "github.com/emersion/go-smtp"

	"narvard/internal/mail"
)

// Received is one mail as the server read it, decoded.
type Received struct {
	From, To, Subject, Body, MessageID string
	TLS                                bool // it came over TLS (STARTTLS)
}

// Server is a real SMTP server on loopback that keeps what arrives;
// it refuses the first fail messages with a temporary error.
type Server struct {
	mu     sync.Mutex
	auth   map[string]string // user → password the server takes; empty: none asked
	authed []string          // the users that authenticated
	got    []Received
	tries  int
	fail   int
	server *smtp.Server

	// Addr is the server's host:port.
	Addr string
	// CertFile is the PEM of the server's self-signed certificate when it
	// offers STARTTLS (StartTLS), to trust it (SSL_CERT_FILE).
	CertFile string
	roots    *x509.CertPool
}

// Start starts a server without TLS that refuses the first fail messages.
func Start(t testing.TB, fail int) *Server {
	t.Helper()
	return start(t, fail, false)
}

// StartTLS starts a server that offers STARTTLS with a self-signed
// certificate for 127.0.0.1.
func StartTLS(t testing.TB, fail int) *Server {
	t.Helper()
	return start(t, fail, true)
}

func start(t testing.TB, fail int, withTLS bool) *Server {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{fail: fail, Addr: l.Addr().String()}
	s.server = smtp.NewServer(s)
	s.server.Domain = "localhost"
	s.server.AllowInsecureAuth = !withTLS
	s.server.ReadTimeout, s.server.WriteTimeout = 10*time.Second, 10*time.Second
	if withTLS {
		s.server.TLSConfig, s.CertFile = selfSigned(t)
		s.roots = x509.NewCertPool()
		s.roots.AddCert(mustParse(s.server.TLSConfig.Certificates[0].Certificate[0]))
	}
	go func() { _ = s.server.Serve(l) }()
	t.Cleanup(func() { _ = s.server.Close() })
	return s
}

// Sender returns the product's SMTP sender pointed at the server.
func (s *Server) Sender(t testing.TB) mail.Sender {
	t.Helper()
	snd, err := mail.ParseURL("smtp://" + s.Addr + "?from=narvard@example.se")
	if err != nil {
		t.Fatal(err)
	}
	if s.roots != nil {
		snd.TLS = &tls.Config{RootCAs: s.roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	}
	return snd
}

// RequireAuth makes the server ask for the user and password (PLAIN).
func (s *Server) RequireAuth(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth = map[string]string{user: password}
}

// Authenticated returns the users that signed in.
func (s *Server) Authenticated() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.authed...)
}

// Tries is how many messages were offered, refused ones included.
func (s *Server) Tries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

// Mails returns what arrived, in order.
func (s *Server) Mails() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// NewSession is go-smtp's backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, c: c}, nil }

func mustParse(der []byte) *x509.Certificate {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
}

type session struct {
	s        *Server
	c        *smtp.Conn
	from, to string
	authed   bool
}

func (x *session) Reset()        {}
func (x *session) Logout() error { return nil }

// AuthMechanisms offers PLAIN when the server asks for a password.
func (x *session) AuthMechanisms() []string {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if len(x.s.auth) == 0 {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks the user and password.
func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		x.s.mu.Lock()
		defer x.s.mu.Unlock()
		if want, ok := x.s.auth[user]; !ok || want != password {
			return smtp.ErrAuthFailed
		}
		x.s.authed = append(x.s.authed, user)
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if len(x.s.auth) > 0 && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.tries++
	if x.s.tries <= x.s.fail {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "prova senare"}
	}
	m, err := decode(raw)
	if err != nil {
		return err
	}
	m.From, m.To = x.from, x.to
	_, m.TLS = x.c.TLSConnectionState()
	x.s.got = append(x.s.got, m)
	return nil
}

// decode reads a mail's subject (RFC 2047) and body (quoted-printable or
// base64 as the header says) with the standard library.
func decode(raw []byte) (Received, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Received{}, err
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(msg.Body)
	case "base64":
		body = base64Reader(msg.Body)
	}
	b, err := io.ReadAll(body)
	return Received{Subject: subject, Body: strings.ReplaceAll(string(b), "\r\n", "\n"), MessageID: msg.Header.Get("Message-Id")}, err
}

func base64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, r)
}
