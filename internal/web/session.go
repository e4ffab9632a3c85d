package web

import (
	"context"
	"crypto/subtle"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/httpserve"
)

const (
	// maxForm bounds the body of a signed-in form that is not an upload.
	maxForm = 1 << 20

	sessionCookie = "narvard_session"
	loginCookie   = "narvard_login" // double-submit CSRF token for the sign-in form
)

// session is the signed-in user of a request.
type session struct {
	User  auth.User
	CSRF  string
	token string
}

// Actor is the user as the app's actor.
func (s *session) Actor() auth.Actor { return s.User.Actor() }

// Guide is the id of the help page for the user's role (/hjalp/{id}).
func (s *session) Guide() string { return guideFor(s.User) }

// menu is which of the header's links the signed-in user may follow.
type menu struct{ Worklist, Overview, FollowUp, Organisations, Users, Underlag, Mail, AuditLog bool }

// Menu asks the rules in grant which links to show.
func (s *session) Menu() menu {
	a := s.Actor()
	return menu{Worklist: grant.CanDecide(a) == nil, Overview: grant.CanReadAll(a) == nil, FollowUp: grant.CanFollowUp(a) == nil,
		Organisations: grant.CanManageOrganisations(a) == nil, Users: grant.CanListUsers(a) == nil, Underlag: seesDocRequests(a),
		Mail: grant.CanManageMail(a) == nil, AuditLog: grant.CanReadAuditLog(a) == nil}
}

type sessionKey struct{}

// withSession looks up the request's session cookie and puts the session,
// if there is a live one, in the request's context.
func (s *server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			if u, csrf, err := s.app.Session(r.Context(), c.Value); err == nil {
				r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &session{User: u, CSRF: csrf, token: c.Value}))
			}
		}
		next.ServeHTTP(w, r)
	})
}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// signedIn wraps a handler that needs a signed-in user: without one, it
// redirects to the sign-in page; a POST must carry the session's CSRF
// token.
func (s *server) signedIn(fn func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := sessionOf(r)
		if sess == nil {
			http.Redirect(w, r, "/logga-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), sess.CSRF) {
			s.forbidden(w, r, "Formuläret kunde inte tas emot (ogiltig säkerhetstoken). Ladda om sidan och försök igen.")
			return
		}
		fn(w, r, sess)
	}
}

// signedInUpload is signedIn for multipart forms that may carry large
// files. The body is not parsed as a whole: the form's first part must be
// the CSRF token, and it is checked before the handler reads on, part by
// part, from the reader it gets. Browsers send the fields in the form's
// order, so the hidden csrf input goes first. Once the token is checked,
// the upload may take longer than the server's usual timeouts.
func (s *server) signedInUpload(fn func(http.ResponseWriter, *http.Request, *session, *multipart.Reader)) http.HandlerFunc {
	return s.signedInUploadOf(maxUpload, fn)
}

// signedInUploadOf is signedInUpload for a body of at most limit bytes.
func (s *server) signedInUploadOf(limit int64, fn func(http.ResponseWriter, *http.Request, *session, *multipart.Reader)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := sessionOf(r)
		if sess == nil {
			http.Redirect(w, r, "/logga-in", http.StatusSeeOther)
			return
		}
		body := &idleBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit), rc: http.NewResponseController(w), idle: s.uploadIdle}
		r.Body = body
		mr, err := r.MultipartReader()
		if err != nil {
			s.render(w, r, http.StatusBadRequest, "message.html", "Det gick inte", messageView{Heading: "Det gick inte", Text: "Filerna kunde inte tas emot: " + err.Error()})
			return
		}
		token := ""
		if p, err := mr.NextPart(); err == nil && p.FormName() == "csrf" {
			b, _ := io.ReadAll(io.LimitReader(p, 256))
			token = string(b)
		}
		if !sameToken(token, sess.CSRF) {
			s.forbidden(w, r, "Formuläret kunde inte tas emot (ogiltig säkerhetstoken). Ladda om sidan och försök igen.")
			return
		}
		// Only now may the upload outlast the server's timeouts (where the
		// writer cannot extend them, they stay), as long as something
		// arrives at least every s.uploadIdle.
		body.until = time.Now().Add(uploadTimeout)
		body.rc.SetWriteDeadline(body.until)
		fn(w, r, sess, mr)
	}
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: httpserve.Secure(r), SameSite: http.SameSiteLaxMode})
}

// localPath keeps a redirect target on this site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/start"
	}
	return next
}

// rehearsal describes the frozen clock, or "" when time runs.
func (s *server) rehearsal() string {
	f, ok := s.app.Clock.(*clock.Frozen)
	if !ok {
		return ""
	}
	return f.Now().In(clock.Stockholm).Format(time.DateOnly + " 15:04")
}
