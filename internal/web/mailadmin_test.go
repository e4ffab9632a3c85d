package web

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/mail"
	"narvard/internal/mail/mailtest"
)

// refusing is a sender the server always refuses.
type refusing struct{}

func (refusing) Send(context.Context, mail.Message) error {
	return errors.New("550 5.1.1 mailbox unavailable")
}

// TestFailedMailsPage: a mail the server refused MaxAttempts times is on
// the admin's page with its error; others may not see the page; the retry
// asks for the CSRF token, sends it on the next drain to a working server
// and it leaves the page.
func TestFailedMailsPage(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	ctx := t.Context()
	admin := signedInAs(t, h, "admin@kk.se", "kammarkollegiet", auth.Admin)
	signInOfficer := signedInAs(t, h, "o@nll.se", "region-25", auth.RecipientOfficer)
	if _, err := a.AddUser(ctx, "s@nll.se", "", "region-25", auth.Signatory, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	timer := clock.NewFrozen(demoNow)
	real := a.Timer
	a.Timer = timer
	t.Cleanup(func() { a.Timer = real })
	draftRequisition(t, "region-25", 1000)
	for range mail.MaxAttempts {
		if _, err := a.DrainOutbox(ctx, refusing{}); err != nil {
			t.Fatal(err)
		}
		timer.Set(timer.Now().Add(7 * time.Hour))
	}
	page := admin.do("GET", "/admin/e-post", nil)
	body := page.Body.String()
	if page.Code != 200 || !strings.Contains(body, "väntar på din underskrift") || !strings.Contains(body, "550 5.1.1 mailbox unavailable") || !strings.Contains(body, "s@nll.se") {
		t.Fatalf("the failed mails: %d %s", page.Code, body)
	}
	if rec := signInOfficer.do("GET", "/admin/e-post", nil); rec.Code != 403 {
		t.Errorf("an officer sees the failed mails: %d", rec.Code)
	}
	failed, err := a.FailedMails(ctx, auth.Actor{Role: auth.Admin})
	if err != nil || len(failed) != 1 {
		t.Fatalf("failed: %v %v", failed, err)
	}
	form := url.Values{"key": {failed[0].Key}}
	if rec := admin.do("POST", "/admin/e-post/forsok-igen", form); rec.Code != 403 {
		t.Errorf("without a CSRF token: %d", rec.Code)
	}
	form.Set("csrf", admin.csrf("/admin/e-post"))
	rec := admin.do("POST", "/admin/e-post/forsok-igen", form)
	if rec.Code != 303 {
		t.Fatalf("retry: %d %s", rec.Code, rec.Body)
	}
	if body := admin.do("GET", rec.Header().Get("Location"), nil).Body.String(); !strings.Contains(body, "data-retried") || !strings.Contains(body, "data-no-failed") {
		t.Errorf("after the retry: %s", body)
	}
	if rec := admin.do("POST", "/admin/e-post/forsok-igen", form); rec.Code != 422 {
		t.Errorf("a retry of a mail no longer failed: %d", rec.Code)
	}
	srv := mailtest.Start(t, 0)
	if n, err := a.DrainOutbox(ctx, srv.Sender(t)); err != nil || n != 1 {
		t.Fatalf("drain: %d %v", n, err)
	}
	if got := srv.Mails(); len(got) != 1 || got[0].To != "s@nll.se" {
		t.Errorf("sent: %+v", got)
	}
}
