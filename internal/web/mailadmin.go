package web

import (
	"net/http"
	"net/url"

	"narvard/internal/fault"
	"narvard/internal/mail"
)

// The admin's page of the mails that could not be sent (issue 17, item
// 3): each with its error, and a button that sends it again.
func (s *server) mailAdminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/e-post", s.signedIn(s.failedMails))
	mux.HandleFunc("POST /admin/e-post/forsok-igen", s.signedIn(s.retryMail))
}

// failedMailsView is the list of failed mails and what was just done.
type failedMailsView struct {
	Mails    []mail.Message
	Retried  string // the subject of the mail just sent again
	Error    string
	Attempts int
}

func (s *server) failedMails(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showFailedMails(w, r, sess, http.StatusOK, failedMailsView{Retried: r.URL.Query().Get("skickas")})
}

func (s *server) showFailedMails(w http.ResponseWriter, r *http.Request, sess *session, status int, v failedMailsView) {
	list, err := s.app.FailedMails(r.Context(), sess.Actor())
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v.Mails, v.Attempts = list, mail.MaxAttempts
	s.render(w, r, status, "mail_failed.html", "E-post som inte kunde skickas", v)
}

func (s *server) retryMail(w http.ResponseWriter, r *http.Request, sess *session) {
	m, err := s.app.RetryMail(r.Context(), sess.Actor(), r.PostFormValue("key"))
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showFailedMails(w, r, sess, http.StatusUnprocessableEntity, failedMailsView{Error: refusalText(err)})
		return
	}
	http.Redirect(w, r, "/admin/e-post?skickas="+url.QueryEscape(m.Subject), http.StatusSeeOther)
}
