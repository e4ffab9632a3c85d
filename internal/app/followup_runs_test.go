package app

import (
	"context"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/followup"
	"narvard/internal/org"
	"narvard/internal/store"
)

// TestSavedFollowUpRuns runs a job through the app's FollowUps, finds its
// result kept in the database by a second app over the same store (a
// restart), seen by its organisation, admins and auditors and by no one
// else, and deleted only by its maker or an admin, audited.
func TestSavedFollowUpRuns(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2024-05-02T12:00:00+02:00")
	compute := func(_ context.Context, _ followup.Input, o followup.Options) (*followup.Result, error) {
		rows := []followup.Row{{Group: "25", Period: "2022", Listade: 10, MedFastLakare: 6},
			{Group: "25", Period: "2023", Listade: 12, MedFastLakare: 9, Suppressed: []string{"sabo_listade"}}}
		return &followup.Result{Rows: rows, MinCell: o.MinCell, Periods: []string{"2022", "2023"},
			Bad: []*followup.BadRows{{File: "besok.csv", Count: 3, Reports: []string{"besok.csv:4: datum \"x\" är inte ett datum"}}}}, nil
	}
	analyst := addUser(t, a, "ana@sos.se", org.Socialstyrelsen, auth.Analyst)
	colleague := addUser(t, a, "kollega@sos.se", org.Socialstyrelsen, auth.FollowUp)
	outsider := addUser(t, a, "ana@regeringskansliet.se", org.Socialdepartementet, auth.Analyst)
	auditor := addUser(t, a, "revisor@sos.se", org.Kammarkollegiet, auth.Auditor)
	admin := addUser(t, a, "admin@narvard.se", org.Kammarkollegiet, auth.Admin)
	officer := addUser(t, a, "handlaggare@norrbotten.se", "region-25", auth.RecipientOfficer)

	f := a.NewFollowUps(compute, nil)
	ticket, err := f.Begin(analyst)
	if err != nil {
		t.Fatal(err)
	}
	o := followup.Options{By: followup.ByLan, MinCell: 5, Periods: []followup.Period{
		{From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)},
		{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)}}}
	files := []followup.RunFile{{Kind: followup.StageListings, Name: "listningar.csv", Bytes: 120}, {Kind: followup.StageVisits, Name: "besok.csv", Bytes: 4000}}
	j := ticket.Start(followup.Input{ListingsName: "listningar.csv", VisitsName: "besok.csv"}, o, nil, files...)
	for !j.Finished() {
		time.Sleep(5 * time.Millisecond)
	}
	if !j.Saved() {
		t.Fatal("the finished job was not saved")
	}

	// A restart: a new app over the same store.
	b, err := New(ctx, a.db, a.Agreements, a.Clock, a.Log)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		who  auth.Actor
		sees bool
		code fault.Code
	}{{analyst, true, ""}, {colleague, true, ""}, {auditor, true, ""}, {admin, true, ""},
		{outsider, false, fault.NotFound}, {officer, false, fault.Forbidden}} {
		runs, _ := b.FollowUpRuns(ctx, tt.who)
		if (len(runs) == 1) != tt.sees {
			t.Errorf("%s lists %d runs, sees %v", tt.who.Email, len(runs), tt.sees)
		}
		r, err := b.FollowUpRun(ctx, tt.who, j.ID())
		if !tt.sees {
			if fault.CodeOf(err) != tt.code {
				t.Errorf("%s opens the run: %v, want %s", tt.who.Email, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s opens the run: %v", tt.who.Email, err)
		}
		if r.OwnerName != "Namn ana@sos.se" || r.Inputs.By != "lan" || len(r.Inputs.Files) != 2 || r.Inputs.Files[1].Bytes != 4000 ||
			len(r.Inputs.Periods) != 2 || r.Inputs.Periods[1] != "2023" || r.Inputs.Yrke != "lakare" || r.Inputs.MinCell != 5 {
			t.Errorf("run %+v", r)
		}
		res := r.Result
		if len(res.Rows) != 2 || res.Rows[1].Base != &res.Rows[0] || !res.Rows[1].IsSuppressed("sabo_listade") ||
			res.Bad[0].Count != 3 || len(res.Bad[0].Reports) != 1 || res.Periods[0] != "2022" {
			t.Errorf("result %+v", res)
		}
	}
	for _, who := range []auth.Actor{colleague, auditor, outsider} {
		if err := b.DeleteFollowUpRun(ctx, who, j.ID()); err == nil {
			t.Errorf("%s deleted the run", who.Email)
		}
	}
	if err := b.DeleteFollowUpRun(ctx, analyst, j.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.FollowUpRun(ctx, analyst, j.ID()); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("deleted run: %v", err)
	}
	if err := b.DeleteFollowUpRun(ctx, admin, j.ID()); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("deleting again: %v", err)
	}
	entries := auditActions(t, b)
	if entries["followup_run.save"] != 1 || entries["followup_run.delete"] != 1 {
		t.Errorf("audit %v", entries)
	}
}

// auditActions counts the audit log's entries by action.
func auditActions(t *testing.T, a *App) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := a.db.View(context.Background(), func(tx *store.Tx) error {
		log, err := tx.AuditLog(0, false)
		for _, e := range log {
			out[e.Action]++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
