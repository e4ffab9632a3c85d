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
	"strconv"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages maps each page's template file name to its parsed templates: the
// layout plus the page, which defines "title" and "main".
var pages = mustParsePages()

// cssHref is the stylesheet's address with a hash of its contents, so a
// browser may keep it for a long time and still gets a new version at once.
var cssHref = "/static/style.css?v=" + contentHash("static/style.css")

func mustParsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
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

// page is what the layout gets: the page's title and its own data.
type page struct {
	Title string
	CSS   string
	Data  any
}

// render executes the page's template into a buffer first, so that an
// error gives a whole error page and never half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("okänd mall %s", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", page{Title: title, CSS: cssHref, Data: data}); err != nil {
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
	s.log.Error("internt fel", slog.String("path", r.URL.Path), slog.Any("err", err))
	writeServerError(w)
}

// writeServerError writes the 500 page. It uses no template data, so it
// cannot fail halfway.
func writeServerError(w http.ResponseWriter) {
	var buf bytes.Buffer
	if err := pages["error.html"].ExecuteTemplate(&buf, "layout.html", page{Title: "Något gick fel", CSS: cssHref}); err != nil {
		http.Error(w, "Något gick fel. Försök igen om en stund.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	buf.WriteTo(w)
}
