package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"narvard/internal/auth"
	"narvard/internal/followup"
	"narvard/internal/grant"
)

const (
	// maxJobs is how many follow-up jobs are kept, running or done; the
	// oldest finished one goes first.
	maxJobs = 20
	// maxRunning is how many follow-up jobs may run (or upload) at once.
	maxRunning = 2
)

// FollowUps runs follow-up computations in the background for the web
// pages: at most two at once and one per user, the latest twenty kept, each
// seen only by the user who started it and by admins, each cancellable;
// Shutdown cancels them all.
type FollowUps struct {
	compute ComputeFunc
	log     *slog.Logger
	// save keeps a finished job's result (App.saveRun), nil to keep
	// nothing.
	save func(*Job) error

	mu      sync.Mutex
	order   []string
	byID    map[string]*Job
	running map[int64]bool // the users holding a slot
	wg      sync.WaitGroup // the running jobs
	closed  bool
}

// NewFollowUps returns an empty set of jobs that compute with compute.
func NewFollowUps(compute ComputeFunc, log *slog.Logger) *FollowUps {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &FollowUps{compute: compute, log: log, byID: map[string]*Job{}, running: map[int64]bool{}}
}

// Ticket is a running slot taken for a job that is being prepared (its
// files uploaded); Start runs the job in it, Cancel gives it back.
type Ticket struct {
	f     *FollowUps
	actor auth.Actor
	used  bool
}

// Begin checks that the actor may compute follow-up indicators and takes
// one of the running slots: fault Forbidden, ErrFollowUpYours when the
// user already holds one, or ErrFollowUpBusy when none is free.
func (f *FollowUps) Begin(actor auth.Actor) (*Ticket, error) {
	if err := grant.CanFollowUp(actor); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return nil, ErrFollowUpBusy
	case f.running[actor.UserID]:
		return nil, ErrFollowUpYours
	case len(f.running) >= maxRunning:
		return nil, ErrFollowUpBusy
	}
	f.running[actor.UserID] = true
	return &Ticket{f: f, actor: actor}, nil
}

// Cancel gives the slot back unless a job was started in it.
func (t *Ticket) Cancel() {
	if t.used {
		return
	}
	t.used = true
	t.f.release(t.actor.UserID)
}

func (f *FollowUps) release(owner int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.running, owner)
}

// Start runs the job in the background: it computes, then calls done (to
// close the files and remove an upload), keeps the result (when the
// FollowUps save), gives the slot back and publishes the outcome. files
// describe the inputs for the saved run.
func (t *Ticket) Start(in followup.Input, o followup.Options, done func(), files ...followup.RunFile) *Job {
	t.used = true
	names := []string{in.ListingsName, in.VisitsName, in.CliniciansName, in.SlutenvardName}
	ctx, cancel := context.WithCancel(context.Background())
	j := &Job{owner: t.actor.UserID, actor: t.actor, by: o.By, started: time.Now(), done: make(chan struct{}), cancel: cancel,
		files: strings.Join(nonEmpty(names), ", "), inputs: runInputs(o, files)}
	t.f.add(j)
	o.Progress = j.report
	t.f.wg.Add(1)
	go t.f.run(ctx, j, in, o, done)
	return j
}

