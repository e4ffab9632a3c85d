// Package mailtest is a real SMTP server on loopback for the tests
// (github.com/emersion/go-smtp): it keeps what arrives, decoded, and can
// refuse the first messages with a temporary error. Only tests import it.
package mailtest

import (
	"bytes"
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

	smtp "github.com/emersion/go-smtp"

	"narvard/internal/mail"
)

// Received is one mail as the server read it, decoded.
type Received struct {
	From, To, Subject, Body, MessageID string
}

// Server is a real SMTP server on loopback that keeps what arrives;
// it refuses the first fail messages with a temporary error.
type Server struct {
	mu     sync.Mutex
	got    []Received
	tries  int
	fail   int
	server *smtp.Server

	// Addr is the server's host:port.
	Addr string
}

// Start starts a server that refuses the first fail messages.
func Start(t testing.TB, fail int) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{fail: fail, Addr: l.Addr().String()}
	s.server = smtp.NewServer(s)
	s.server.Domain = "localhost"
	s.server.ReadTimeout, s.server.WriteTimeout = 10*time.Second, 10*time.Second
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
	return snd
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
func (s *Server) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

type session struct {
	s        *Server
	from, to string
}

func (x *session) Reset()        {}
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
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
