package app

import (
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
// pages: at most two at once, the latest twenty kept, each seen only by the
// user who started it and by admins.
type FollowUps struct {
	compute ComputeFunc
	log     *slog.Logger

	mu      sync.Mutex
	order   []string
	byID    map[string]*Job
	running int
}

// NewFollowUps returns an empty set of jobs that compute with compute.
func NewFollowUps(compute ComputeFunc, log *slog.Logger) *FollowUps {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &FollowUps{compute: compute, log: log, byID: map[string]*Job{}}
}

// Ticket is a running slot taken for a job that is being prepared (its
// files uploaded); Start runs the job in it, Cancel gives it back.
type Ticket struct {
	f     *FollowUps
	owner int64
	used  bool
}

// Begin checks that the actor may compute follow-up indicators and takes
// one of the running slots: fault Forbidden, or ErrFollowUpBusy when none
// is free.
func (f *FollowUps) Begin(actor auth.Actor) (*Ticket, error) {
	if err := grant.CanFollowUp(actor); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running >= maxRunning {
		return nil, ErrFollowUpBusy
	}
	f.running++
	return &Ticket{f: f, owner: actor.UserID}, nil
}

// Cancel gives the slot back unless a job was started in it.
func (t *Ticket) Cancel() {
	if t.used {
		return
	}
	t.used = true
	t.f.release()
}

func (f *FollowUps) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.running--
}

// Start runs the job in the background: it computes, then calls done (to
// close the files and remove an upload), gives the slot back and
// publishes the outcome.
func (t *Ticket) Start(in followup.Input, o followup.Options, done func()) *Job {
	t.used = true
	names := []string{in.ListingsName, in.VisitsName, in.CliniciansName}
	j := &Job{owner: t.owner, by: o.By, started: time.Now(), done: make(chan struct{}),
		files: strings.Join(nonEmpty(names), ", ")}
	t.f.add(j)
	o.Progress = j.report
	go t.f.run(j, in, o, done)
	return j
}

func (f *FollowUps) run(j *Job, in followup.Input, o followup.Options, done func()) {
	res, panicked, err := computeGuarded(f.compute, in, o)
	if panicked != nil {
		f.log.Error("panik i uppföljningen", "job", j.id, "panic", panicked)
	}
	if done != nil {
		done()
	}
	j.res, j.err, j.elapsed = res, err, time.Since(j.started)
	f.release()
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
	started time.Time
	by      string
	files   string

	progress atomic.Pointer[followup.Progress]

	done    chan struct{}
	res     *followup.Result
	err     error
	elapsed time.Duration
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

// Finished reports whether the job has ended; Outcome may be read then.
func (j *Job) Finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

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
