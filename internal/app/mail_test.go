package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/mail/mailtest"
	"narvard/internal/store"
)

// drain sends what is due and fails the test on an error.
func drain(t *testing.T, a *App, s mail.Sender) int {
	t.Helper()
	n, err := a.DrainOutbox(context.Background(), s)
	if err != nil {
		t.Fatalf("drain: %v", err)
	}
	return n
}

// TestMailsReachTheServer: a requisition from draft to paid, a request for
// underlag and the report reminder each mail the right people, in
// Swedish, with a link to the page, once: sending again, from a new
// sender and a restarted app, sends nothing more; a digest user gets one
// mail of the day instead.
func TestMailsReachTheServer(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	a.BaseURL = "https://narvard.example.se/"
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	payer := addUser(t, a, "pay@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	digester := addUser(t, a, "cfo@nll.se", "region-25", auth.CFO)
	addUser(t, a, "officer@vll.se", "region-24", auth.RecipientOfficer)
	if err := a.SetMailDigest(ctx, digester, true); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, 0)

	al, _ := a.Allocation("gnv-2023", "region-25")
	r, err := a.CreateRequisition(ctx, officer, form("region-25", al.Total()))
	if err != nil {
		t.Fatal(err)
	}
	drain(t, a, srv.Sender(t))
	expectMails(t, srv.Mails(), []string{"sign@nll.se väntar på din underskrift /rekvisitioner/" + r.ID})

	if _, err := a.SignRequisition(ctx, signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApproveRequisition(ctx, payer, r.ID); err != nil {
		t.Fatal(err)
	}
	readyToPay(t, a, "kammarkollegiet")
	b, err := a.CreateBatch(ctx, payer, "gnv-2023", nil)
	if err != nil {
		t.Fatal(err)
	}
	attest(t, a, b.ID)
	if _, err := a.ConfirmBatch(ctx, payer, b.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RequestDocuments(ctx, payer, DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25",
		Text: "Huvudboken för konto 4010.", DueDate: "2023-12-15"}); err != nil {
		t.Fatal(err)
	}
	drain(t, a, srv.Sender(t))
	drain(t, a, srv.Sender(t))
	restarted, err := New(ctx, a.db, agreement.Builtin(), clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if n := drain(t, restarted, srv.Sender(t)); n != 0 {
		t.Errorf("restarted sender sent %d again", n)
	}
	link := "https://narvard.example.se/rekvisitioner/" + r.ID
	expectMails(t, srv.Mails(), []string{
		"sign@nll.se väntar på din underskrift /rekvisitioner/" + r.ID,
		"officer@nll.se är godkänd " + link, "sign@nll.se är godkänd " + link,
		"officer@nll.se är utbetald " + link, "sign@nll.se är utbetald " + link,
		"officer@nll.se Kammarkollegiet ber Region Norrbotten om underlag Sista dag att svara: 2023-12-15 /underlag/",
		"sign@nll.se Kammarkollegiet ber Region Norrbotten om underlag Sista dag att svara: 2023-12-15 /underlag/",
	})

	// Fourteen days before the report's deadline: reminded once, the
	// CFO in the digest with what was held for it.
	clk.Set(time.Date(2024, 3, 17, 9, 0, 0, 0, clock.Stockholm))
	for range 2 {
		if _, err := a.Remind(ctx); err != nil {
			t.Fatal(err)
		}
	}
	drain(t, a, srv.Sender(t))
	if _, err := restarted.Remind(ctx); err != nil {
		t.Fatal(err)
	}
	drain(t, restarted, srv.Sender(t))
	got := srv.Mails()[7:]
	expectMails(t, got, []string{
		"officer@nll.se ska vara inne om 14 dagar senast 2024-03-31", "sign@nll.se ska vara inne om 14 dagar senast 2024-03-31",
		"cfo@nll.se Daglig sammanfattning är inte påbörjad",
	})
	for _, m := range got {
		if m.To == "cfo@nll.se" && (!strings.Contains(m.Body, "https://narvard.example.se/redovisningar/ny?agreement=gnv-2023") || strings.Count(m.Body, "\n- ") != 1) {
			t.Errorf("digest:\n%s", m.Body)
		}
	}
}

// expectMails checks that the mails are exactly those described, one
// each: "to subject-or-body-part more-parts…".
func expectMails(t *testing.T, got []mailtest.Received, want []string) {
	t.Helper()
	if len(got) != len(want) {
		for _, m := range got {
			t.Logf("%s: %s", m.To, m.Subject)
		}
		t.Fatalf("%d mails, want %d", len(got), len(want))
	}
	left := slices.Clone(got)
	for _, w := range want {
		to, parts, _ := strings.Cut(w, " ")
		i := slices.IndexFunc(left, func(m mailtest.Received) bool {
			if m.To != to {
				return false
			}
			for _, p := range strings.Split(parts, " ") {
				if !strings.Contains(m.Subject+"\n"+m.Body, p) {
					return false
				}
			}
			return true
		})
		if i < 0 {
			t.Errorf("no mail %q among those left: %+v", w, left)
			continue
		}
		left = slices.Delete(left, i, i+1)
	}
}

// TestMailRetriesWithBackoff: a server that refuses twice gets the mail
// the third time, not before each backoff has passed, and once.
func TestMailRetriesWithBackoff(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	timer := clock.NewFrozen(time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC))
	a.Timer = timer
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	srv := mailtest.Start(t, 2)
	if _, err := a.CreateRequisition(ctx, officer, form("region-25", 100)); err != nil {
		t.Fatal(err)
	}
	for i, step := range []struct {
		wait           time.Duration
		tries, arrived int
		status         mail.Status
		attempts       int
	}{
		{0, 1, 0, mail.Pending, 1},
		{30 * time.Second, 1, 0, mail.Pending, 1}, // within the first backoff: not tried
		{31 * time.Second, 2, 0, mail.Pending, 2},
		{time.Minute, 2, 0, mail.Pending, 2}, // the second backoff is two minutes
		{time.Minute, 3, 1, mail.Sent, 3},
		{time.Hour, 3, 1, mail.Sent, 3},
	} {
		timer.Set(timer.Now().Add(step.wait))
		drain(t, a, srv.Sender(t))
		tries := srv.Tries()
		box, err := a.Outbox(ctx)
		if err != nil || len(box) != 1 {
			t.Fatalf("outbox: %v, %v", box, err)
		}
		if tries != step.tries || len(srv.Mails()) != step.arrived || box[0].Status != step.status || box[0].Attempts != step.attempts {
			t.Errorf("step %d: %d tries, %d arrived, %s after %d attempts (%s)", i, tries, len(srv.Mails()), box[0].Status, box[0].Attempts, box[0].LastError)
		}
	}
}

// panicky is a sender that panics on its first mail and then sends.
type panicky struct {
	calls int
	srv   mail.Sender
}

func (p *panicky) Send(ctx context.Context, m mail.Message) error {
	if p.calls++; p.calls == 1 {
		panic("kaputt")
	}
	return p.srv.Send(ctx, m)
}

// TestRunMail: serve's loop turns a panic in a round into an error in the
// log and goes on (the mail leased in that round goes out when its lease
// ends), and stops when its context ends.
func TestRunMail(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	var logged strings.Builder
	var mu sync.Mutex
	a.Log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logged}, nil))
	timer := clock.NewFrozen(time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC))
	a.Timer = timer
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	if _, err := a.CreateRequisition(context.Background(), officer, form("region-25", 100)); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, 0)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		a.RunMail(ctx, &panicky{srv: srv.Sender(t)}, 10*time.Millisecond)
	}()
	panicked := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(logged.String(), "programfel i e-postutskicket: kaputt")
	}
	deadline := time.Now().Add(30 * time.Second)
	for !panicked() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	timer.Set(timer.Now().Add(lease + time.Second)) // the lease of the round that panicked ends
	for len(srv.Mails()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the mail loop did not stop")
	}
	mu.Lock()
	log := logged.String()
	mu.Unlock()
	if len(srv.Mails()) != 1 || !strings.Contains(log, "programfel i e-postutskicket: kaputt") {
		t.Errorf("%d mails; log:\n%s", len(srv.Mails()), log)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestMailsOnReturns: a rejected requisition and a report's way from
// draft to returned mail the people each step waits for, with the
// reason; a refused step writes no mail.
func TestMailsOnReturns(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	cfo := addUser(t, a, "cfo@nll.se", "region-25", auth.CFO)
	payer := addUser(t, a, "pay@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	r, err := a.CreateRequisition(ctx, officer, form("region-25", 100))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RejectRequisition(ctx, payer, r.ID, "Fel bankgiro."); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApproveRequisition(ctx, signatory, r.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("signatory approving: %v", err)
	}
	if _, err := a.WithdrawRequisition(ctx, officer, r.ID); err != nil {
		t.Fatal(err)
	}
	pay(t, a, officer, signatory, payer, "region-25")
	clk.Set(time.Date(2024, 3, 20, 10, 0, 0, 0, clock.Stockholm))
	srv := mailtest.Start(t, 0)
	drain(t, a, srv.Sender(t)) // what came before the report
	before := len(srv.Mails())
	v, err := a.CreateReport(ctx, officer, reportForm(a, "region-25", 100))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReviewReport(ctx, cfo, v.ID, grant.Review{Alternative: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignReport(ctx, signatory, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReturnReport(ctx, payer, v.ID, "Kostnaderna saknar underlag."); err != nil {
		t.Fatal(err)
	}
	drain(t, a, srv.Sender(t))
	link := "/redovisningar/" + v.ID
	expectMails(t, srv.Mails()[before:], []string{
		"cfo@nll.se väntar på din granskning " + link,
		"sign@nll.se granskad och väntar på din underskrift " + link,
		"officer@nll.se har skickats tillbaka Skäl: Kostnaderna saknar underlag. " + link,
		"cfo@nll.se har skickats tillbaka Skäl: Kostnaderna saknar underlag. " + link,
		"sign@nll.se har skickats tillbaka Skäl: Kostnaderna saknar underlag. " + link,
	})
	rejected := 0
	for _, m := range srv.Mails()[:before] {
		if strings.Contains(m.Body, "Skäl: Fel bankgiro.") && strings.Contains(m.Subject, r.ID) {
			rejected++
		}
		if strings.Contains(m.Subject, "godkänd") && strings.Contains(m.Subject, r.ID) {
			t.Errorf("a refused approval mailed: %s", m.Subject)
		}
	}
	if rejected != 2 {
		t.Errorf("%d mails of the rejection, want the officer's and the signatory's", rejected)
	}
}

// TestMailRollsBackWithItsEvent: a mail written in a transaction that
// fails is gone with it.
func TestMailRollsBackWithItsEvent(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	r, err := a.CreateRequisition(ctx, officer, form("region-25", 100))
	if err != nil {
		t.Fatal(err)
	}
	failed := errors.New("the event failed after its mail")
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		r.Status, r.RejectReason = grant.Rejected, "Fel."
		if err := a.notifyRequisition(tx, a.Clock.Now(), r); err != nil {
			return err
		}
		return failed
	})
	box, berr := a.Outbox(ctx)
	if !errors.Is(err, failed) || berr != nil || len(box) != 1 || box[0].Kind != mail.KindSignRequisition {
		t.Errorf("after a failed event: %v, outbox %+v, %v", err, box, berr)
	}
}
