package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/filetype"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/org"
)

// Requests for underlag (issue 14, item 6): the requester's form and list,
// the recipient's list, the request's page with the file upload, the
// answer and the close, and the downloads.
func (s *server) docRequestRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /underlag", s.signedIn(s.docRequestList))
	mux.HandleFunc("GET /underlag.xlsx", s.signedIn(s.docRequestExport))
	mux.HandleFunc("POST /underlag", s.signedIn(s.docRequestCreate))
	mux.HandleFunc("GET /underlag/{id}", s.signedIn(s.docRequestPage))
	mux.HandleFunc("POST /underlag/{id}/bilagor", s.signedInUploadOf(maxAttachmentUpload, s.docRequestUpload))
	mux.HandleFunc("GET /underlag/{id}/bilagor/{n}", s.signedIn(s.docRequestFile))
	mux.HandleFunc("POST /underlag/{id}/besvara", s.signedIn(s.docRequestAnswer))
	mux.HandleFunc("POST /underlag/{id}/stang", s.signedIn(s.docRequestClose))
}

// maxAttachmentUpload bounds the multipart body of one file: the file's 20
// MB and the form's few small fields around it.
const maxAttachmentUpload = filetype.MaxSize + 64<<10

// seesDocRequests: those who ask or check, and the recipients.
func seesDocRequests(a auth.Actor) bool {
	if grant.CanReadDocumentRequest(a, "") == nil || a.Org == org.SKR {
		return true
	}
	_, _, ok := org.Parse(a.Org)
	return ok
}

type docRequestListView struct {
	Filter    listFilter
	Names     map[string]string // the organisations' names by id
	Requests  []app.DocRequestView
	Status    string
	CanAsk    bool
	Form      map[string]string
	Errors    formErrors
	Recipient []org.Organisation
	Agreement []agreementOption
	Fields    []field
}

type agreementOption struct{ ID, Name string }

func (s *server) docRequestList(w http.ResponseWriter, r *http.Request, sess *session) {
	s.renderDocRequestList(w, r, sess.Actor(), http.StatusOK, map[string]string{}, formErrors{})
}

