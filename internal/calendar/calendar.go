// Package calendar writes deadlines as an iCalendar feed (RFC 5545) that
// calendar programs such as Outlook subscribe to: one all-day VEVENT per
// deadline with a stable UID, CRLF line endings and lines folded at 75
// octets (github.com/arran4/golang-ical does the writing).
package calendar

import (
	"io"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Event is one deadline on one day.
type Event struct {
	UID         string    // stable across feeds: the same deadline keeps it
	Date        time.Time // the day (Stockholm)
	Summary     string
	Description string
	URL         string
}

// Write writes the feed named name with the events; stamp is DTSTAMP.
func Write(w io.Writer, name string, events []Event, stamp time.Time) error {
	cal := ics.NewCalendarFor("narvard")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXPublishedTTL("PT12H")
	cal.SetRefreshInterval("PT12H")
	for _, e := range events {
		v := cal.AddEvent(e.UID)
		v.SetDtStampTime(stamp)
		v.SetAllDayStartAt(e.Date)
		v.SetAllDayEndAt(e.Date.AddDate(0, 0, 1))
		v.SetSummary(e.Summary)
		v.SetDescription(e.Description)
		if e.URL != "" {
			v.SetURL(e.URL)
		}
		v.SetTimeTransparency(ics.TransparencyTransparent)
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}
