package web

import (
	"net/http"

	"narvard/internal/auth"
	"narvard/internal/fault"
)

type loginView struct {
	Email, Next, CSRF, Error string
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	token := auth.NewToken()
	setCookie(w, r, loginCookie, token, 3600)
	s.render(w, r, http.StatusOK, "login.html", "Logga in", loginView{Next: localPath(r.URL.Query().Get("next")), CSRF: token})
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		s.forbidden(w, r, "Inloggningen kunde inte tas emot (ogiltig säkerhetstoken). Ladda om sidan och försök igen.")
		return
	}
	email, next := r.PostFormValue("email"), localPath(r.PostFormValue("next"))
	u, err := s.app.Authenticate(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		status := http.StatusUnauthorized
		switch fault.CodeOf(err) {
		case fault.Unauthenticated:
		case fault.Forbidden: // the password is right, but the role does not fit the organisation
			status = http.StatusForbidden
		default:
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, status, "login.html", "Logga in", loginView{Email: email, Next: next, CSRF: c.Value, Error: err.Error()})
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
