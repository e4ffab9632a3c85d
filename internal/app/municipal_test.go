package app

import (
	"context"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/onward"
)

// jamtlandOnward pays Jämtland's RSS its whole allocation, decides an
// equal split of every component among the county's eight municipalities
// (keeping 1 000 000 kr of the first component for joint work) and pays
// each municipality all of it. It returns the decision.
func jamtlandOnward(t *testing.T, a *App, officer, signatory, payer auth.Actor) onward.Decision {
	t.Helper()
	ctx := context.Background()
	pay(t, a, officer, signatory, payer, "rss-23")
	al, _ := a.Allocation("gnv-2023", "rss-23")
	specs := map[string]onward.Spec{}
	for i, c := range al.Components {
		s := onward.Spec{Key: onward.Equal}
		if i == 0 {
			s.KeptKr, s.KeptFor = 1_000_000, "Länsgemensam kompetensutveckling"
		}
		specs[c.ID] = s
	}
	d, err := a.CreateOnward(ctx, officer, "gnv-2023", "rss-23", onward.Plan{Components: specs})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = a.DecideOnward(ctx, signatory, d.ID, "2023-11-14", "RSS 2023/7"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.PayOnward(ctx, officer, d.ID, "2023-11-15", nil); err != nil {
		t.Fatal(err)
	}
	return d
}

// row is the decision's amount for a municipality and component.
func row(d onward.Decision, kommun, component string) money.Kr {
	for _, r := range d.Split.Rows {
		if r.Kommun == kommun && r.Component == component {
			return r.Amount
		}
	}
	return 0
}

// TestMunicipalReportFlow: Östersund drafts its costs to Jämtland's RSS
// (more than it received of one component: shown, not refused), others
// are refused; its signatory signs, the RSS returns it with a reason,
// Östersund corrects and signs again, the RSS accepts; Åre's submitted
// report is not yet counted. The RSS's financial report then shows, per
// component, its own part, every municipality's row and the total, cell by
// cell, and counts Östersund's accepted costs up to what it received.
func TestMunicipalReportFlow(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	payer := addUser(t, a, "p@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	rssO := addUser(t, a, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	rssS := addUser(t, a, "s@rss-23.se", "rss-23", auth.Signatory)
	ostO := addUser(t, a, "o@ostersund.se", "kommun-2380", auth.RecipientOfficer)
	ostS := addUser(t, a, "s@ostersund.se", "kommun-2380", auth.Signatory)
	ostC := addUser(t, a, "c@ostersund.se", "kommun-2380", auth.CFO)
	areO := addUser(t, a, "o@are.se", "kommun-2321", auth.RecipientOfficer)
	areS := addUser(t, a, "s@are.se", "kommun-2321", auth.Signatory)
	lulea := addUser(t, a, "o@lulea.se", "kommun-2580", auth.RecipientOfficer)
	otherRSS := addUser(t, a, "o@rss-25.se", "rss-25", auth.RecipientOfficer)
	d := jamtlandOnward(t, a, rssO, rssS, payer)
	al, _ := a.Allocation("gnv-2023", "rss-23")
	c0, c1 := al.Components[0].ID, al.Components[1].ID
	got0, got1 := row(d, "2380", c0), row(d, "2380", c1)

	costs := []grant.CostLine{{Item: "Undersköterskor", Component: c0, Amount: 400_000}, {Component: c1, Amount: got1 + 5_000}}
	for _, c := range []struct {
		name   string
		actor  auth.Actor
		kommun string
		costs  []grant.CostLine
		want   fault.Code
	}{
		{"the RSS writes for Östersund", rssO, "kommun-2380", costs, fault.Forbidden},
		{"Luleå writes for Östersund", lulea, "kommun-2380", costs, fault.Forbidden},
		{"Östersund writes for Åre", ostO, "kommun-2321", costs, fault.Forbidden},
		{"Östersund's CFO writes", ostC, "kommun-2380", costs, fault.Forbidden},
		{"an unknown component", ostO, "kommun-2380", []grant.CostLine{{Component: "x", Amount: 1}}, fault.Invalid},
		{"a negative cost", ostO, "kommun-2380", []grant.CostLine{{Component: c0, Amount: -1}}, fault.Invalid},
		{"no costs", ostO, "kommun-2380", nil, fault.Invalid},
	} {
		if _, err := a.CreateMunicipalReport(ctx, c.actor, "gnv-2023", c.kommun, c.costs); fault.CodeOf(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	v, err := a.CreateMunicipalReport(ctx, ostO, "gnv-2023", "kommun-2380", costs)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != grant.MunicipalDraft || v.RSS != "rss-23" || v.Uses[0].Received != got0 || v.Uses[1].Received != got1 ||
		v.Uses[1].Left() != -5_000 || !v.Uses[1].Over() || v.Uses[0].Left() != got0-400_000 {
		t.Errorf("draft: %+v", v)
	}
	if _, err := a.CreateMunicipalReport(ctx, ostO, "gnv-2023", "kommun-2380", costs); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("a second report: %v", err)
	}
	if _, err := a.MunicipalReport(ctx, lulea, v.ID); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("Luleå reads Östersund's report: %v", err)
	}
	if _, err := a.MunicipalReport(ctx, rssO, v.ID); err != nil {
		t.Errorf("the RSS reads Östersund's report: %v", err)
	}
	if _, err := a.SignMunicipalReport(ctx, ostO, v.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("the officer signs: %v", err)
	}
	if _, err := a.SignMunicipalReport(ctx, rssS, v.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("the RSS's signatory signs: %v", err)
	}
	if _, err := a.AcceptMunicipalReport(ctx, rssO, v.ID); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("accepting a draft: %v", err)
	}
	if v, err = a.SignMunicipalReport(ctx, ostS, v.ID); err != nil || v.Status != grant.MunicipalSubmitted {
		t.Fatalf("sign: %v %v", v.Status, err)
	}
	if _, err := a.UpdateMunicipalReport(ctx, ostO, v.ID, costs); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("correcting a submitted report: %v", err)
	}
	if _, err := a.ReturnMunicipalReport(ctx, ostS, v.ID, "Fel"); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("Östersund returns its own: %v", err)
	}
	if _, err := a.ReturnMunicipalReport(ctx, otherRSS, v.ID, "Fel"); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("Norrbotten's RSS returns it: %v", err)
	}
	if _, err := a.ReturnMunicipalReport(ctx, rssO, v.ID, " "); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("return without a reason: %v", err)
	}
	if v, err = a.ReturnMunicipalReport(ctx, rssO, v.ID, "Kostnaderna för vidareutbildning saknar underlag."); err != nil || v.Status != grant.MunicipalReturned {
		t.Fatalf("return: %v %v", v.Status, err)
	}
	costs[1].Amount = got1 - 20_000
	if v, err = a.UpdateMunicipalReport(ctx, ostO, v.ID, costs); err != nil || v.Status != grant.MunicipalDraft || v.Reported != 400_000+got1-20_000 {
		t.Fatalf("correct: %+v %v", v, err)
	}
	if _, err := a.SignMunicipalReport(ctx, ostS, v.ID); err != nil {
		t.Fatal(err)
	}
	if v, err = a.AcceptMunicipalReport(ctx, rssS, v.ID); err != nil || v.Status != grant.MunicipalAccepted {
		t.Fatalf("accept: %v %v", v.Status, err)
	}
	if _, err := a.ReturnMunicipalReport(ctx, rssO, v.ID, "Sent"); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("returning an accepted report: %v", err)
	}
	are, err := a.CreateMunicipalReport(ctx, areO, "gnv-2023", "kommun-2321", []grant.CostLine{{Component: c0, Amount: 7}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignMunicipalReport(ctx, areS, are.ID); err != nil {
		t.Fatal(err)
	}

	// The RSS's list: all eight, who has reported; Östersund sees only its
	// own row; Luleå none.
	list, err := a.MunicipalReports(ctx, rssO, "gnv-2023", "rss-23")
	if err != nil || len(list) != 8 {
		t.Fatalf("the RSS's list: %d rows, %v", len(list), err)
	}
	reported := 0
	for _, r := range list {
		if r.Received != d.Split.KommunTotal(r.Kommun[len("kommun-"):]) {
			t.Errorf("%s received %d, want %d", r.Kommun, r.Received, d.Split.KommunTotal(r.Kommun[len("kommun-"):]))
		}
		if r.Report != nil {
			reported++
		}
	}
	if reported != 2 {
		t.Errorf("%d reported, want 2", reported)
	}
	if own, err := a.MunicipalReports(ctx, ostO, "gnv-2023", "rss-23"); err != nil || len(own) != 1 || own[0].Kommun != "kommun-2380" {
		t.Errorf("Östersund's list: %+v %v", own, err)
	}
	if _, err := a.MunicipalReports(ctx, lulea, "gnv-2023", "rss-23"); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("Luleå lists Jämtland's: %v", err)
	}

	checkRSSReport(t, a, rssO, d, al, c0, c1, got1)
}

