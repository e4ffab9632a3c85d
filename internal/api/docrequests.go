package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/filetype"
	"narvard/internal/grant"
)

// Requests for underlag and the files attached to documents. A file is
// sent as the raw body of a POST (any Content-Type; the type is decided
// from the content) with its name in the X-Filename header (UTF-8, or
// percent-encoded), at most 20 MB:
//
//	curl -H "Authorization: Bearer $T" -H "X-Filename: huvudbok.pdf" \
//	     --data-binary @huvudbok.pdf https://…/api/v1/document-requests/U-…/attachments
func (h *API) docRequestRoutes() {
	h.handle("POST /api/v1/document-requests", h.createDocRequest)
	h.handle("GET /api/v1/document-requests", h.listDocRequests)
	h.handle("GET /api/v1/document-requests/{id}", h.getDocRequest)
	h.handleOf("POST /api/v1/document-requests/{id}/attachments", filetype.MaxSize, h.attachToDocRequest)
	h.handle("GET /api/v1/document-requests/{id}/attachments/{n}", h.docRequestFile)
	h.handle("POST /api/v1/document-requests/{id}/answer", h.answerDocRequest)
	h.handle("POST /api/v1/document-requests/{id}/close", h.closeDocRequest)
	h.handleOf("POST /api/v1/financial-reports/{id}/attachments", filetype.MaxSize, h.attachToReport)
	h.handle("GET /api/v1/financial-reports/{id}/attachments", h.reportAttachments)
	h.handle("GET /api/v1/financial-reports/{id}/attachments/{n}", h.reportFile)
	h.handleOf("POST /api/v1/activity-reports/{id}/attachments", filetype.MaxSize, h.attachToActivity)
	h.handle("GET /api/v1/activity-reports/{id}/attachments", h.activityAttachments)
	h.handle("GET /api/v1/activity-reports/{id}/attachments/{n}", h.activityFile)
}

func (h *API) attachToActivity(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	name, b, err := upload(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := h.app.AttachToActivityReport(r.Context(), actor, id, name, b)
	if err != nil {
		return err
	}
	base := "/api/v1/activity-reports/" + id
	w.Header().Set("Location", base+"/attachments/"+strconv.Itoa(a.N))
	writeJSON(w, http.StatusCreated, attachmentJSON(base, a))
	return nil
}

func (h *API) activityAttachments(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id := r.PathValue("id")
	list, err := h.app.ActivityAttachments(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"attachments": attachmentsJSON("/api/v1/activity-reports/"+id, list)})
	return nil
}

func (h *API) activityFile(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	n, err := attachmentNumber(r)
	if err != nil {
		return err
	}
	a, content, err := h.app.ActivityFile(r.Context(), actor, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	serveAttachment(w, a, content)
	return nil
}

func attachmentJSON(base string, a grant.Attachment) map[string]any {
	return map[string]any{"n": a.N, "name": a.Name, "content_type": a.ContentType, "size": a.Size, "sha256": a.SHA256,
		"added_by": a.AddedBy, "added_at": a.AddedAt, "href": base + "/attachments/" + strconv.Itoa(a.N)}
}

func attachmentsJSON(base string, list []grant.Attachment) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, a := range list {
		out = append(out, attachmentJSON(base, a))
	}
	return out
}

func docRequestJSON(v app.DocRequestView) map[string]any {
	base := "/api/v1/document-requests/" + v.ID
	out := map[string]any{"id": v.ID, "agreement": v.Agreement, "recipient": v.Recipient, "requester": v.RequesterOrg,
		"requested_by": v.RequestedBy, "text": v.Text, "due_date": v.DueDate.Format(time.DateOnly), "status": v.Status,
		"created_at": v.CreatedAt, "answer": v.AnswerText, "answered_by": v.AnsweredBy, "answered_at": nil,
		"closed_by": v.ClosedBy, "closed_at": nil, "attachments": attachmentsJSON(base, v.Attachments)}
	if !v.AnsweredAt.IsZero() {
		out["answered_at"] = v.AnsweredAt
	}
	if !v.ClosedAt.IsZero() {
		out["closed_at"] = v.ClosedAt
	}
	return out
}