func (s *server) renderDocRequestList(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, form map[string]string, errs formErrors) {
	v := docRequestListView{CanAsk: grant.CanRequestDocuments(a) == nil, Form: form, Errors: errs}
	var ok bool
	if v.Requests, v.Filter, ok = s.docRequestRows(w, r, a); !ok {
		return
	}
	v.Status = v.Filter.Status
	names, err := s.orgNames(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Names = names
	if v.CanAsk {
		if v.Recipient, err = s.recipients(r); err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, ag := range s.agreements.All() {
			v.Agreement = append(v.Agreement, agreementOption{ag.ID, ag.Name})
		}
		v.Fields = []field{
			{Name: "due_date", Label: "Sista dag (ÅÅÅÅ-MM-DD)", Type: "date", Value: form["due_date"], Error: errs.Fields["due_date"]},
		}
	}
	s.render(w, r, status, "docrequests.html", "Underlag", v)
}

// docRequestStatuses are the request list's status menu.
var docRequestStatuses = statusOptions(grant.DocRequestOpen, grant.DocRequestOverdue, grant.DocRequestAnswered, grant.DocRequestClosed)

// docRequestRows reads the requests the user may see (all agreements
// unless one is chosen) as the filter narrows them: status, and text in
// the recipient's id or name, the request's id or its text.
func (s *server) docRequestRows(w http.ResponseWriter, r *http.Request, a auth.Actor) ([]app.DocRequestView, listFilter, bool) {
	q := r.URL.Query()
	f := newListFilter("/underlag", r, q.Get("agreement"), s.allAgreements(q.Get("agreement")), docRequestStatuses)
	f.AnyAgreement = true
	if q.Get("recipient") != "" {
		f.Keep = map[string]string{"recipient": q.Get("recipient")}
	}
	all, err := s.app.DocumentRequests(r.Context(), a, app.DocRequestFilter{Agreement: f.Agreement, Recipient: q.Get("recipient")})
	if err != nil {
		s.refuse(w, r, err)
		return nil, f, false
	}
	names, err := s.orgNames(r)
	if err != nil {
		s.serverError(w, r, err)
		return nil, f, false
	}
	list := listing.Keep(f.Filter, all, func(d app.DocRequestView) (string, []string) {
		return string(d.Status), []string{d.Recipient, names[d.Recipient], d.ID, d.Text}
	})
	f.counted(len(list), len(all))
	return list, f, true
}

// orgNames are the organisations' names by id.
func (s *server) orgNames(r *http.Request) (map[string]string, error) {
	all, err := s.app.Organisations(r.Context())
	out := make(map[string]string, len(all))
	for _, o := range all {
		out[o.ID] = o.Name
	}
	return out, err
}

// docRequestExport is the request list as a workbook, filtered as the
// page is.
func (s *server) docRequestExport(w http.ResponseWriter, r *http.Request, sess *session) {
	list, _, ok := s.docRequestRows(w, r, sess.Actor())
	if !ok {
		return
	}
	names, err := s.orgNames(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	t := listing.Table{Sheet: "Underlag", Title: "Begäranden om underlag",
		Headers: []string{"Begäran", "Överenskommelse", "Mottagare-id", "Mottagare", "Begärd av", "Underlag", "Sista dag", "Status", "Filer"}}
	for _, d := range list {
		t.Add(d.ID, d.Agreement, d.Recipient, names[d.Recipient], names[d.RequesterOrg], d.Text, dateText(d.DueDate), d.Status.Swedish(), len(d.Attachments))
	}
	s.sendXLSX(w, r, "underlag.xlsx", t)
}

// recipients lists the organisations that receive the grants.
func (s *server) recipients(r *http.Request) ([]org.Organisation, error) {
	all, err := s.app.Organisations(r.Context())
	var out []org.Organisation
	for _, o := range all {
		switch o.Kind {
		case org.KindRegion, org.KindRSS, org.KindKommun, org.KindSKR:
			out = append(out, o)
		}
	}
	return out, err
}

func (s *server) docRequestCreate(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	f := app.DocRequestForm{Agreement: r.PostFormValue("agreement"), Recipient: r.PostFormValue("recipient"),
		Text: r.PostFormValue("text"), DueDate: r.PostFormValue("due_date")}
	v, err := s.app.RequestDocuments(r.Context(), a, f)
	if fault.CodeOf(err) == fault.Invalid {
		form := map[string]string{"agreement": f.Agreement, "recipient": f.Recipient, "text": f.Text, "due_date": f.DueDate}
		s.renderDocRequestList(w, r, a, http.StatusUnprocessableEntity, form, errorsOf(err))
		return
	}
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/underlag/"+v.ID, http.StatusSeeOther)
}

type docRequestPageView struct {
	app.DocRequestView
	RecipientName, RequesterName string
	CanAnswer, CanClose          bool
	Open                         bool
	Types                        string
	Error                        string
	Changes                      []app.HistoryEntry
}

func (s *server) docRequestPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.renderDocRequest(w, r, sess.Actor(), http.StatusOK, "")
}

func (s *server) renderDocRequest(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, msg string) {
	v, err := s.app.DocumentRequest(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	changes, err := s.app.History(r.Context(), a, "docrequest:"+v.ID)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	open := v.Stored == grant.DocRequestOpen
	s.render(w, r, status, "docrequest.html", "Begäran om underlag "+v.ID, docRequestPageView{Changes: changes,
		DocRequestView: v, RecipientName: s.orgName(r, v.Recipient), RequesterName: s.orgName(r, v.RequesterOrg),
		CanAnswer: open && grant.CanAnswerDocumentRequest(a, v.Recipient) == nil,
		CanClose:  v.Stored != grant.DocRequestClosed && grant.CanCloseDocumentRequest(a, v.DocRequest) == nil,
		Open:      open, Types: filetype.Types, Error: msg})
}

// docRequestUpload reads the form's one file (after the CSRF token) and
// attaches it; a refused file shows on the request's page, naming it.
func (s *server) docRequestUpload(w http.ResponseWriter, r *http.Request, sess *session, mr *multipart.Reader) {
	a := sess.Actor()
	name, content, err := readFilePart(mr)
	if err == nil {
		_, err = s.app.AttachToDocumentRequest(r.Context(), a, r.PathValue("id"), name, content)
	}
	switch fault.CodeOf(err) {
	case "":
		if err == nil {
			http.Redirect(w, r, "/underlag/"+r.PathValue("id"), http.StatusSeeOther)
			return
		}
	case fault.Invalid, fault.TooLarge, fault.Conflict:
		s.renderDocRequest(w, r, a, http.StatusUnprocessableEntity, errorsOf(err).Message+fieldText(err))
		return
	}
	s.refuse(w, r, err)
}

// fieldText is an error's field messages, for a page that has no fields.
func fieldText(err error) string {
	var f *fault.Error
	if !errors.As(err, &f) || len(f.Fields) == 0 {
		return ""
	}
	var b strings.Builder
	for _, m := range f.Fields {
		b.WriteString(" " + m)
	}
	return b.String()
}

// readFilePart reads the form's part named file, at most 20 MB, whose
// body limit is enforced while it is read.
func readFilePart(mr *multipart.Reader) (string, []byte, error) {
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, fault.Fields{"file": "Välj en fil att bifoga."}.Err()
		}
		if err != nil {
			return "", nil, attachmentUploadError(err)
		}
		if p.FormName() != "file" {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, filetype.MaxSize+1))
		if err != nil {
			return "", nil, attachmentUploadError(err)
		}
		if len(b) > filetype.MaxSize {
			return "", nil, fault.New(fault.TooLarge, "Filen %q är större än 20 MB och togs inte emot.", p.FileName())
		}
		if len(b) == 0 && p.FileName() == "" {
			return "", nil, fault.Fields{"file": "Välj en fil att bifoga."}.Err()
		}
		return p.FileName(), b, nil
	}
}

