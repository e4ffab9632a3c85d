package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/followup"
)

var followUpToday = time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC)

func TestIndicatorQuery(t *testing.T) {
	tests := []struct {
		name   string
		q      IndicatorQuery
		fields []string // fields with a message; none for a good query
		check  func(followup.Options) bool
	}{
		{"defaults", IndicatorQuery{}, nil, func(o followup.Options) bool {
			return o.By == followup.ByRiket && !o.AllYrken && o.MinCell == DefaultMinCell &&
				o.From.Format(time.DateOnly) == "2023-01-01" && o.To.Format(time.DateOnly) == "2023-12-31"
		}},
		{"all given", IndicatorQuery{From: "2022-03-01", To: "2022-03-31", By: "kon", Yrke: "alla", MinCell: "0", Strict: true}, nil,
			func(o followup.Options) bool {
				return o.By == followup.ByKon && o.AllYrken && o.MinCell == 0 && o.Strict && o.From.Day() == 1 && o.To.Day() == 31
			}},
		{"unknown grouping", IndicatorQuery{By: "fylke"}, []string{"by"}, nil},
		{"riket combined", IndicatorQuery{By: "riket,lan"}, []string{"by"}, nil},
		{"combined", IndicatorQuery{By: "lan,aldersgrupp", Years: []string{"2022", "2023"}}, nil, func(o followup.Options) bool {
			return o.By == "lan,aldersgrupp" && len(o.Periods) == 2 && o.Periods[1].From.Year() == 2023 && o.Periods[1].To.Day() == 31
		}},
		{"ranges", IndicatorQuery{Froms: []string{"2023-01-01", "2023-07-01"}, Tos: []string{"2023-06-30", "2023-12-31"}}, nil, func(o followup.Options) bool {
			return len(o.Periods) == 2 && o.Periods[0].To.Month() == 6
		}},
		{"bad year", IndicatorQuery{Years: []string{"tjugo"}}, []string{"period"}, nil},
		{"years and days", IndicatorQuery{Years: []string{"2023"}, From: "2023-01-01", To: "2023-02-01"}, []string{"period"}, nil},
		{"overlapping", IndicatorQuery{Froms: []string{"2023-01-01", "2023-06-01"}, Tos: []string{"2023-06-30", "2023-12-31"}}, []string{"period"}, nil},
		{"unknown yrke", IndicatorQuery{Yrke: "tandläkare"}, []string{"yrke"}, nil},
		{"min cell text", IndicatorQuery{MinCell: "fem"}, []string{"min_cell"}, nil},
		{"min cell negative", IndicatorQuery{MinCell: "-1"}, []string{"min_cell"}, nil},
		{"bad from", IndicatorQuery{From: "2023-13-01", To: "2023-12-31"}, []string{"from"}, nil},
		{"only from", IndicatorQuery{From: "2023-01-01"}, []string{"to"}, nil},
		{"reversed", IndicatorQuery{From: "2023-12-31", To: "2023-01-01"}, []string{"to"}, nil},
		{"everything wrong at once", IndicatorQuery{By: "x", Yrke: "y", MinCell: "z", From: "nej", To: "2023-01-01"}, []string{"by", "yrke", "min_cell", "from"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := tt.q.Options(followUpToday)
			if len(tt.fields) == 0 {
				if err != nil || !tt.check(o) {
					t.Fatalf("options %+v, err %v", o, err)
				}
				return
			}
			var f *fault.Error
			if !errors.As(err, &f) || f.Code != fault.Invalid || len(f.Fields) != len(tt.fields) {
				t.Fatalf("err = %v, want messages for %v", err, tt.fields)
			}
			for _, field := range tt.fields {
				if f.Fields[field] == "" {
					t.Errorf("no message for %s: %v", field, f.Fields)
				}
			}
		})
	}
}

func TestJobKeepsLatestStage(t *testing.T) {
	j := &Job{done: make(chan struct{})}
	j.report(followup.Progress{Stage: followup.StageListings, Done: 10, Total: 100})
	j.report(followup.Progress{Stage: followup.StageVisits, Done: 50, Total: 200})
	j.report(followup.Progress{Stage: followup.StageVisits, Done: 40, Total: 200})    // late, from another worker
	j.report(followup.Progress{Stage: followup.StageListings, Done: 100, Total: 100}) // late, an earlier stage
	if p := j.Progress(); p.Stage != followup.StageVisits || p.Done != 50 {
		t.Errorf("progress %+v, want besök 50", p)
	}
	j.report(followup.Progress{Stage: followup.StageCompute})
	if p := j.Progress(); p.Stage != followup.StageCompute {
		t.Errorf("progress %+v, want beräkning", p)
	}
}

