package mail

import (
	"fmt"
	"strings"
	"time"
)

// Notice is what happened, in the words a mail needs: the document's name
// in Swedish ("Rekvisitionen R-1 för Region Jämtland Härjedalen"), the
// page it is on, and for a return its reason.
type Notice struct {
	Kind   Kind
	Object string // "requisition:R-1"
	What   string // "Rekvisitionen R-1 för Region Jämtland Härjedalen (gnv-2023)"
	Path   string // "/rekvisitioner/R-1"
	Reason string
	Date   string // a due date, "2024-03-31"
	Days   int    // days left to the due date, for a reminder
}

// sentences are the subject and the first line of each kind's mail.
var sentences = map[Kind][2]string{
	KindSignRequisition: {"väntar på din underskrift", "%s väntar på din underskrift."},
	KindRejected:        {"har skickats tillbaka", "%s har skickats tillbaka för rättelse."},
	KindApproved:        {"är godkänd", "%s är godkänd och kommer att betalas ut."},
	KindPaid:            {"är utbetald", "%s är utbetald."},
	KindReviewReport:    {"väntar på din granskning", "%s väntar på din granskning som ekonomichef."},
	KindSignReport:      {"väntar på din underskrift", "%s är granskad och väntar på din underskrift."},
	KindReportReturned:  {"har skickats tillbaka", "%s har skickats tillbaka för rättelse."},
	KindReportAccepted:  {"är godkänd", "%s är godkänd."},
	KindReportDue:       {"ska vara inne om %d dagar", "%s ska vara inne senast %s och är inte påbörjad."},
	KindVFUReturned:     {"har skickats tillbaka", "%s har skickats tillbaka för rättelse."},
	KindDocRequest:      {"", "%s. Sista dag att svara: %s."},
	KindDocAnswered:     {"är besvarad", "%s är besvarad."},
	KindSurveyCloses:    {"stänger %s", "%s stänger %s och ert svar är inte inskickat."},
	KindSurveyReminder:  {"– påminnelse", "Påminnelse: %s stänger %s och ert svar är inte inskickat."},
	KindMunicipalSigned: {"väntar på er granskning", "%s är inskickad och väntar på RSS:ens granskning."},
	KindMunicipalReturn: {"har skickats tillbaka", "%s har skickats tillbaka för rättelse."},
	KindSignVFU:         {"väntar på din underskrift", "%s väntar på din underskrift."},
}

// Compose returns the Swedish subject and body of the notice's mail, with
// the link to its page under base.
func Compose(n Notice, base string) (subject, body string) {
	s, ok := sentences[n.Kind]
	if !ok {
		s = [2]string{"har ändrats", "%s har ändrats."}
	}
	subject = strings.TrimSpace(n.What + " " + s[0])
	switch {
	case strings.Contains(s[0], "%d"):
		subject = n.What + " " + fmt.Sprintf(s[0], n.Days)
	case strings.Contains(s[0], "%s"):
		subject = n.What + " " + fmt.Sprintf(s[0], n.Date)
	}
	var b strings.Builder
	if strings.Count(s[1], "%s") == 2 {
		fmt.Fprintf(&b, s[1], n.What, n.Date)
	} else {
		fmt.Fprintf(&b, s[1], n.What)
	}
	b.WriteString("\n\n")
	if n.Reason != "" {
		fmt.Fprintf(&b, "Skäl: %s\n\n", n.Reason)
	}
	fmt.Fprintf(&b, "Öppna: %s\n\n", Link(base, n.Path))
	b.WriteString(footer)
	return subject, b.String()
}

// Link joins the base address and a page's path.
func Link(base, path string) string {
	return strings.TrimRight(base, "/") + path
}

const footer = "Detta meddelande skickades av narvard. Du kan välja en daglig sammanfattning i stället på sidan Konto.\n"

// Digest returns one mail that gathers the day's mails to one address.
func Digest(day string, msgs []Message, base string) (subject, body string) {
	var b strings.Builder
	fmt.Fprintf(&b, "Sammanfattning för %s: %d händelser.\n\n", day, len(msgs))
	for _, m := range msgs {
		first, _, _ := strings.Cut(m.Body, "\n")
		fmt.Fprintf(&b, "- %s\n", first)
		for line := range strings.SplitSeq(m.Body, "\n") {
			if strings.HasPrefix(line, "Öppna: ") {
				fmt.Fprintf(&b, "  %s\n", line)
			}
		}
	}
	fmt.Fprintf(&b, "\nÖppna narvard: %s\n\n%s", Link(base, "/"), footer)
	return fmt.Sprintf("Daglig sammanfattning från narvard %s", day), b.String()
}

// weekdays are the days of the week in Swedish, from Sunday.
var weekdays = [7]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// Day is a date as a reminder names it: "fredag 2023-11-24".
func Day(t time.Time) string { return weekdays[t.Weekday()] + " " + t.Format(time.DateOnly) }
