package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender hands one mail to a mail server.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through an SMTP server named by a URL:
// smtp://user:pass@host:port uses STARTTLS when the server offers it,
// smtps://… TLS from the first byte; ?from=address sets the sender.
type SMTP struct {
	host, user, pass, from string
	port                   int
	implicitTLS            bool
	// TLS is the TLS configuration (nil: the system's roots, the host's name).
	TLS *tls.Config
}

// ParseURL reads the --smtp flag. Its error never repeats the password.
func ParseURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--smtp: ogiltig adress (smtp://användare:lösenord@värd:port)")
	}
	s := &SMTP{host: u.Hostname(), from: u.Query().Get("from")}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicitTLS = 465, true
	default:
		return nil, fmt.Errorf("--smtp: schemat ska vara smtp:// eller smtps://, inte %q", u.Scheme)
	}
	if s.host == "" {
		return nil, fmt.Errorf("--smtp: värd saknas")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port <= 0 || s.port > 65535 {
			return nil, fmt.Errorf("--smtp: porten %q är inte ett portnummer", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.from == "" {
		s.from = "narvard@" + s.host
	}
	return s, nil
}

// String names the server without the password, for the log.
func (s *SMTP) String() string {
	scheme := "smtp"
	if s.implicitTLS {
		scheme = "smtps"
	}
	return fmt.Sprintf("%s://%s:%d", scheme, s.host, s.port)
}

func (s *SMTP) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(30 * time.Second),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	if s.implicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if s.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLS))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	return opts
}

// Send sends one mail, plain text in UTF-8, with a Message-ID derived from
// its outbox key (so a receiver can see a repeat as the same mail).
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("avsändaren %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mottagaren: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	msg.SetDate()
	sum := sha256.Sum256([]byte(m.Key))
	msg.SetMessageIDWithValue(hex.EncodeToString(sum[:16]) + "@narvard")
	c, err := gomail.NewClient(s.host, s.options()...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
