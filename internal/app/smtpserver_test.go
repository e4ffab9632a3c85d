package app

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"

	narvardmail "narvard/internal/mail"
)

// received is one mail as the test server read it, decoded.
type received struct {
	From, To, Subject, Body, MessageID string
}

// smtpServer is a real SMTP server on loopback that keeps what arrives;
// it refuses the first fail messages with a temporary error.
type smtpServer struct {
	mu     sync.Mutex
	got    []received
	tries  int
	fail   int
	addr   string
	server *smtp.Server
}

func startSMTP(t *testing.T, fail int) *smtpServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{fail: fail, addr: l.Addr().String()}
	s.server = smtp.NewServer(s)
	s.server.Domain = "localhost"
	s.server.ReadTimeout, s.server.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = s.server.Serve(l) }()
	t.Cleanup(func() { _ = s.server.Close() })
	return s
}

// sender returns the product's SMTP sender pointed at the server.
func (s *smtpServer) sender(t *testing.T) narvardmail.Sender {
	t.Helper()
	snd, err := narvardmail.ParseURL("smtp://" + s.addr + "?from=narvard@example.se")
	if err != nil {
		t.Fatal(err)
	}
	return snd
}

func (s *smtpServer) mails() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

type smtpSession struct {
	s        *smtpServer
	from, to string
}

func (x *smtpSession) Reset()        {}
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
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
func decode(raw []byte) (received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return received{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return received{}, err
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(msg.Body)
	case "base64":
		body = base64Reader(msg.Body)
	}
	b, err := io.ReadAll(body)
	return received{Subject: subject, Body: strings.ReplaceAll(string(b), "\r\n", "\n"), MessageID: msg.Header.Get("Message-Id")}, err
}

func base64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, r)
}
