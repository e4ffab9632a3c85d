package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
)

// feed fetches the token's feed and parses it with emersion/go-ical, after
// checking the lines: CRLF, at most 75 octets.
func feed(t *testing.T, a *App, token string) (*ical.Calendar, error) {
	t.Helper()
	var b bytes.Buffer
	if err := a.CalendarFeed(context.Background(), token, &b); err != nil {
		return nil, err
	}
	raw := b.String()
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") {
		t.Errorf("feed does not end in CRLF")
	}
	folded := false
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if strings.Contains(line, "\n") || len(line) > 75 {
			t.Errorf("line %d: %d octets or a bare LF: %q", i+1, len(line), line)
		}
		folded = folded || strings.HasPrefix(line, " ")
	}
	if !folded {
		t.Error("no line folded: the test's long DESCRIPTION should fold")
	}
	return ical.NewDecoder(strings.NewReader(raw)).Decode()
}

// TestCalendarFeed: a region's officer makes a secret feed; it parses and
// holds every deadline of the region's agreements as an all-day event with
// a stable UID, a DTSTAMP, a Swedish SUMMARY and a DESCRIPTION with a
// link; a new address ends the old one, revoking ends it, and a disabled
// user's feed is gone.
func TestCalendarFeed(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	a.BaseURL = "https://narvard.example.se"
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	admin := addUser(t, a, "admin@kammarkollegiet.se", "kammarkollegiet", auth.Admin)
	token, err := a.CreateCalendarToken(ctx, officer)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := feed(t, a, token)
	if err != nil {
		t.Fatal(err)
	}
	var want []string // every deadline that concerns a region, in every agreement it takes part in
	for _, ag := range a.TakesPart("region-25") {
		for _, d := range ag.Deadlines {
			if slices.Contains(d.Who, "region") {
				want = append(want, d.Date.Time.Format(time.DateOnly)+" "+d.Name+" ("+ag.ID+")")
			}
		}
	}
	var got, uids []string
	for _, e := range cal.Events() {
		start, err := e.DateTimeStart(clock.Stockholm)
		end, _ := e.DateTimeEnd(clock.Stockholm)
		summary, _ := e.Props.Text(ical.PropSummary)
		desc, _ := e.Props.Text(ical.PropDescription)
		uid, _ := e.Props.Text(ical.PropUID)
		if err != nil || e.Props.Get(ical.PropDateTimeStart).ValueType() != ical.ValueDate || !end.Equal(start.AddDate(0, 0, 1)) {
			t.Errorf("%s: not an all-day event (%v – %v, %v)", summary, start, end, err)
		}
		if e.Props.Get(ical.PropDateTimeStamp) == nil || uid == "" || !strings.Contains(desc, "https://narvard.example.se/kalender") {
			t.Errorf("%s: DTSTAMP, UID or link missing: %q", summary, desc)
		}
		got = append(got, start.Format(time.DateOnly)+" "+summary)
		uids = append(uids, uid)
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 5 || !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Contains(got, "2024-03-31 Ekonomisk redovisning till Kammarkollegiet (gnv-2023)") {
		t.Errorf("no financial report deadline in Swedish: %v", got)
	}

	// A new address: the old one ends, the UIDs stay.
	second, err := a.CreateCalendarToken(ctx, officer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := feed(t, a, token); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("the old address after a new one: %v", err)
	}
	again, err := feed(t, a, second)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range again.Events() {
		if uid, _ := e.Props.Text(ical.PropUID); uid != uids[i] {
			t.Errorf("UID %d changed: %s, was %s", i, uid, uids[i])
		}
	}
	if _, err := feed(t, a, "gissad"); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("a guessed token: %v", err)
	}
	if _, err := a.SetUserDisabled(ctx, admin, officer.UserID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := feed(t, a, second); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("a disabled user's feed: %v", err)
	}
	if _, err := a.SetUserDisabled(ctx, admin, officer.UserID, false); err != nil {
		t.Fatal(err)
	}
	if err := a.RevokeCalendarToken(ctx, officer); err != nil {
		t.Fatal(err)
	}
	if _, err := feed(t, a, second); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("a revoked feed: %v", err)
	}
}
