package web

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/httpserve"
)

const (
	// maxSignInBody bounds the sign-in form's body: a token, an e-mail, a
	// password and a path fit in far less.
	maxSignInBody = 4 << 10
	// signInTokenTTL is how long a sign-in form stays valid.
	signInTokenTTL = 2 * time.Hour
)

type loginView struct {
	Email, Next, CSRF, Error string
}

// signInToken is the sign-in form's CSRF token: when it was made, a random
// nonce and an HMAC of both under the server's key, so only this server
// makes valid ones. It is also set as a cookie (double submit).
func (s *server) signInToken(now time.Time) string {
	head := strconv.FormatInt(now.Unix(), 36) + "." + auth.NewToken()
	return head + "." + s.mac(head)
}

func (s *server) mac(head string) string {
	m := hmac.New(sha256.New, s.key)
	io.WriteString(m, "narvard sign-in\x00"+head)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validSignInToken checks the token's HMAC and age.
func (s *server) validSignInToken(token string, now time.Time) bool {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 200 || !hmac.Equal([]byte(token[i+1:]), []byte(s.mac(token[:i]))) {
		return false
	}
	ts, _, _ := strings.Cut(token, ".")
	sec, err := strconv.ParseInt(ts, 36, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(sec, 0))
	return age >= -time.Minute && age < signInTokenTTL
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	token := s.signInToken(s.app.Timer.Now())
	setCookie(w, r, loginCookie, token, int(signInTokenTTL/time.Second))
	s.render(w, r, http.StatusOK, "login.html", "Logga in", loginView{Next: localPath(r.URL.Query().Get("next")), CSRF: token})
}

var errSignInForm = errors.New("Inloggningen kunde inte tas emot (ogiltig säkerhetstoken). Ladda om sidan och försök igen.")

// readSignInForm reads the sign-in form: at most maxSignInBody bytes, URL
// encoded, its first field the CSRF token. The token is checked, against
// the server's key and the cookie, before the rest of the body is read.
func (s *server) readSignInForm(w http.ResponseWriter, r *http.Request) (url.Values, int, error) {
	if r.ContentLength > maxSignInBody {
		return nil, http.StatusRequestEntityTooLarge, errors.New("Inloggningen är för stor.")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil, http.StatusUnsupportedMediaType, errors.New("Inloggningen ska skickas som ett formulär.")
	}
	body := bufio.NewReaderSize(http.MaxBytesReader(w, r.Body, maxSignInBody), 512)
	first, err := body.ReadSlice('&')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, http.StatusForbidden, errSignInForm // no field within the buffer, or the body broke off
	}
	name, value, _ := strings.Cut(strings.TrimSuffix(string(first), "&"), "=")
	token, uerr := url.QueryUnescape(value)
	c, cerr := r.Cookie(loginCookie)
	if name != "csrf" || uerr != nil || cerr != nil || !sameToken(token, c.Value) || !s.validSignInToken(token, s.app.Timer.Now()) {
		return nil, http.StatusForbidden, errSignInForm
	}
	rest, err := io.ReadAll(body)
	if err != nil {
		return nil, http.StatusRequestEntityTooLarge, errors.New("Inloggningen är för stor.")
	}
	form, err := url.ParseQuery(string(rest))
	if err != nil {
		return nil, http.StatusBadRequest, errors.New("Inloggningen kunde inte läsas.")
	}
	form.Set("csrf", token)
	return form, 0, nil
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	form, status, err := s.readSignInForm(w, r)
	if err != nil {
		w.Header().Set("Connection", "close")
		if status == http.StatusForbidden {
			s.forbidden(w, r, err.Error())
			return
		}
		s.render(w, r, status, "message.html", "Det gick inte", messageView{Heading: "Det gick inte", Text: err.Error()})
		return
	}
	email, next := form.Get("email"), localPath(form.Get("next"))
	u, err := s.app.Authenticate(r.Context(), email, form.Get("password"), httpserve.ClientAddr(r))
	if err != nil {
		status := http.StatusUnauthorized
		switch fault.CodeOf(err) {
		case fault.Unauthenticated:
		case fault.Forbidden: // the password is right, but the role does not fit the organisation
			status = http.StatusForbidden
		case fault.TooMany:
			status = http.StatusTooManyRequests
		case fault.Unavailable:
			status = http.StatusServiceUnavailable
		default:
			s.serverError(w, r, err)
			return
		}
		if n := fault.RetryAfterOf(err); n > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(n))
		}
		if len(email) > 254 {
			email = ""
		}
		token := s.signInToken(s.app.Timer.Now())
		setCookie(w, r, loginCookie, token, int(signInTokenTTL/time.Second))
		s.render(w, r, status, "login.html", "Logga in", loginView{Email: email, Next: next, CSRF: token, Error: err.Error()})
		return
	}
	token, _, err := s.app.NewSession(r.Context(), u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	setCookie(w, r, loginCookie, "", -1)
	setCookie(w, r, sessionCookie, token, 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.app.EndSession(r.Context(), sess.token); err != nil {
		s.serverError(w, r, err)
		return
	}
	setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// forbidden renders the 403 page with a message.
func (s *server) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusForbidden, "message.html", "Åtkomst nekad", messageView{Heading: "Åtkomst nekad", Text: msg})
}

type messageView struct {
	Heading, Text string
}
