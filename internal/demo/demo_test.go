package demo

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store/storetest"
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
	for _, who := range []string{demo.Payer, demo.Attester, demo.Admin} {
		if !emails[who] {
			t.Errorf("%q is not a user", who)
		}
	}
	if demo.Payer == demo.Attester {
		t.Error("the payer attests the batch they made")
	}
	for _, o := range []string{org.Kammarkollegiet, org.Socialstyrelsen} {
		if !slices.ContainsFunc(demo.Accounts, func(a account) bool { return a.Org == o }) {
			t.Errorf("%s has no account in the demo", o)
		}
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

// TestSeedPaysWithTwoPayers seeds a fresh database: the paying agencies
// have their accounts and the paid requisition's batch was made by the
// payer and attested by the second payer.
func TestSeedPaysWithTwoPayers(t *testing.T) {
	ctx := context.Background()
	a, _ := seeded(t)
	for _, id := range []string{org.Kammarkollegiet, org.Socialstyrelsen} {
		if o, err := a.Organisation(ctx, id); err != nil || !o.Account.IsSet() {
			t.Errorf("%s: account %+v, %v", id, o.Account, err)
		}
	}
	batches, err := a.Batches(ctx, auth.Actor{Org: org.Kammarkollegiet, Role: auth.Auditor})
	if err != nil || len(batches) != 1 {
		t.Fatalf("batches = %+v, %v", batches, err)
	}
	if b := batches[0]; b.CreatedBy != demo.Payer || b.AttestedBy != demo.Attester || !b.Confirmed() || b.DebtorAcct.Number != "5132-8706" {
		t.Errorf("batch = %+v", b)
	}
	// Jämtland's RSS was paid in that batch and passed all of it on to
	// its municipalities by its decided onward decision.
	reader := auth.Actor{Org: org.Kammarkollegiet, Role: auth.Auditor}
	funds, pays, err := a.RSSOnwardFunds(ctx, reader, demo.Agreement, "rss-23")
	if err != nil || funds.Received == 0 || funds.PassedOn != funds.Received || len(pays) != 1 {
		t.Errorf("rss-23: funds %+v, payments %d, %v", funds, len(pays), err)
	}
	k, err := a.KommunOnwardStatus(ctx, reader, demo.Agreement, "kommun-2380")
	if err != nil || k.Decision == nil || k.Received == 0 || k.Received != k.Decided {
		t.Errorf("Östersund: %+v, %v", k, err)
	}
	// Every demo RSS has its officer, signatory and CFO.
	for _, rss := range []string{"rss-01", "rss-23"} {
		for _, role := range []auth.Role{auth.RecipientOfficer, auth.Signatory, auth.CFO} {
			if !slices.ContainsFunc(Logins, func(l Login) bool { return l.Org == rss && l.Role == role }) {
				t.Errorf("%s has no %s", rss, role)
			}
		}
	}
	// Two payers at each paying agency, so that a batch can be made by one
	// and attested by another: Socialstyrelsen's pay the VFU money.
	for _, agency := range []string{org.Kammarkollegiet, org.Socialstyrelsen} {
		n := 0
		for _, l := range Logins {
			if l.Org == agency && l.Role == auth.Payer {
				n++
			}
		}
		if n < 2 {
			t.Errorf("%s has %d payers", agency, n)
		}
	}
}

// TestSeedVFU: the demo's VFU reports are there, in their statuses, the
// Jämtland RSS's written for its municipalities, the round open, and the
// clock back at the demo's moment.
func TestSeedVFU(t *testing.T) {
	ctx := context.Background()
	a, at := seeded(t)
	if !a.Clock.Now().Equal(at) {
		t.Errorf("the clock stands at %s, want %s", a.Clock.Now(), at)
	}
	list, err := a.VFUReports(ctx, auth.Actor{Org: org.Socialstyrelsen, Role: auth.FollowUp}, demo.Agreement)
	if err != nil || len(list) != len(demo.VFUReports) {
		t.Fatalf("VFU reports: %d, %v", len(list), err)
	}
	got := map[string]grant.VFUReport{}
	for _, r := range list {
		got[r.Recipient] = r
	}
	for _, s := range demo.VFUReports {
		r := got[s.Recipient]
		if r.Status != s.Until || r.WeeksCurrent != s.WeeksCurrent {
			t.Errorf("%s: %s with %d weeks, want %s with %d", s.Recipient, r.Status, r.WeeksCurrent, s.Until, s.WeeksCurrent)
		}
	}
	if got["kommun-2380"].ReportedFor != "rss-23" {
		t.Errorf("Östersund's report was written for %q, want rss-23", got["kommun-2380"].ReportedFor)
	}
	if round, err := a.VFURound(ctx, demo.Agreement); err != nil || round.Status != grant.VFUOpen {
		t.Errorf("round: %+v %v", round, err)
	}
}

// TestSeedMunicipalReports: Östersund's report to Jämtland's RSS is
// submitted and another municipality's accepted, and the RSS sees them in
// its list.
func TestSeedMunicipalReports(t *testing.T) {
	ctx := context.Background()
	a, _ := seeded(t)
	rows, err := a.MunicipalReports(ctx, auth.Actor{Org: "rss-23", Role: auth.RecipientOfficer}, demo.Agreement, "rss-23")
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]grant.MunicipalStatus{}
	for _, r := range rows {
		if r.Report != nil {
			status[r.Kommun] = r.Report.Status
			if r.Report.Reported > r.Received {
				t.Errorf("%s reports %d, more than the %d it received", r.Kommun, r.Report.Reported, r.Received)
			}
		}
	}
	accepted := 0
	for k, s := range status {
		if s == grant.MunicipalAccepted && k != "kommun-2380" {
			accepted++
		}
	}
	if status["kommun-2380"] != grant.MunicipalSubmitted || accepted != 1 {
		t.Errorf("the demo's municipal reports: %v", status)
	}
}

// seeded is a fresh SQLite database seeded with the demo, its clock
// frozen at the demo's moment, which it returns too.
func seeded(t *testing.T) (*app.App, time.Time) {
	t.Helper()
	at, err := time.Parse(time.RFC3339, Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, storetest.SQLite(t), agreement.Builtin(), clock.NewFrozen(at), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a, at
}
