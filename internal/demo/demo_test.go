package demo

import (
	"slices"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/grant"
	"narvard/internal/org"
)

func TestScenarioIsWhole(t *testing.T) {
	if _, err := agreement.Builtin().Get(demo.Agreement); err != nil {
		t.Errorf("agreement: %v", err)
	}
	if _, err := time.Parse(time.RFC3339, Now); err != nil {
		t.Errorf("now: %v", err)
	}
	if Password == "" || len(Logins) == 0 {
		t.Fatal("no password or no users")
	}
	emails := map[string]bool{}
	for _, l := range Logins {
		if !l.Role.Valid() || l.Email == "" || l.Org == "" || l.Name == "" {
			t.Errorf("user %+v", l)
		}
		emails[l.Email] = true
	}
	if !emails[demo.Payer] {
		t.Errorf("payer %q is not a user", demo.Payer)
	}
	walk := []grant.Status{grant.Draft, grant.Submitted, grant.Approved, grant.Paid}
	for _, s := range demo.Requisitions {
		if !slices.Contains(walk, s.Until) || !emails[s.Officer] || (s.Until != grant.Draft && !emails[s.Signatory]) {
			t.Errorf("requisition %+v", s)
		}
	}
}

// TestDemoUsersHoldTheirRoles: every demo user's role belongs in its
// organisation (grant.CanHoldRole), so each can sign in.
func TestDemoUsersHoldTheirRoles(t *testing.T) {
	ag, err := agreement.Builtin().Get(demo.Agreement)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := org.Seed(ag)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Logins {
		i := slices.IndexFunc(seed, func(o org.Organisation) bool { return o.ID == l.Org })
		if i < 0 {
			t.Errorf("%s: no organisation %q", l.Email, l.Org)
			continue
		}
		if err := grant.CanHoldRole(l.Role, seed[i]); err != nil {
			t.Errorf("%s: %v", l.Email, err)
		}
	}
}
