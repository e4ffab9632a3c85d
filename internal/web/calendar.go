package web

import (
	"bytes"
	"net/http"
	"strings"

	"narvard/internal/app"
)

// The calendar: the page of the user's organisation's deadlines across
// agreements and years, its secret feed address (made and revoked on the
// page), and the feed itself, which calendar programs fetch without a
// session: the token in its address is the key.
func (s *server) calendarRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /kalender", s.signedIn(s.calendarPage))
	mux.HandleFunc("POST /kalender/prenumeration", s.signedIn(s.createCalendarFeed))
	mux.HandleFunc("POST /kalender/aterkalla", s.signedIn(s.revokeCalendarFeed))
	mux.HandleFunc("GET /kalender/{file}", s.calendarFeed)
}

// calendarView is the page: the deadlines, and the feed's address when it
// was just made (shown once).
type calendarView struct {
	app.CalendarView
	FeedURL string
	Done    string
}

func (s *server) calendarPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.renderCalendar(w, r, sess, "", map[string]string{"aterkallad": "Prenumerationsadressen är återkallad; kalenderprogram som använder den får inga fler uppdateringar."}[r.URL.Query().Get("klart")])
}

func (s *server) renderCalendar(w http.ResponseWriter, r *http.Request, sess *session, feed, done string) {
	v, err := s.app.Calendar(r.Context(), sess.Actor())
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "calendar.html", "Kalender", calendarView{CalendarView: v, FeedURL: feed, Done: done})
}

func (s *server) createCalendarFeed(w http.ResponseWriter, r *http.Request, sess *session) {
	token, err := s.app.CreateCalendarToken(r.Context(), sess.Actor())
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	s.renderCalendar(w, r, sess, s.app.Link("/kalender/"+token+".ics"), "")
}

func (s *server) revokeCalendarFeed(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.app.RevokeCalendarToken(r.Context(), sess.Actor()); err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/kalender?klart=aterkallad", http.StatusSeeOther)
}

// calendarFeed serves /kalender/{token}.ics as text/calendar; an unknown
// or revoked token is a plain 404.
func (s *server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" {
		s.notFound(w, r)
		return
	}
	var b bytes.Buffer
	if err := s.app.CalendarFeed(r.Context(), token, &b); err != nil {
		http.Error(w, "Kalendern finns inte.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="narvard.ics"`)
	_, _ = w.Write(b.Bytes())
}
