package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
)

var (
	elfProgram = []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00")
	pdfFile    = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
)

// docPeople are the users of TestDocumentRequest.
type docPeople struct {
	kk, dep, depAnalyst, sosFollow, officer, cfo, other auth.Actor
}

// TestDocumentRequest: Kammarkollegiet asks Region Norrbotten for
// underlag; the wrong roles are refused at each step; a renamed program is
// refused naming the file; the officer attaches a PDF (its type checked
// by content, its SHA-256 in the audit trail) and answers; a request not
// answered by its due date shows as overdue on both sides; the requester
// closes.
func TestDocumentRequest(t *testing.T) {
	a, clk := newTestApp(t, "2024-04-02T09:00:00+02:00")
	p := docPeople{
		kk:         addUser(t, a, "pay@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer),
		dep:        addUser(t, a, "uppfoljning@regeringskansliet.se", org.Socialdepartementet, auth.FollowUp),
		depAnalyst: addUser(t, a, "analys@regeringskansliet.se", org.Socialdepartementet, auth.Analyst),
		sosFollow:  addUser(t, a, "uppfoljning@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp),
		officer:    addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer),
		cfo:        addUser(t, a, "cfo@nll.se", "region-25", auth.CFO),
		other:      addUser(t, a, "officer@vll.se", "region-24", auth.RecipientOfficer),
	}
	req, late := askForUnderlag(t, a, p)
	answerWithAFile(t, a, p, req)
	readTheAnswer(t, a, p, req)
	clk.Set(time.Date(2024, 4, 11, 8, 0, 0, 0, time.UTC))
	overdueAndClose(t, a, p, late)
}

// askForUnderlag: only the requesters ask, with a valid recipient, text
// and due date; returns Kammarkollegiet's request and the ministry's.
func askForUnderlag(t *testing.T, a *App, p docPeople) (req, late DocRequestView) {
	ctx := context.Background()
	form := DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25", Text: "Kopior av huvudboken 2023 för konto 4010.", DueDate: "2024-04-30"}
	for _, who := range []auth.Actor{p.officer, p.depAnalyst, p.sosFollow, p.cfo} {
		if _, err := a.RequestDocuments(ctx, who, form); fault.CodeOf(err) != fault.Forbidden {
			t.Errorf("%s of %s requests underlag: %v", who.Role, who.Org, err)
		}
	}
	for _, bad := range []struct {
		form  DocRequestForm
		field string
	}{
		{DocRequestForm{Agreement: "gnv-2023", Recipient: "region-99", Text: "x", DueDate: "2024-04-30"}, "recipient"},
		{DocRequestForm{Agreement: "gnv-2023", Recipient: org.Kammarkollegiet, Text: "x", DueDate: "2024-04-30"}, "recipient"},
		{DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25", Text: "x", DueDate: "2024-04-01"}, "due_date"},
		{DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25", Text: " ", DueDate: "2024-04-30"}, "text"},
	} {
		if _, err := a.RequestDocuments(ctx, p.kk, bad.form); !hasField(err, bad.field) {
			t.Errorf("%+v: %v, want a message for %s", bad.form, err, bad.field)
		}
	}
	req, err := a.RequestDocuments(ctx, p.kk, form)
	if err != nil || req.Status != grant.DocRequestOpen || req.RequesterOrg != org.Kammarkollegiet {
		t.Fatalf("request: %+v, %v", req, err)
	}
	late, err = a.RequestDocuments(ctx, p.dep, DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25", Text: "Avtal med privata vårdgivare.", DueDate: "2024-04-10"})
	if err != nil {
		t.Fatalf("Socialdepartementet's request: %v", err)
	}
	return req, late
}

// answerWithAFile: only the recipient's officers and signatories attach
// and answer; a renamed program is refused; a PDF is kept with its
// checked type and its SHA-256 audited.
func answerWithAFile(t *testing.T, a *App, p docPeople, req DocRequestView) {
	ctx := context.Background()
	for _, c := range []struct {
		who  auth.Actor
		want fault.Code
	}{{p.other, fault.NotFound}, {p.cfo, fault.Forbidden}, {p.kk, fault.Forbidden}} {
		if _, err := a.AttachToDocumentRequest(ctx, c.who, req.ID, "x.pdf", pdfFile); fault.CodeOf(err) != c.want {
			t.Errorf("%s of %s attaches: %v, want %s", c.who.Role, c.who.Org, err, c.want)
		}
	}
	_, err := a.AttachToDocumentRequest(ctx, p.officer, req.ID, "huvudbok.pdf", elfProgram)
	if fault.CodeOf(err) != fault.Invalid || !strings.Contains(err.Error(), `"huvudbok.pdf" är ett program`) {
		t.Errorf("a renamed program: %v", err)
	}
	if _, err := a.AnswerDocumentRequest(ctx, p.officer, req.ID, "Se bilagan."); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("answered without a file: %v", err)
	}
	at, err := a.AttachToDocumentRequest(ctx, p.officer, req.ID, `C:\Ekonomi\huvudbok.exe`, pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdfFile)
	if at.ContentType != "application/pdf" || at.Name != "huvudbok.exe.pdf" || at.SHA256 != hex.EncodeToString(sum[:]) || at.N != 1 {
		t.Errorf("attachment %+v", at)
	}
	auditHas(t, a, "attachment.add", hex.EncodeToString(sum[:]))
	answer(t, a, p, req)
}

// answer: the CFO may not answer, the officer does; no file after that.
func answer(t *testing.T, a *App, p docPeople, req DocRequestView) {
	ctx := context.Background()
	if _, err := a.AnswerDocumentRequest(ctx, p.cfo, req.ID, "Se bilagan."); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("the CFO answers: %v", err)
	}
	ans, err := a.AnswerDocumentRequest(ctx, p.officer, req.ID, "Se bilagan.")
	if err != nil || ans.Status != grant.DocRequestAnswered || len(ans.Attachments) != 1 || ans.AnsweredBy != p.officer.Email {
		t.Fatalf("answer: %+v, %v", ans, err)
	}
	if _, err := a.AttachToDocumentRequest(ctx, p.officer, req.ID, "mer.pdf", pdfFile); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("a file after the answer: %v", err)
	}
}

// readTheAnswer: the requesters and the recipient's people download the
// file; the analyst and another region do not.
func readTheAnswer(t *testing.T, a *App, p docPeople, req DocRequestView) {
	ctx := context.Background()
	for _, who := range []auth.Actor{p.kk, p.dep, p.officer, p.cfo} {
		got, content, err := a.DocumentRequestFile(ctx, who, req.ID, 1)
		if err != nil || !bytes.Equal(content, pdfFile) || got.ContentType != "application/pdf" {
			t.Errorf("%s of %s downloads: %v", who.Role, who.Org, err)
		}
	}
	for _, who := range []auth.Actor{p.other, p.depAnalyst} {
		if _, _, err := a.DocumentRequestFile(ctx, who, req.ID, 1); fault.CodeOf(err) != fault.NotFound {
			t.Errorf("%s of %s downloads: %v", who.Role, who.Org, err)
		}
	}
}

// overdueAndClose: the ministry's request, not answered by its due date,
// is overdue on both sides; only the ministry closes it.
func overdueAndClose(t *testing.T, a *App, p docPeople, late DocRequestView) {
	ctx := context.Background()
	for _, who := range []auth.Actor{p.officer, p.dep, p.kk} {
		list, err := a.DocumentRequests(ctx, who, DocRequestFilter{Status: grant.DocRequestOverdue})
		if err != nil || len(list) != 1 || list[0].ID != late.ID {
			t.Errorf("%s of %s: overdue %v, %v", who.Role, who.Org, list, err)
		}
	}
	if list, err := a.DocumentRequests(ctx, p.other, DocRequestFilter{}); err != nil || len(list) != 0 {
		t.Errorf("another region sees %v, %v", list, err)
	}
	if _, err := a.DocumentRequests(ctx, p.other, DocRequestFilter{Recipient: "region-25"}); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another region lists region-25's: %v", err)
	}
	if _, err := a.CloseDocumentRequest(ctx, p.kk, late.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("Kammarkollegiet closes the ministry's request: %v", err)
	}
	if v, err := a.CloseDocumentRequest(ctx, p.dep, late.ID); err != nil || v.Status != grant.DocRequestClosed {
		t.Errorf("close: %+v, %v", v, err)
	}
}

