// Package survey owns surveys (enkäter) to municipalities, regions and
// RSS on a question template of package questionnaire (use "survey"): who
// is invited and when it is open, the answers (one response per invited
// organisation), answers collected elsewhere read from a CSV file, the
// results (n, counts and whole per cent by the largest remainder,
// integer statistics as exact rationals, text answers), the results
// table as Socialstyrelsen prints it and its bar charts as SVG. It knows
// nothing of HTTP or SQL.
package survey

import (
	"slices"
	"time"

	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
)

// Survey is a survey: its template as it was when the survey was made,
// the agency that runs it, the invited organisations and the dates it is
// open (both days included, Stockholm time).
type Survey struct {
	ID         string
	Title      string
	Template   *questionnaire.Template
	Body       []byte // the template's JSON as stored with the survey
	Owner      string // the agency whose follow-up officers run it
	Recipients []string
	Opens      time.Time // a date, at midnight UTC
	Closes     time.Time // a date, at midnight UTC: open to the end of the day in Stockholm
	CreatedBy  string
	CreatedAt  time.Time
}

// Groups are the recipient groups a survey may go to, by the name the API
// takes, with the kind of organisation each holds.
var Groups = map[string]string{"kommuner": org.KindKommun, "regioner": org.KindRegion, "rss": org.KindRSS}

// groupNames are the Swedish plural of a kind, for "226 av 290 kommuner".
var groupNames = map[string]string{org.KindKommun: "kommuner", org.KindRegion: "regioner", org.KindRSS: "RSS"}

// Invited reports whether the organisation is invited.
func (s Survey) Invited(id string) bool { return slices.Contains(s.Recipients, id) }

// CheckOpen refuses an answer before the survey opens (Conflict) or after
// it closed (DeadlinePassed).
func (s Survey) CheckOpen(now time.Time) error {
	y, m, d := s.Opens.Date()
	if now.Before(time.Date(y, m, d, 0, 0, 0, 0, clock.Stockholm)) {
		return fault.New(fault.Conflict, "Enkäten öppnar %s.", s.Opens.Format(time.DateOnly))
	}
	if clock.Passed(s.Closes, now) {
		return fault.New(fault.DeadlinePassed, "Enkäten stängde %s; svaret kan inte längre ändras.", s.Closes.Format(time.DateOnly))
	}
	return nil
}

// Noun is what the invited are called, in the plural ("kommuner",
// "regioner", "RSS", or "organisationer" for a mix).
func (s Survey) Noun() string {
	kind := ""
	for _, r := range s.Recipients {
		k, _, _ := org.Parse(r)
		if kind != "" && k != kind {
			return "organisationer"
		}
		kind = k
	}
	if n, ok := groupNames[kind]; ok {
		return n
	}
	return "organisationer"
}

// Response is an invited organisation's answers. Submitted is false for a
// web form saved as the officer goes; results count submitted responses.
type Response struct {
	Survey    string
	Recipient string
	Answers   questionnaire.Answers
	Submitted bool
	Source    string // SourceWeb, SourceAPI or SourceImport
	By        string
	At        time.Time
}

// Where a response came from.
const (
	SourceWeb    = "web"
	SourceAPI    = "api"
	SourceImport = "import"
)

// ResponseID is a response's key: the survey and the recipient.
func ResponseID(survey, recipient string) string { return survey + "/" + recipient }

// Reminder is a reminder to an invited organisation that has not answered:
// recorded when the follow-up officer sends it; Mailed is set once a mail
// has gone out (zero until the product sends mail).
type Reminder struct {
	ID        string
	Survey    string
	Recipient string
	By        string
	At        time.Time
	Mailed    time.Time
}

// Missing lists the invited organisations without a submitted response,
// in the survey's order.
func (s Survey) Missing(responses []Response) []string {
	done := map[string]bool{}
	for _, r := range responses {
		if r.Submitted {
			done[r.Recipient] = true
		}
	}
	var out []string
	for _, id := range s.Recipients {
		if !done[id] {
			out = append(out, id)
		}
	}
	return out
}

// Phase is where a survey is in time: not yet open, open or closed.
type Phase string

// The phases of a survey.
const (
	Upcoming Phase = "upcoming"
	Open     Phase = "open"
	Closed   Phase = "closed"
)

var phaseNames = map[Phase]string{Upcoming: "kommande", Open: "öppen", Closed: "stängd"}

// Swedish names the phase in Swedish.
func (p Phase) Swedish() string { return phaseNames[p] }

// PhaseAt is the survey's phase at the time (CheckOpen's dates).
func (s Survey) PhaseAt(now time.Time) Phase {
	y, m, d := s.Opens.Date()
	switch {
	case now.Before(time.Date(y, m, d, 0, 0, 0, 0, clock.Stockholm)):
		return Upcoming
	case clock.Passed(s.Closes, now):
		return Closed
	}
	return Open
}
