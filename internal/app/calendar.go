package app

import (
	"cmp"
	"context"
	"io"
	"slices"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/calendar"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
)

// CalendarEntry is one deadline of an agreement the organisation takes
// part in.
type CalendarEntry struct {
	Agreement *agreement.Agreement
	Deadline  agreement.Deadline
	Passed    bool
}

// UID is the entry's stable iCalendar UID.
func (e CalendarEntry) UID(orgID string) string {
	return "deadline-" + e.Agreement.ID + "-" + string(e.Deadline.ID) + "-" + orgID + "@narvard"
}

// CalendarView is the user's calendar page: the organisation's deadlines
// across agreements and years, and whether the user has a feed token.
type CalendarView struct {
	Org       org.Organisation
	Entries   []CalendarEntry
	FeedSince time.Time // zero: no feed
}

// deadlinesOf lists the deadlines of every agreement the organisation
// takes part in that concern it, by date: a recipient's those naming its
// kind, an agency's or ministry's all.
func (a *App) deadlinesOf(o org.Organisation) []CalendarEntry {
	now := a.Clock.Now()
	recipient := o.Kind == org.KindRegion || o.Kind == org.KindRSS || o.Kind == org.KindKommun || o.Kind == org.KindSKR
	var out []CalendarEntry
	for _, ag := range a.TakesPart(o.ID) {
		for _, d := range ag.Deadlines {
			if recipient && !slices.Contains(d.Who, o.Kind) {
				continue
			}
			out = append(out, CalendarEntry{Agreement: ag, Deadline: d, Passed: clock.Passed(d.Date.Time, now)})
		}
	}
	slices.SortStableFunc(out, func(x, y CalendarEntry) int {
		return cmp.Or(x.Deadline.Date.Time.Compare(y.Deadline.Date.Time), cmp.Compare(x.Agreement.ID, y.Agreement.ID))
	})
	return out
}

// Calendar returns the user's own calendar page.
func (a *App) Calendar(ctx context.Context, actor auth.Actor) (CalendarView, error) {
	if err := grant.CanManageAccount(actor, actor.UserID); err != nil {
		return CalendarView{}, err
	}
	var v CalendarView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if v.Org, err = tx.Organisation(actor.Org); err != nil {
			return notFound(err, "Organisationen %s finns inte.", actor.Org)
		}
		v.FeedSince, err = tx.CalendarTokenSince(actor.UserID)
		return err
	})
	v.Entries = a.deadlinesOf(v.Org)
	return v, err
}

// CreateCalendarToken gives the user a new secret feed address, ending
// the old one. Only the token's hash is kept; the token is shown once.
func (a *App) CreateCalendarToken(ctx context.Context, actor auth.Actor) (string, error) {
	if err := grant.CanManageAccount(actor, actor.UserID); err != nil {
		return "", err
	}
	token := auth.NewToken()
	now := a.Clock.Now()
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetCalendarToken(actor.UserID, auth.TokenHash(token), a.Timer.Now()); err != nil {
			return err
		}
		_, err := tx.Audit(entry(actor, now, "calendar_token.create", "user:"+actor.Email, nil))
		return err
	})
	return token, err
}

// RevokeCalendarToken ends the user's feed address.
func (a *App) RevokeCalendarToken(ctx context.Context, actor auth.Actor) error {
	return a.revoke(ctx, actor, actor.UserID, "calendar_token.revoke", func(tx *store.Tx) (bool, error) {
		since, err := tx.CalendarTokenSince(actor.UserID)
		if err != nil || since.IsZero() {
			return false, err
		}
		return true, tx.DeleteCalendarToken(actor.UserID)
	})
}

// CalendarFeed writes the iCalendar feed of the token's user: its
// organisation's deadlines. An unknown or revoked token, or a disabled
// user, is not found.
func (a *App) CalendarFeed(ctx context.Context, token string, w io.Writer) error {
	var u auth.User
	var o org.Organisation
	err := a.db.View(ctx, func(tx *store.Tx) error {
		id, err := tx.CalendarTokenUser(auth.TokenHash(token))
		if err != nil {
			return err
		}
		if u, err = tx.UserByID(id); err != nil {
			return err
		}
		o, err = tx.Organisation(u.Org)
		return err
	})
	if err != nil || u.Disabled {
		return fault.New(fault.NotFound, "Kalendern finns inte.")
	}
	actor := u.Actor()
	if err := grant.CanManageAccount(actor, actor.UserID); err != nil {
		return err
	}
	var events []calendar.Event
	for _, e := range a.deadlinesOf(o) {
		events = append(events, calendar.Event{UID: e.UID(o.ID), Date: e.Deadline.Date.Time,
			Summary:     e.Deadline.Name + " (" + e.Agreement.ID + ")",
			Description: e.Deadline.Name + ".\nÖverenskommelse: " + e.Agreement.Name + ".\nGäller " + o.Name + ".\nSe " + a.baseURL() + "/kalender",
			URL:         a.baseURL() + "/overenskommelser/" + e.Agreement.ID})
	}
	return calendar.Write(w, "narvard: "+o.Name, events, a.Timer.Now())
}