// TestReportAttachments: the recipient's officer attaches a file to its
// financial report while it is a draft; a reader downloads it; others are
// refused.
func TestReportAttachments(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	cfo := addUser(t, a, "cfo@nll.se", "region-25", auth.CFO)
	kk := addUser(t, a, "pay@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer)
	other := addUser(t, a, "officer@vll.se", "region-24", auth.RecipientOfficer)
	pay(t, a, officer, signatory, kk, "region-25")
	clk.Set(time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC))
	rep, err := a.CreateReport(ctx, officer, reportForm(a, "region-25", 0))
	if err != nil {
		t.Fatal(err)
	}
	csv := []byte("konto;belopp\n4010;1000\n")
	if _, err := a.AttachToReport(ctx, other, rep.ID, "k.csv", csv); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another region attaches: %v", err)
	}
	if _, err := a.AttachToReport(ctx, cfo, rep.ID, "k.csv", csv); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("the CFO attaches: %v", err)
	}
	if _, err := a.AttachToReport(ctx, officer, rep.ID, "k.xlsx", elfProgram); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("a program: %v", err)
	}
	at, err := a.AttachToReport(ctx, officer, rep.ID, "konton.csv", csv)
	if err != nil || at.ContentType != "text/csv; charset=utf-8" {
		t.Fatalf("attach: %+v, %v", at, err)
	}
	list, err := a.ReportAttachments(ctx, kk, rep.ID)
	if err != nil || len(list) != 1 || list[0].Name != "konton.csv" {
		t.Errorf("Kammarkollegiet lists %v, %v", list, err)
	}
	if _, content, err := a.ReportFile(ctx, cfo, rep.ID, 1); err != nil || !bytes.Equal(content, csv) {
		t.Errorf("the CFO downloads: %v", err)
	}
	if _, _, err := a.ReportFile(ctx, other, rep.ID, 1); err == nil {
		t.Error("another region downloads the report's file")
	}
	if _, err := a.ReviewReport(ctx, cfo, rep.ID, grant.Review{Alternative: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AttachToReport(ctx, officer, rep.ID, "sen.csv", csv); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("a file to a reviewed report: %v", err)
	}
}

func hasField(err error, field string) bool {
	var f *fault.Error
	return errors.As(err, &f) && f.Fields[field] != ""
}

// auditHas checks that an entry of the action carries the text in its
// detail.
func auditHas(t *testing.T, a *App, action, text string) {
	t.Helper()
	err := a.db.View(context.Background(), func(tx *store.Tx) error {
		entries, err := tx.AuditLog(1000, true)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Action == action && strings.Contains(e.Detail, text) {
				return nil
			}
		}
		t.Errorf("no audit entry %s with %s", action, text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
