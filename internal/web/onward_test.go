package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/onward"
)

// TestKommunStartPage: a municipality's start page shows its county's RSS,
// and once the RSS has decided, what it decided for the municipality.
func TestKommunStartPage(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	ctx := context.Background()
	for _, u := range []struct {
		email, org string
		role       auth.Role
	}{{"o@ostersund.se", "kommun-2380", auth.RecipientOfficer}, {"o@rss-23.se", "rss-23", auth.RecipientOfficer}, {"s@rss-23.se", "rss-23", auth.Signatory}} {
		if _, err := a.AddUser(ctx, u.email, "", u.org, u.role, "ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
	}
	b := &browser{t: t, h: h, cookies: map[string]string{}}
	if rec := b.signIn("o@ostersund.se"); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", rec.Code)
	}
	page := b.do("GET", "/start", nil).Body.String()
	if !strings.Contains(page, `data-vidare-rss="rss-23"`) || !strings.Contains(page, "data-vidare-none") {
		t.Fatalf("before the decision the page lacks the RSS: %s", page)
	}
	al, _ := a.Allocation("gnv-2023", "rss-23")
	p := onward.Plan{Components: map[string]onward.Spec{}}
	for _, c := range al.Components {
		p.Components[c.ID] = onward.Spec{Key: onward.Equal}
	}
	d, err := a.CreateOnward(ctx, auth.Actor{Email: "o@rss-23.se", Org: "rss-23", Role: auth.RecipientOfficer}, "gnv-2023", "rss-23", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DecideOnward(ctx, auth.Actor{Email: "s@rss-23.se", Org: "rss-23", Role: auth.Signatory}, d.ID, "2023-11-14", "RSS 2023/7"); err != nil {
		t.Fatal(err)
	}
	page = b.do("GET", "/start", nil).Body.String()
	if !strings.Contains(page, `data-vidare-decision="`+d.ID+`"`) || !strings.Contains(page, "RSS 2023/7") || strings.Count(page, "data-vidare-rows") != 1 {
		t.Errorf("after the decision the page lacks it: %s", page)
	}
	if !strings.Contains(page, al.Components[0].Label) {
		t.Errorf("the page does not name the components")
	}
}