// checkRSSReport drafts the RSS's financial report with 250 000 kr of its
// own costs on the first component and checks its shares cell by cell.
func checkRSSReport(t *testing.T, a *App, rssO auth.Actor, d onward.Decision, al grant.Allocation, c0, c1 string, got1 money.Kr) {
	t.Helper()
	f := reportForm(a, "rss-23", 0)
	f.Costs = []grant.CostLine{{Item: "Samordnare", Component: c0, Amount: 250_000}}
	v, err := a.CreateReport(context.Background(), rssO, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Shares) != len(al.Components) {
		t.Fatalf("%d shares, want %d", len(v.Shares), len(al.Components))
	}
	ostersund := map[string]money.Kr{c0: 400_000, c1: got1 - 20_000}
	var counted money.Kr
	for i, s := range v.Shares {
		comp := al.Components[i]
		var kept, ownCosts money.Kr
		if i == 0 {
			kept, ownCosts = 1_000_000, 250_000
		}
		if s.Component != comp.ID || s.Own.Received != kept || s.Own.Reported != ownCosts {
			t.Errorf("%s own: %+v, want received %d, reported %d", comp.ID, s.Own, kept, ownCosts)
		}
		if len(s.Kommuner) != 8 {
			t.Fatalf("%s: %d municipalities", comp.ID, len(s.Kommuner))
		}
		for _, k := range s.Kommuner {
			code := k.Kommun[len("kommun-"):]
			wantStatus, wantReported := grant.MunicipalStatus(""), money.Kr(0)
			switch code {
			case "2380":
				wantStatus, wantReported = grant.MunicipalAccepted, ostersund[comp.ID]
			case "2321":
				wantStatus = grant.MunicipalSubmitted // not counted until accepted
			}
			if k.Received != row(d, code, comp.ID) || k.Reported != wantReported || k.Status != wantStatus {
				t.Errorf("%s %s: %+v, want received %d, reported %d, %q", comp.ID, code, k, row(d, code, comp.ID), wantReported, wantStatus)
			}
		}
		if s.Total.Received != comp.Amount || s.Total.Reported != ownCosts+ostersund[comp.ID] {
			t.Errorf("%s total: %+v, want received %d, reported %d", comp.ID, s.Total, comp.Amount, ownCosts+ostersund[comp.ID])
		}
		counted += ownCosts + ostersund[comp.ID]
	}
	if v.Costs != counted || v.Paid != al.Total() || v.Unspent != al.Total()-counted {
		t.Errorf("accounting: costs %d (want %d), paid %d, unspent %d", v.Costs, counted, v.Paid, v.Unspent)
	}
}
