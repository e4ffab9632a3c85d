package app

import (
	"context"
	"log/slog"

	"narvard/internal/auth"
	"narvard/internal/followup"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// NewFollowUps returns an empty set of jobs that compute with compute and
// keep each finished job's result in the database as a saved run.
func (a *App) NewFollowUps(compute ComputeFunc, log *slog.Logger) *FollowUps {
	f := NewFollowUps(compute, log)
	f.save = a.saveRun
	return f
}

// saveRun keeps a finished job's result as the saved run with the job's
// id, audited as its owner's; the job's inputs are already removed.
func (a *App) saveRun(j *Job) error {
	r := followup.Run{ID: j.id, Owner: j.actor.UserID, Org: j.actor.Org, At: a.Clock.Now(), Elapsed: j.elapsed,
		Inputs: j.inputs, Result: j.res}
	return a.db.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveFollowUpRun(r); err != nil {
			return err
		}
		_, err := tx.Audit(entry(j.actor, r.At, "followup_run.save", "followup_run:"+r.ID, r.Inputs))
		return err
	})
}

// FollowUpRuns returns the saved follow-up runs the actor may see,
// newest first, without their results.
func (a *App) FollowUpRuns(ctx context.Context, actor auth.Actor) ([]followup.Run, error) {
	if err := grant.CanFollowUp(actor); err != nil {
		return nil, err
	}
	var all []followup.Run
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		all, err = tx.FollowUpRuns()
		return err
	})
	var out []followup.Run
	for _, r := range all {
		if grant.CanSeeFollowUpRun(actor, r.Org) == nil {
			out = append(out, r)
		}
	}
	return out, err
}

// FollowUpRun returns the saved run with the id, with its result, if the
// actor may see it; another organisation's is not found.
func (a *App) FollowUpRun(ctx context.Context, actor auth.Actor, id string) (followup.Run, error) {
	if err := grant.CanFollowUp(actor); err != nil {
		return followup.Run{}, err
	}
	var r followup.Run
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.FollowUpRun(id)
		return notFound(err, "Den sparade beräkningen finns inte.")
	})
	if err != nil {
		return followup.Run{}, err
	}
	if err := grant.CanSeeFollowUpRun(actor, r.Org); err != nil {
		return followup.Run{}, err
	}
	return r, nil
}

// DeleteFollowUpRun removes a saved run: its maker or an admin, among
// those who see it.
func (a *App) DeleteFollowUpRun(ctx context.Context, actor auth.Actor, id string) error {
	if err := grant.CanFollowUp(actor); err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.FollowUpRun(id)
		if err != nil {
			return notFound(err, "Den sparade beräkningen finns inte.")
		}
		if err := grant.CanSeeFollowUpRun(actor, r.Org); err != nil {
			return err
		}
		if err := grant.CanDeleteFollowUpRun(actor, r.Owner); err != nil {
			return err
		}
		if err := tx.DeleteFollowUpRun(id); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), "followup_run.delete", "followup_run:"+id, r.Inputs))
		return err
	})
}
