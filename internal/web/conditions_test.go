package web

import (
	"html"
	"strings"
	"testing"

	"narvard/internal/agreement/agreementtest"
	"narvard/internal/auth"
)

// TestConditionsShown: the agreement page lists every condition under its
// development area; a recipient's start page lists those that bind its
// kind of recipient, in each agreement it takes part in.
func TestConditionsShown(t *testing.T) {
	h := newTwoHandler(t)
	officer := signedInAs(t, h, "o@nll.se", "region-25", auth.RecipientOfficer)
	rss := signedInAs(t, h, "o@rss-25.se", "rss-25", auth.RecipientOfficer)

	page := html.UnescapeString(officer.do("GET", "/overenskommelser/gnv-2023", nil).Body.String())
	for _, want := range []string{`data-area="nara_vard"`, `data-condition="2.3.1"`, "1 100 invånare per specialistläkare", `data-area="ambulans"`, `data-condition="2.1.3"`} {
		if !strings.Contains(page, want) {
			t.Errorf("agreement page lacks %q", want)
		}
	}
	tests := []struct {
		who       *browser
		agreement string
		has, lack []string
	}{
		{officer, "gnv-2023", []string{`data-condition="2.3.1"`, `data-condition="3.6.1"`}, []string{`data-condition="2.1.3"`}},
		{rss, "gnv-2023", []string{`data-condition="3.3.1"`}, []string{`data-condition="2.3.1"`, `data-condition="2.1.3"`}},
		{officer, agreementtest.SecondID, []string{`data-condition="2.1"`}, []string{`data-condition="3.1"`}},
		{rss, agreementtest.SecondID, []string{`data-condition="3.1"`}, []string{`data-condition="2.1"`}},
	}
	for _, tc := range tests {
		s := section(html.UnescapeString(tc.who.do("GET", "/start", nil).Body.String()), tc.agreement)
		for _, want := range tc.has {
			if !strings.Contains(s, want) {
				t.Errorf("%s start page lacks %s", tc.agreement, want)
			}
		}
		for _, not := range tc.lack {
			if strings.Contains(s, not) {
				t.Errorf("%s start page shows %s", tc.agreement, not)
			}
		}
	}
}
