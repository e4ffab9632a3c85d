package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/org"
)

// attachFile posts one file under its name to the request's upload form.
func (b *browser) attachFile(path, token, name string, content []byte) *httptest.ResponseRecorder {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", token)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// TestDocumentRequestPages: Socialdepartementet asks Region Norrbotten for
// underlag on the web; the request shows on the region's start page; a
// renamed program is refused naming the file; the officer uploads a PDF
// and answers; both sides download it with its checked type; an
// unanswered request shows as overdue on both sides' lists.
func TestDocumentRequestPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	dep := signedInAs(t, h, "uppfoljning@regeringskansliet.se", org.Socialdepartementet, auth.FollowUp)
	officer := signedInAs(t, h, "officer@nll.se", "region-25", auth.RecipientOfficer)
	cfo := signedInAs(t, h, "cfo@nll.se", "region-25", auth.CFO)

	if rec := officer.do("GET", "/underlag", nil); rec.Code != 200 || strings.Contains(rec.Body.String(), "data-docrequest-form") {
		t.Errorf("the recipient sees the request form: %d", rec.Code)
	}
	token := dep.csrf("/underlag")
	rec := dep.do("POST", "/underlag", url.Values{"csrf": {token}, "agreement": {"gnv-2023"}, "recipient": {"region-25"}, "text": {""}, "due_date": {"2023-11-30"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Skriv vilket underlag som begärs.") {
		t.Errorf("an empty request: %d", rec.Code)
	}
	ask := func(text, due string) string {
		rec := dep.do("POST", "/underlag", url.Values{"csrf": {token}, "agreement": {"gnv-2023"}, "recipient": {"region-25"}, "text": {text}, "due_date": {due}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("ask: %d %s", rec.Code, rec.Body)
		}
		return rec.Header().Get("Location")
	}
	page := ask("Huvudboken för 2023, konto 4010.", "2023-11-30")
	late := ask("Avtalen med privata vårdgivare.", "2023-11-20")

	start := officer.do("GET", "/start", nil).Body.String()
	if !strings.Contains(start, "data-start-docrequests") || !strings.Contains(start, "Huvudboken för 2023, konto 4010.") {
		t.Errorf("the start page does not show the request")
	}
	if strings.Contains(cfo.do("GET", page, nil).Body.String(), "data-upload") {
		t.Error("the CFO is offered the upload")
	}
	otoken := officer.csrf(page)
	elf := []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00")
	rec = officer.attachFile(page+"/bilagor", otoken, "huvudbok.pdf", elf)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "huvudbok.pdf") || !strings.Contains(rec.Body.String(), "är ett program") {
		t.Errorf("a renamed program: %d %s", rec.Code, rec.Body)
	}
	if rec = officer.attachFile(page+"/bilagor", "fel", "a.pdf", []byte("%PDF-1.4\n")); rec.Code != http.StatusForbidden {
		t.Errorf("an upload without the CSRF token: %d", rec.Code)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
	if rec = officer.attachFile(page+"/bilagor", otoken, "huvudbok.pdf", pdf); rec.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	if rec = officer.do("POST", page+"/besvara", url.Values{"csrf": {otoken}, "text": {"Huvudboken bifogas."}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", rec.Code, rec.Body)
	}
	for _, b := range []*browser{dep, officer, cfo} {
		rec := b.do("GET", page+"/bilagor/1", nil)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), pdf) || rec.Header().Get("Content-Type") != "application/pdf" ||
			rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Content-Disposition") != `attachment; filename=huvudbok.pdf` {
			t.Errorf("download: %d %v", rec.Code, rec.Header())
		}
	}
	if body := dep.do("GET", page, nil).Body.String(); !strings.Contains(body, `data-status="answered"`) || !strings.Contains(body, "Huvudboken bifogas.") {
		t.Error("the requester does not see the answer")
	}

	handlerApp.Clock.(*clock.Frozen).Set(time.Date(2023, 11, 21, 8, 0, 0, 0, clock.Stockholm))
	for _, b := range []*browser{dep, officer} {
		body := b.do("GET", "/underlag?status=overdue", nil).Body.String()
		id := strings.TrimPrefix(late, "/underlag/")
		if !strings.Contains(body, `data-docrequest="`+id+`"`) || !strings.Contains(body, `data-status="overdue"`) || strings.Contains(body, strings.TrimPrefix(page, "/underlag/")) {
			t.Errorf("the overdue list: %s", body)
		}
	}
	if !strings.Contains(officer.do("GET", "/start", nil).Body.String(), "försenad") {
		t.Error("the start page does not show the overdue request")
	}
	if rec = officer.do("POST", late+"/stang", url.Values{"csrf": {otoken}}); rec.Code != http.StatusForbidden {
		t.Errorf("the recipient closes: %d", rec.Code)
	}
	if rec = dep.do("POST", late+"/stang", url.Values{"csrf": {token}}); rec.Code != http.StatusSeeOther {
		t.Errorf("close: %d %s", rec.Code, rec.Body)
	}
	hasHistory(t, "the answered request", officer.do("GET", page, nil).Body.String(), "document_request.create", "attachment.add", "document_request.answer")
	hasHistory(t, "the closed request", dep.do("GET", late, nil).Body.String(), "document_request.create", "document_request.close")
}
