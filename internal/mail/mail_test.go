package mail

import (
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		raw, want, from, user, err string
		implicit                   bool
	}{
		{raw: "smtp://mail.example.se", want: "smtp://mail.example.se:587", from: "narvard@mail.example.se"},
		{raw: "smtp://u%40x.se:hemligt-l%C3%B6sen@mail.example.se:2525?from=noreply@region.se", want: "smtp://mail.example.se:2525", from: "noreply@region.se", user: "u@x.se"},
		{raw: "smtps://u:hemligt-l%C3%B6sen@mail.example.se", want: "smtps://mail.example.se:465", from: "narvard@mail.example.se", user: "u", implicit: true},
		{raw: "http://u:hemligt-l%C3%B6sen@mail.example.se", err: "smtp:// eller smtps://"},
		{raw: "smtp://u:hemligt-l%C3%B6sen@:25", err: "värd saknas"},
		{raw: "smtp://u:hemligt-l%C3%B6sen@mail.example.se:99999", err: "portnummer"},
		{raw: "smtp://u:hemligt-l%C3%B6sen@mail.example.se:x", err: "ogiltig adress"},
	} {
		s, err := ParseURL(c.raw)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "hemligt") {
				t.Errorf("%s: %v, want %q without the password", c.raw, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.raw, err)
			continue
		}
		if s.String() != c.want || (c.user != "" && s.pass != "hemligt-lösen") || s.from != c.from || s.user != c.user || s.implicitTLS != c.implicit {
			t.Errorf("%s: %+v", c.raw, s)
		}
		if strings.Contains(s.String(), "hemligt") {
			t.Errorf("%s: String shows the password", c.raw)
		}
	}
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 9: 256 * time.Minute, 10: 6 * time.Hour, 40: 6 * time.Hour} {
		if got := Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestCompose(t *testing.T) {
	n := Notice{Kind: KindRejected, Object: "requisition:R-1", What: "Rekvisitionen R-1 för Region Norrbotten (gnv-2023)",
		Path: "/rekvisitioner/R-1", Reason: "Fel bankgiro."}
	subject, body := Compose(n, "https://narvard.example.se/")
	if subject != "Rekvisitionen R-1 för Region Norrbotten (gnv-2023) har skickats tillbaka" ||
		!strings.Contains(body, "Skäl: Fel bankgiro.") || !strings.Contains(body, "Öppna: https://narvard.example.se/rekvisitioner/R-1\n") {
		t.Errorf("%s\n%s", subject, body)
	}
	for kind := range sentences {
		if s, _ := Compose(Notice{Kind: kind, What: "X", Date: "2024-03-31", Days: 14}, ""); strings.Contains(s, "%!") {
			t.Errorf("%s: %s", kind, s)
		}
	}
}

func TestSurveyClosesNamesTheDay(t *testing.T) {
	day := Day(time.Date(2023, 11, 24, 0, 0, 0, 0, time.UTC))
	if day != "fredag 2023-11-24" {
		t.Fatalf("Day: %q", day)
	}
	subject, body := Compose(Notice{Kind: KindSurveyCloses, What: "Enkäten »Samverkan«", Date: day, Path: "/enkater/E-1/svar/kommun-2380"}, "https://x.se")
	if subject != "Enkäten »Samverkan« stänger fredag 2023-11-24" || !strings.HasPrefix(body, "Enkäten »Samverkan« stänger fredag 2023-11-24 och ert svar är inte inskickat.") ||
		!strings.Contains(body, "https://x.se/enkater/E-1/svar/kommun-2380") {
		t.Errorf("%s\n%s", subject, body)
	}
}