func (h *API) createDocRequest(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var f app.DocRequestForm
	if err := decode(r, &f); err != nil {
		return err
	}
	if f.Recipient == "" {
		return fault.Fields{"recipient": "Ange mottagaren (till exempel region-25)."}.Err()
	}
	ag, err := h.agreement(r, f.Recipient, f.Agreement)
	if err != nil {
		return err
	}
	f.Agreement = ag
	v, err := h.app.RequestDocuments(r.Context(), actor, f)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/document-requests/"+v.ID)
	writeJSON(w, http.StatusCreated, docRequestJSON(v))
	return nil
}

func (h *API) listDocRequests(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	f := app.DocRequestFilter{Agreement: q.Get("agreement"), Recipient: q.Get("recipient")}
	if s := q.Get("status"); s != "" {
		st, err := grant.ParseDocRequestStatus(s)
		if err != nil {
			return err
		}
		f.Status = st
	}
	list, err := h.app.DocumentRequests(r.Context(), actor, f)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		out = append(out, docRequestJSON(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"document_requests": out})
	return nil
}

func (h *API) getDocRequest(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	v, err := h.app.DocumentRequest(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, docRequestJSON(v))
	return nil
}

// upload reads a file sent as the raw body, its name in X-Filename (the
// use case refuses a file without a name, after its rules).
func upload(r *http.Request) (string, []byte, error) {
	name := r.Header.Get("X-Filename")
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	b, err := io.ReadAll(r.Body)
	if errors.As(err, new(*http.MaxBytesError)) {
		return "", nil, fault.New(fault.TooLarge, "Filen %q är större än 20 MB och togs inte emot.", name)
	}
	if err != nil {
		return "", nil, fault.Fields{"file": "Filen kunde inte läsas."}.Err()
	}
	return name, b, nil
}

func (h *API) attachToDocRequest(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	name, b, err := upload(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := h.app.AttachToDocumentRequest(r.Context(), actor, id, name, b)
	if err != nil {
		return err
	}
	base := "/api/v1/document-requests/" + id
	w.Header().Set("Location", base+"/attachments/"+strconv.Itoa(a.N))
	writeJSON(w, http.StatusCreated, attachmentJSON(base, a))
	return nil
}

func (h *API) answerDocRequest(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Text string `json:"text"`
	}
	if err := decodeOptional(r, &body); err != nil {
		return err
	}
	v, err := h.app.AnswerDocumentRequest(r.Context(), actor, r.PathValue("id"), body.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, docRequestJSON(v))
	return nil
}

func (h *API) closeDocRequest(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	v, err := h.app.CloseDocumentRequest(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, docRequestJSON(v))
	return nil
}

// attachmentNumber reads the path's {n}.
func attachmentNumber(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return 0, fault.New(fault.NotFound, "Bilagan %q finns inte.", r.PathValue("n"))
	}
	return n, nil
}

// serveAttachment sends a file as a download, as the type its content was
// checked to be, never sniffed by the browser.
func serveAttachment(w http.ResponseWriter, a grant.Attachment, content []byte) {
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	w.Write(content)
}

func (h *API) docRequestFile(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	n, err := attachmentNumber(r)
	if err != nil {
		return err
	}
	a, content, err := h.app.DocumentRequestFile(r.Context(), actor, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	serveAttachment(w, a, content)
	return nil
}

func (h *API) attachToReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	name, b, err := upload(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := h.app.AttachToReport(r.Context(), actor, id, name, b)
	if err != nil {
		return err
	}
	base := "/api/v1/financial-reports/" + id
	w.Header().Set("Location", base+"/attachments/"+strconv.Itoa(a.N))
	writeJSON(w, http.StatusCreated, attachmentJSON(base, a))
	return nil
}

func (h *API) reportAttachments(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id := r.PathValue("id")
	list, err := h.app.ReportAttachments(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"attachments": attachmentsJSON("/api/v1/financial-reports/"+id, list)})
	return nil
}

func (h *API) reportFile(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	n, err := attachmentNumber(r)
	if err != nil {
		return err
	}
	a, content, err := h.app.ReportFile(r.Context(), actor, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	serveAttachment(w, a, content)
	return nil
}