func attachmentUploadError(err error) error {
	if errors.As(err, new(*http.MaxBytesError)) {
		return fault.New(fault.TooLarge, "Filen är större än 20 MB och togs inte emot.")
	}
	return fault.New(fault.Invalid, "Filen kunde inte tas emot: %v", err)
}

func (s *server) docRequestAnswer(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	_, err := s.app.AnswerDocumentRequest(r.Context(), a, r.PathValue("id"), r.PostFormValue("text"))
	s.afterDocRequestAction(w, r, a, err)
}

func (s *server) docRequestClose(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	_, err := s.app.CloseDocumentRequest(r.Context(), a, r.PathValue("id"))
	s.afterDocRequestAction(w, r, a, err)
}

func (s *server) afterDocRequestAction(w http.ResponseWriter, r *http.Request, a auth.Actor, err error) {
	switch fault.CodeOf(err) {
	case fault.Invalid, fault.Conflict:
		s.renderDocRequest(w, r, a, http.StatusUnprocessableEntity, errorsOf(err).Message+fieldText(err))
		return
	}
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/underlag/"+r.PathValue("id"), http.StatusSeeOther)
}

func (s *server) docRequestFile(w http.ResponseWriter, r *http.Request, sess *session) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.refuse(w, r, fault.New(fault.NotFound, "Bilagan finns inte."))
		return
	}
	at, content, err := s.app.DocumentRequestFile(r.Context(), sess.Actor(), r.PathValue("id"), n)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	w.Header().Set("Content-Type", at.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": at.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	w.Write(content)
}

// openDocRequests are the requests to the actor's own organisation still
// to be answered, for its start page (none for those who ask).
func (s *server) openDocRequests(r *http.Request, a auth.Actor) []app.DocRequestView {
	if grant.CanAnswerDocumentRequest(a, a.Org) != nil {
		return nil
	}
	list, _ := s.app.DocumentRequests(r.Context(), a, app.DocRequestFilter{Recipient: a.Org})
	var out []app.DocRequestView
	for _, v := range list {
		if v.Stored == grant.DocRequestOpen {
			out = append(out, v)
		}
	}
	return out
}
