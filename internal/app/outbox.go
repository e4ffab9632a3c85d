package app

import (
	"context"
	"fmt"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/store"
)

// ReminderDays is how many days before the financial report's deadline
// a recipient that has not begun it is reminded.
const ReminderDays = 14

// lease is how long a mail being sent is kept from another sender.
const lease = 5 * time.Minute

// DrainOutbox sends the mails that are due, one at a time, and records
// each try: sent, or failed with the next try after a backoff, or given up
// after mail.MaxAttempts. A mail is leased before it is sent, so two
// senders never send the same one. The log names the mail's kind and
// object, never its address or text.
func (a *App) DrainOutbox(ctx context.Context, s mail.Sender) (sent int, err error) {
	var due []mail.Message
	if err := a.db.View(ctx, func(tx *store.Tx) error {
		due, err = tx.Mails(mail.Pending, a.Timer.Now())
		return err
	}); err != nil {
		return 0, err
	}
	for _, m := range due {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		ok, err := a.leaseMail(ctx, m)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue // another sender has it
		}
		if err := a.tryMail(ctx, s, m); err != nil {
			return sent, err
		}
		if m, _ = a.mail(ctx, m.Key); m.Status == mail.Sent {
			sent++
		}
	}
	return sent, nil
}

// leaseMail moves the mail's next try past the lease, if it is still
// pending and due; false if another sender took it.
func (a *App) leaseMail(ctx context.Context, m mail.Message) (bool, error) {
	now := a.Timer.Now()
	ok := false
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.Mail(m.Key)
		if err != nil || cur.Status != mail.Pending || cur.NextAt.After(now) {
			return err
		}
		cur.NextAt, ok = now.Add(lease), true
		return tx.SaveMailState(cur)
	})
	return ok, err
}

// tryMail sends one mail and records the outcome.
func (a *App) tryMail(ctx context.Context, s mail.Sender, m mail.Message) error {
	sendErr := s.Send(ctx, m)
	now := a.Timer.Now()
	m.Attempts++
	switch {
	case sendErr == nil:
		m.Status, m.SentAt, m.LastError = mail.Sent, now, ""
	case m.Attempts >= mail.MaxAttempts:
		m.Status, m.LastError = mail.Failed, short(sendErr.Error())
	default:
		m.NextAt, m.LastError = now.Add(mail.Backoff(m.Attempts)), short(sendErr.Error())
	}
	if sendErr != nil {
		a.Log.Warn("mail not sent", "kind", m.Kind, "object", m.Object, "attempts", m.Attempts, "status", m.Status, "err", m.LastError)
	}
	return a.db.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.SaveMailState(m) })
}

func short(s string) string {
	if len(s) > 300 {
		return s[:300]
	}
	return s
}

func (a *App) mail(ctx context.Context, key string) (mail.Message, error) {
	var m mail.Message
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		m, err = tx.Mail(key)
		return err
	})
	return m, err
}

// Outbox returns every mail in the outbox, for the command line and tests.
func (a *App) Outbox(ctx context.Context) ([]mail.Message, error) {
	var out []mail.Message
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.AllMails()
		return err
	})
	return out, err
}

// Remind writes the day's reminders and digests to the outbox: a
// recipient paid under an agreement whose financial report is due within
// ReminderDays and not begun (once per deadline), an invited organisation
// that has not submitted a survey closing within SurveyReminderDays (once
// per survey), and to each user who
// chose the digest one mail gathering what was held for it (once a day).
// Each mail has its key, so running it again writes nothing new. It
// returns how many mails it wrote.
func (a *App) Remind(ctx context.Context) (int, error) {
	now := a.Clock.Now()
	n := 0
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		for _, ag := range a.Agreements.All() {
			k, err := a.remindReports(tx, ag, now)
			if err != nil {
				return err
			}
			n += k
		}
		k, err := a.remindSurveys(tx, now)
		if err != nil {
			return err
		}
		n += k
		k, err = a.digests(tx, now)
		n += k
		return err
	})
	return n, err
}

// remindReports reminds the recipients that were paid and have no report
// when the report's deadline is ReminderDays away or less.
func (a *App) remindReports(tx *store.Tx, ag *agreement.Agreement, now time.Time) (int, error) {
	d, ok := ag.Deadline(agreement.DeadlineFinancialReport)
	if !ok || clock.Passed(d.Date.Time, now) || clock.Today(now).AddDate(0, 0, ReminderDays).Before(d.Date.Time) {
		return 0, nil
	}
	before, err := a.outboxSize(tx)
	if err != nil {
		return 0, err
	}
	for _, recipient := range sortedKeys(a.allocations[ag.ID]) {
		begun, err := reportBegun(tx, ag.ID, recipient)
		if err != nil {
			return 0, err
		}
		if begun {
			continue
		}
		n := mail.Notice{Kind: mail.KindReportDue, Object: "report_due:" + ag.ID + ":" + recipient,
			Path: "/redovisningar/ny?agreement=" + ag.ID, Date: d.Date.Time.Format(time.DateOnly),
			Days: int(d.Date.Time.Sub(clock.Today(now)).Hours() / 24), // both dates at midnight UTC
			What: "Den ekonomiska redovisningen för " + orgName(tx, recipient) + " (" + ag.ID + ")"}
		// Keyed by the deadline's day: one reminder per deadline.
		if err := a.notify(tx, d.Date.Time, n, recipient, auth.RecipientOfficer, auth.CFO, auth.Signatory); err != nil {
			return 0, err
		}
	}
	after, err := a.outboxSize(tx)
	return after - before, err
}

// reportBegun reports whether the recipient has nothing to report (was
// never paid) or has begun its financial report.
func reportBegun(tx *store.Tx, agreementID, recipient string) (bool, error) {
	paid, err := paidTotal(tx, agreementID, recipient)
	if err != nil || paid == 0 {
		return true, err
	}
	reports, err := tx.Reports(grant.ReportFilter{Agreement: agreementID, Recipient: recipient})
	return len(reports) > 0, err
}

func (a *App) outboxSize(tx *store.Tx) (int, error) {
	all, err := tx.AllMails()
	return len(all), err
}

// digests gathers each digest user's held mails into one mail of the day.
func (a *App) digests(tx *store.Tx, now time.Time) (int, error) {
	held, err := tx.Mails(mail.Held, time.Time{})
	if err != nil {
		return 0, err
	}
	byTo := map[string][]mail.Message{}
	var order []string
	for _, m := range held {
		if byTo[m.To] == nil {
			order = append(order, m.To)
		}
		byTo[m.To] = append(byTo[m.To], m)
	}
	day := clock.Today(now)
	sentAt := a.Timer.Now()
	n := 0
	for _, to := range order {
		subject, body := mail.Digest(day.Format(time.DateOnly), byTo[to], a.baseURL())
		wrote, err := tx.EnqueueMail(mail.Message{Key: mail.Key(mail.KindDigest, "digest", to, day), Kind: mail.KindDigest,
			Object: fmt.Sprintf("digest:%d", len(byTo[to])), To: to, Subject: subject, Body: body,
			Status: mail.Pending, NextAt: sentAt, CreatedAt: sentAt})
		if err != nil {
			return n, err
		}
		if !wrote {
			continue // today's went out already: the rest waits for tomorrow's
		}
		n++
		for _, m := range byTo[to] {
			m.Status = mail.Digested
			if err := tx.SaveMailState(m); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