// TestFollowUpJobs: only those the rule allows start jobs; a job is seen
// by its owner and admins only; two run at once; a panic in the
// computation becomes the job's error.
func TestFollowUpJobs(t *testing.T) {
	release := make(chan struct{})
	compute := func(_ context.Context, in followup.Input, o followup.Options) (*followup.Result, error) {
		<-release
		if in.VisitsName == "panik" {
			panic("bug")
		}
		return &followup.Result{}, nil
	}
	f := NewFollowUps(compute, nil)
	officer := auth.Actor{UserID: 1, Org: "region-25", Role: auth.RecipientOfficer}
	if _, err := f.Begin(officer); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("officer begins a job: %v", err)
	}
	analyst := auth.Actor{UserID: 2, Org: "socialdepartementet", Role: auth.Analyst}
	other := auth.Actor{UserID: 3, Org: "socialstyrelsen", Role: auth.FollowUp}
	admin := auth.Actor{UserID: 4, Org: "kammarkollegiet", Role: auth.Admin}
	t1, err := f.Begin(analyst)
	if err != nil {
		t.Fatal(err)
	}
	j1 := t1.Start(followup.Input{VisitsName: "besök"}, followup.Options{}, nil)
	if _, err := f.Begin(analyst); !errors.Is(err, ErrFollowUpYours) {
		t.Fatalf("a second job for the same user: %v", err)
	}
	t2, err := f.Begin(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Begin(admin); !errors.Is(err, ErrFollowUpBusy) {
		t.Fatalf("third job: %v", err)
	}
	t2.Cancel()
	t2.Cancel() // a second cancel gives nothing back twice
	t3, err := f.Begin(other)
	if err != nil {
		t.Fatalf("slot not given back: %v", err)
	}
	j3 := t3.Start(followup.Input{VisitsName: "panik"}, followup.Options{}, nil)
	if _, err := f.Begin(admin); !errors.Is(err, ErrFollowUpBusy) {
		t.Fatalf("cancel gave back two slots: %v", err)
	}
	if _, err := f.Job(other, j1.ID()); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("another user sees the job: %v", err)
	}
	if _, err := f.Job(officer, j1.ID()); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("officer sees the job: %v", err)
	}
	for _, a := range []auth.Actor{analyst, admin} {
		if j, err := f.Job(a, j1.ID()); err != nil || j != j1 {
			t.Errorf("%s does not see the job: %v", a.Role, err)
		}
	}
	close(release)
	for _, j := range []*Job{j1, j3} {
		deadline := time.Now().Add(5 * time.Second)
		for !j.Finished() && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	if _, _, err := j1.Outcome(); err != nil {
		t.Errorf("job 1: %v", err)
	}
	if _, _, err := j3.Outcome(); err == nil || !strings.Contains(err.Error(), "internt fel") {
		t.Errorf("panicking job: %v", err)
	}
	if _, err := f.Begin(admin); err != nil {
		t.Errorf("slots not given back after the jobs: %v", err)
	}
}

// TestFollowUpCancel: a cancelled job ends with ErrCancelled and runs its
// clean-up; Shutdown cancels every running job, waits for them, and lets
// no new one begin.
func TestFollowUpCancel(t *testing.T) {
	compute := func(ctx context.Context, in followup.Input, o followup.Options) (*followup.Result, error) {
		<-ctx.Done()
		return nil, followup.ErrCancelled
	}
	f := NewFollowUps(compute, nil)
	a := auth.Actor{UserID: 1, Role: auth.Analyst}
	b := auth.Actor{UserID: 2, Role: auth.FollowUp}
	cleaned := make(chan string, 2)
	ta, err := f.Begin(a)
	if err != nil {
		t.Fatal(err)
	}
	ja := ta.Start(followup.Input{}, followup.Options{}, func() { cleaned <- "a" })
	if err := f.CancelJob(b, ja.ID()); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("another user cancels the job: %v", err)
	}
	if err := f.CancelJob(a, ja.ID()); err != nil {
		t.Fatal(err)
	}
	if got := <-cleaned; got != "a" {
		t.Errorf("clean-up of %q", got)
	}
	waitFinished(t, ja)
	if _, _, err := ja.Outcome(); !errors.Is(err, followup.ErrCancelled) {
		t.Errorf("cancelled job: %v", err)
	}
	tb, err := f.Begin(b)
	if err != nil {
		t.Fatalf("the cancelled job kept its slot: %v", err)
	}
	jb := tb.Start(followup.Input{}, followup.Options{}, func() { cleaned <- "b" })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if !jb.Finished() || <-cleaned != "b" {
		t.Error("Shutdown returned before the job stopped and cleaned up")
	}
	if _, err := f.Begin(a); err == nil {
		t.Error("a job began after Shutdown")
	}
}

func waitFinished(t *testing.T, j *Job) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !j.Finished() {
		if time.Now().After(deadline) {
			t.Fatal("the job did not finish")
		}
		time.Sleep(time.Millisecond)
	}
}
