package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/mail/mailtest"
	"narvard/internal/questionnaire"
	"narvard/internal/survey"
)

// TestSurveyMails: a survey to the municipalities closing Friday
// 2023-12-15; Östersund has submitted, Krokom has not. From the Monday
// before, Krokom's officer and signatory are mailed once that it closes
// Friday (reminding again, and from a restarted app, writes nothing);
// Östersund is not. The runner's own reminder mails Krokom again at once
// and records when.
func TestSurveyMails(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	follow := addUser(t, a, "u@socialstyrelsen.se", "socialstyrelsen", auth.FollowUp)
	ost := addUser(t, a, "o@ostersund.se", "kommun-2380", auth.RecipientOfficer)
	addUser(t, a, "o@krokom.se", "kommun-2309", auth.RecipientOfficer)
	addUser(t, a, "s@krokom.se", "kommun-2309", auth.Signatory)
	addUser(t, a, "c@krokom.se", "kommun-2309", auth.CFO)
	s, err := a.CreateSurvey(ctx, follow, SurveyForm{Template: []byte(`"enkat-kommuner-2019"`), Recipients: []byte(`"kommuner"`), Opens: "2023-11-01", Closes: "2023-12-15"})
	if err != nil {
		t.Fatal(err)
	}
	var answers questionnaire.Answers
	if err := json.Unmarshal([]byte(`{"q1": {"politisk": "ja", "ledning": "ja", "verksamhetschef": "ja", "profession": "nej"}, "q2": "nej", "q2a": "ja",
		"q3": {"sjukskoterska": "brist", "specialistsjukskoterska": "brist", "fysioterapeut": "balans", "arbetsterapeut": "balans", "dietist": "finns_inte", "farmaceut": "finns_inte"}}`), &answers); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AnswerSurvey(ctx, ost, s.ID, "kommun-2380", answers, true, survey.SourceWeb); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, 0)
	for _, day := range []int{8, 9} { // Friday and Saturday before: too early
		clk.Set(time.Date(2023, 12, day, 9, 0, 0, 0, clock.Stockholm))
		if n, err := a.Remind(ctx); err != nil || n != 0 {
			t.Fatalf("%d December: %d mails, %v", day, n, err)
		}
	}
	clk.Set(time.Date(2023, 12, 11, 9, 0, 0, 0, clock.Stockholm))
	for range 2 {
		if _, err := a.Remind(ctx); err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(time.Date(2023, 12, 12, 9, 0, 0, 0, clock.Stockholm))
	restarted, err := New(ctx, a.db, agreement.Builtin(), clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := restarted.Remind(ctx); err != nil {
		t.Fatal(err)
	}
	drain(t, a, srv.Sender(t))
	drain(t, restarted, srv.Sender(t))
	link := "/enkater/" + s.ID + "/svar/kommun-2309"
	expectMails(t, srv.Mails(), []string{
		"o@krokom.se stänger fredag 2023-12-15 ert svar är inte inskickat " + link,
		"s@krokom.se stänger fredag 2023-12-15 ert svar är inte inskickat " + link,
	})

	rems, err := a.RemindSurvey(ctx, follow, s.ID, []string{"kommun-2309"})
	if err != nil {
		t.Fatal(err)
	}
	if rems[0].Mailed.IsZero() {
		t.Error("the reminder does not record that it was mailed")
	}
	drain(t, a, srv.Sender(t))
	expectMails(t, srv.Mails()[2:], []string{"o@krokom.se Påminnelse: stänger fredag 2023-12-15 " + link, "s@krokom.se Påminnelse: " + link})

	// After it closed, nothing more.
	clk.Set(time.Date(2023, 12, 16, 9, 0, 0, 0, clock.Stockholm))
	if n, err := a.Remind(ctx); err != nil || n != 0 {
		t.Errorf("after closing: %d mails, %v", n, err)
	}
}

// TestDocumentAndReportMails: an answered request for underlag mails the
// one who asked (not the others of the agency); a municipality's report
// signed mails its RSS's officer and signatory, returned the
// municipality's; a VFU report written mails the signatory that it waits
// for the signature.
func TestDocumentAndReportMails(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	payer := addUser(t, a, "p@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	addUser(t, a, "other@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	officer := addUser(t, a, "o@nll.se", "region-25", auth.RecipientOfficer)
	addUser(t, a, "s@nll.se", "region-25", auth.Signatory)
	rssO := addUser(t, a, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	rssS := addUser(t, a, "s@rss-23.se", "rss-23", auth.Signatory)
	ostO := addUser(t, a, "o@ostersund.se", "kommun-2380", auth.RecipientOfficer)
	ostS := addUser(t, a, "s@ostersund.se", "kommun-2380", auth.Signatory)
	d := jamtlandOnward(t, a, rssO, rssS, payer)
	srv := mailtest.Start(t, 0)
	drain(t, a, srv.Sender(t))
	before := len(srv.Mails())

	req, err := a.RequestDocuments(ctx, payer, DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25", Text: "Huvudboken.", DueDate: "2023-12-15"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AttachToDocumentRequest(ctx, officer, req.ID, "huvudbok.pdf", pdfFile); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AnswerDocumentRequest(ctx, officer, req.ID, "Huvudboken bifogas."); err != nil {
		t.Fatal(err)
	}
	al, _ := a.Allocation("gnv-2023", "rss-23")
	c0 := al.Components[0].ID
	mr, err := a.CreateMunicipalReport(ctx, ostO, "gnv-2023", "kommun-2380", []grant.CostLine{{Item: "Undersköterskor", Component: c0, Amount: row(d, "2380", c0) / 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignMunicipalReport(ctx, ostS, mr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReturnMunicipalReport(ctx, rssO, mr.ID, "Underlag saknas."); err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2023, 3, 15, 10, 0, 0, 0, clock.Stockholm)) // before the VFU report's deadline
	v, err := a.CreateVFUReport(ctx, officer, "gnv-2023", "region-25", grant.VFUFigures{WeeksBase: 10, PlacesBase: 2, WeeksCurrent: 12, PlacesCurrent: 3})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, a, srv.Sender(t))
	mr0 := "/kommunredovisningar/" + mr.ID
	expectMails(t, srv.Mails()[before:], []string{
		"o@nll.se ber Region Norrbotten om underlag", "s@nll.se ber Region Norrbotten om underlag",
		"p@kammarkollegiet.se Begäran om underlag " + req.ID + " till Region Norrbotten är besvarad /underlag/" + req.ID,
		"o@rss-23.se Redovisningen " + mr.ID + " från Östersund kommun till RSS Jämtlands län på RSS:ens granskning " + mr0,
		"s@rss-23.se väntar på RSS:ens granskning " + mr0,
		"o@ostersund.se har skickats tillbaka Skäl: Underlag saknas. " + mr0,
		"s@ostersund.se har skickats tillbaka Skäl: Underlag saknas. " + mr0,
		"s@nll.se VFU-redovisningen " + v.ID + " väntar på din underskrift /vfu/" + v.ID,
	})
}
