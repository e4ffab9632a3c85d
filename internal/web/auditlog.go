package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"narvard/internal/app"
	"narvard/internal/audit"
	"narvard/internal/clock"
	"narvard/internal/document"
	"narvard/internal/fault"
)

// The auditor's audit log: every entry, newest first, searched by
// object, user and days, with the chain's state; and its XLSX export.
func (s *server) auditRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /granskning", s.signedIn(s.auditLog))
	mux.HandleFunc("GET /granskning.xlsx", s.signedIn(s.auditLogExport))
}

// auditLogView is a page of the log, the search as typed and the links to
// the other pages.
type auditLogView struct {
	app.AuditLogView
	Values     map[string]string
	Errors     formErrors
	Query      string // the search as a query string, without the page
	Prev, Next string // the neighbouring pages' addresses, empty at an end
}

// FormValue is what was typed in the search field.
func (v auditLogView) FormValue(name string) string { return v.Values[name] }

// FormError is the search field's message, if any.
func (v auditLogView) FormError(name string) string { return v.Errors.Fields[name] }

// auditFields are the search's fields: part of an object, part of a
// user's e-mail, the first and the last day.
var auditFields = []string{"objekt", "anvandare", "from", "to"}

// auditQuery reads the search from the address.
func auditQuery(r *http.Request) (app.AuditQuery, map[string]string) {
	q := r.URL.Query()
	values := map[string]string{}
	for _, f := range auditFields {
		values[f] = strings.TrimSpace(q.Get(f))
	}
	return app.AuditQuery{Object: values["objekt"], User: values["anvandare"], From: values["from"], To: values["to"]}, values
}

// searchString is the search as a query string, only the fields given.
func searchString(values map[string]string) string {
	q := url.Values{}
	for _, f := range auditFields {
		if values[f] != "" {
			q.Set(f, values[f])
		}
	}
	return q.Encode()
}

func (s *server) auditLog(w http.ResponseWriter, r *http.Request, sess *session) {
	q, values := auditQuery(r)
	q.Page = 1
	if p, err := strconv.Atoi(r.URL.Query().Get("sida")); err == nil && p > 0 {
		q.Page = p
	}
	v := auditLogView{Values: values, Query: searchString(values)}
	log, err := s.app.AuditLog(r.Context(), sess.Actor(), q)
	status := http.StatusOK
	if fault.CodeOf(err) == fault.Invalid {
		// Dates that are not dates: the whole log, and the search beside
		// its messages.
		v.Errors, status = errorsOf(err), http.StatusUnprocessableEntity
		log, err = s.app.AuditLog(r.Context(), sess.Actor(), app.AuditQuery{Page: 1})
	}
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v.AuditLogView = log
	if log.Page > 1 {
		v.Prev = pageLink(v.Query, log.Page-1)
	}
	if log.Page < log.Pages {
		v.Next = pageLink(v.Query, log.Page+1)
	}
	s.render(w, r, status, "auditlog.html", "Granskningslogg", v)
}

// pageLink is the address of a page of the search.
func pageLink(query string, page int) string {
	if query != "" {
		query += "&"
	}
	return "/granskning?" + query + "sida=" + strconv.Itoa(page)
}

// auditLogExport downloads every entry the search picks as XLSX.
func (s *server) auditLogExport(w http.ResponseWriter, r *http.Request, sess *session) {
	q, _ := auditQuery(r)
	log, err := s.app.AuditLog(r.Context(), sess.Actor(), q)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	lines := make([]document.AuditLine, 0, len(log.Rows))
	for _, e := range log.Rows {
		lines = append(lines, document.AuditLine{Seq: e.Seq, At: whenOf(e.At), Name: e.Name, Email: e.Actor, Org: e.OrgName,
			Action: e.Action, Object: e.Object, Detail: e.Detail, Hash: e.Hash, PrevHash: e.PrevHash})
	}
	b, err := document.AuditWorkbook(lines)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	attach(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"granskningslogg-"+s.app.Clock.Now().In(clock.Stockholm).Format(time.DateOnly)+".xlsx", b)
}

// objectPages are the pages of the audit log's objects, by kind.
var objectPages = map[string]string{
	"requisition":      "/rekvisitioner/",
	"report":           "/redovisningar/",
	"batch":            "/betalningar/",
	"plan":             "/planer/",
	"municipal_report": "/kommunredovisningar/",
	"vfu":              "/vfu/",
	"onward":           "/vidareformedling/",
	"activity":         "/verksamhetsrapporter/",
	"docrequest":       "/underlag/",
	"bank":             "/bankaviseringar/",
}

// attachmentOwners are the documents an attachment's owner kind names.
var attachmentOwners = map[string]string{
	"financial_report": "report",
	"activity_report":  "activity",
	"document_request": "docrequest",
}

// objectLink is the page of an audit log object ("requisition:R-1"), or
// "" when it has none; an attachment links to its document.
func objectLink(object string) string {
	kind, id, _ := strings.Cut(object, ":")
	if kind == "attachment" {
		owner, rest, _ := strings.Cut(id, ":")
		id, _, _ = strings.Cut(rest, ":")
		kind = attachmentOwners[owner]
	}
	page, ok := objectPages[kind]
	if !ok || id == "" {
		return ""
	}
	return page + url.PathEscape(id)
}

// shortHash is a hash's first characters (audit.Short).
func shortHash(h string) string { return audit.Short(h) }