// Shutdown cancels every running job and waits, until ctx ends, for them
// to stop and clean up after themselves; no job starts after it.
func (f *FollowUps) Shutdown(ctx context.Context) error {
	f.mu.Lock()
	f.closed = true
	for _, j := range f.byID {
		j.cancel()
	}
	f.mu.Unlock()
	stopped := make(chan struct{})
	go func() { f.wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *FollowUps) run(ctx context.Context, j *Job, in followup.Input, o followup.Options, done func()) {
	defer f.wg.Done()
	defer j.cancel()
	res, panicked, err := computeGuarded(ctx, f.compute, in, o)
	if panicked != nil {
		f.log.Error("panik i uppföljningen", "job", j.id, "panic", panicked)
	}
	if done != nil {
		done()
	}
	j.res, j.err, j.elapsed = res, err, time.Since(j.started)
	if err == nil && f.save != nil {
		if serr := f.save(j); serr != nil {
			f.log.Error("uppföljningens resultat kunde inte sparas", "job", j.id, "err", serr)
		} else {
			j.saved = true
		}
	}
	f.release(j.owner)
	close(j.done)
	if err != nil {
		f.log.Info("uppföljning misslyckades", "job", j.id, "user", j.owner, "duration", j.elapsed, "err", err)
		return
	}
	f.log.Info("uppföljning klar", "job", j.id, "user", j.owner, "duration", j.elapsed, "groups", len(res.Rows))
}

// add keeps j under a new random id, and forgets the oldest finished jobs
// beyond maxJobs.
func (f *FollowUps) add(j *Job) {
	b := make([]byte, 16)
	rand.Read(b)
	j.id = hex.EncodeToString(b)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[j.id] = j
	f.order = append(f.order, j.id)
	for i := 0; len(f.order) > maxJobs && i < len(f.order); {
		if id := f.order[i]; f.byID[id].Finished() {
			delete(f.byID, id)
			f.order = append(f.order[:i], f.order[i+1:]...)
			continue
		}
		i++
	}
}

// Job returns the job with the id if the actor may see it: the follow-up
// rule and the job's owner (grant.CanSeeJob); otherwise Forbidden or
// NotFound, never someone else's job.
func (f *FollowUps) Job(actor auth.Actor, id string) (*Job, error) {
	if err := grant.CanFollowUp(actor); err != nil {
		return nil, err
	}
	f.mu.Lock()
	j := f.byID[id]
	f.mu.Unlock()
	if j == nil {
		return nil, grant.CanSeeJob(actor, -1)
	}
	if err := grant.CanSeeJob(actor, j.owner); err != nil {
		return nil, err
	}
	return j, nil
}

// Job is one follow-up computation run in the background. Its progress is
// written by Compute's goroutines and read by the job page; the outcome is
// set once, before done is closed.
type Job struct {
	id      string
	owner   int64
	actor   auth.Actor
	inputs  followup.RunInputs
	started time.Time
	by      string
	files   string

	progress atomic.Pointer[followup.Progress]
	cancel   context.CancelFunc

	done    chan struct{}
	res     *followup.Result
	err     error
	elapsed time.Duration
	saved   bool // the result is kept as a saved run of the same id
}

// ID is the job's random id, for its address.
func (j *Job) ID() string { return j.id }

// By is the grouping asked for.
func (j *Job) By() string { return j.by }

// Files names the inputs, for the job page.
func (j *Job) Files() string { return j.files }

// Started is when the job began.
func (j *Job) Started() time.Time { return j.started }

// Progress is the latest progress reported, or nil before the first.
func (j *Job) Progress() *followup.Progress { return j.progress.Load() }

// Cancel asks the job to stop; its outcome is then followup.ErrCancelled,
// unless it had already finished.
func (j *Job) Cancel() { j.cancel() }

// Finished reports whether the job has ended; Outcome may be read then.
func (j *Job) Finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

// Run is the job as a run: who started it, when and on what, without
// its result.
func (j *Job) Run() followup.Run {
	return followup.Run{ID: j.id, Owner: j.owner, OwnerName: j.actor.Name, Org: j.actor.Org, At: j.started, Inputs: j.inputs}
}

// Saved reports whether the finished job's result is kept as the saved
// run with the job's id.
func (j *Job) Saved() bool { return j.saved }

// Outcome is the finished job's result, how long it took, and its error.
func (j *Job) Outcome() (*followup.Result, time.Duration, error) { return j.res, j.elapsed, j.err }

// report keeps p unless it is older than what is already kept: an earlier
// stage, or fewer done in the same stage.
func (j *Job) report(p followup.Progress) {
	next := &p
	for {
		cur := j.progress.Load()
		if cur != nil {
			rc, rn := cur.Stage.Rank(), p.Stage.Rank()
			if cur.Stage == p.Stage && p.Done < cur.Done || rc > 0 && rn > 0 && rn < rc {
				return
			}
		}
		if j.progress.CompareAndSwap(cur, next) {
			return
		}
	}
}

func nonEmpty(s []string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// CancelJob stops the actor's job with the id: its owner's or, for an
// admin, anyone's (grant.CanSeeJob, through Job).
func (f *FollowUps) CancelJob(actor auth.Actor, id string) error {
	j, err := f.Job(actor, id)
	if err != nil {
		return err
	}
	j.Cancel()
	return nil
}

// runInputs is what a job is asked, for its saved run.
func runInputs(o followup.Options, files []followup.RunFile) followup.RunInputs {
	in := followup.RunInputs{Files: files, By: o.By, Yrke: IndicatorYrken[0], MinCell: o.MinCell}
	if o.AllYrken {
		in.Yrke = IndicatorYrken[1]
	}
	ps := o.Periods
	if len(ps) == 0 {
		ps = []followup.Period{{From: o.From, To: o.To}}
	}
	for _, p := range ps {
		in.Periods = append(in.Periods, p.Name())
	}
	return in
}
