package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"narvard/internal/fault"
)

//go:embed templates/*.html templates/*.tmpl
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages maps each page's template file name to its parsed templates: the
// layout plus the page, which defines "title" and "main".
var pages = mustParsePages()

// cssHref is the stylesheet's address with a hash of its contents, so a
// browser may keep it for a long time and still gets a new version at once.
var cssHref = "/static/style.css?v=" + contentHash("static/style.css")

// faviconHref is the icon's address, with its content hash likewise.
var faviconHref = "/static/favicon.svg?v=" + contentHash("static/favicon.svg")

func mustParsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/*.tmpl"))
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		// The templates are embedded and parsed when the program starts;
		// the tests render every page, so a broken one never ships.
		out[base] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, name))
	}
	return out
}

func contentHash(name string) string {
	b, err := staticFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// staticHandler serves the embedded static files, without directory
// listings. The stylesheet is asked for with its content hash, so it may be
// cached for a year.
func (s *server) staticHandler() http.Handler {
	fsrv := http.FileServerFS(staticFiles)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.notFound(w, r)
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// page is what the layout gets: the page's title, its own data, the
// signed-in user if any, and the rehearsal banner.
type page struct {
	Title     string
	CSS       string
	Data      any
	Session   *session
	Rehearsal string
	OrgName   string // the signed-in user's organisation, by name
	Money     bool   // the page shows amounts: the footer says how they are rounded
}

// amountShown finds an amount of money as the pages write it ("1 234 kr").
var amountShown = regexp.MustCompile(`\d kr\b`)

// render executes the page's template into a buffer first, so that an
// error gives a whole error page and never half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("okänd mall %s", name))
		return
	}
	var buf bytes.Buffer
	p := page{Title: title, CSS: cssHref, Data: data, Session: sessionOf(r)}
	if s.app != nil {
		p.Rehearsal = s.rehearsal()
	}
	t, err := withCSRF(t, p.Session)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Session != nil && s.app != nil {
		p.OrgName = s.orgName(r, p.Session.User.Org)
	}
	// The page's own part first, to see whether it shows money.
	if err := t.ExecuteTemplate(&buf, "main", data); err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Money = amountShown.Match(buf.Bytes())
	buf.Reset()
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// notFound renders the Swedish 404 page.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "notfound.html", "Sidan finns inte", nil)
}

// serverError logs err and renders the Swedish 500 page. The error itself
// is not shown: it may carry details that are not for the public.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if fault.CodeOf(err) == fault.BooksBroken {
		s.booksBroken(w, r, err)
		return
	}
	s.log.Error("internt fel", slog.String("path", r.URL.Path), slog.Any("err", err))
	writeServerError(w)
}

// booksBroken says that the ledger does not balance and shows no figures
// (503: the books must be looked into before they are served again).
func (s *server) booksBroken(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("bokföringen balanserar inte", slog.String("path", r.URL.Path), slog.Any("err", err))
	s.render(w, r, http.StatusServiceUnavailable, "message.html", "Bokföringen balanserar inte",
		messageView{Heading: "Bokföringen balanserar inte", Text: err.Error()})
}

// writeServerError writes the 500 page. It uses no template data, so it
// cannot fail halfway.
func writeServerError(w http.ResponseWriter) {
	var buf bytes.Buffer
	t, err := withCSRF(pages["error.html"], nil)
	if err == nil {
		err = t.ExecuteTemplate(&buf, "layout.html", page{Title: "Något gick fel", CSS: cssHref})
	}
	if err != nil {
		http.Error(w, "Något gick fel. Försök igen om en stund.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	buf.WriteTo(w)
}

// withCSRF returns a copy of the page's templates whose csrf function gives
// the session's token for the forms. The parsed templates are never
// executed themselves, so they can always be copied.
func withCSRF(t *template.Template, sess *session) (*template.Template, error) {
	c, err := t.Clone()
	if err != nil {
		return nil, err
	}
	token := ""
	if sess != nil {
		token = sess.CSRF
	}
	return c.Funcs(template.FuncMap{"csrf": func() string { return token }}), nil
}
