package app

import (
	"context"
	"maps"
	"slices"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/plan"
	"narvard/internal/store"
)

// PlanView is a plan with its measures set against the frames: one row
// per component of the recipient's allocation, and the totals.
type PlanView struct {
	plan.Plan
	Rows       []plan.Row
	Frame      money.Kr
	Planned    money.Kr
	Unassigned money.Kr
}

// PlanInput is what the officer writes: the measures and, when the books'
// cost objects are not in SIE dimension 1, the dimension that carries them.
type PlanInput struct {
	Measures     []plan.Measure
	SIEDimension int
}

// planFrames are the recipient's components under the agreement, binding
// amounts: the frame of its plan.
func (a *App) planFrames(agreementID, recipient string) ([]plan.Frame, error) {
	al, ok := a.Allocation(agreementID, recipient)
	if !ok {
		return nil, fault.Fields{"recipient": "Mottagaren har ingen tilldelning i överenskommelsen."}.Err()
	}
	frames := make([]plan.Frame, 0, len(al.Components))
	for _, c := range al.Components {
		frames = append(frames, plan.Frame{Component: c.ID, Label: c.Label, Amount: c.Amount, Earmarked: c.Earmarked})
	}
	return frames, nil
}

// planView checks the plan's measures against its frames.
func (a *App) planView(p plan.Plan) (PlanView, error) {
	frames, err := a.planFrames(p.Agreement, p.Recipient)
	if err != nil {
		return PlanView{}, err
	}
	rows, err := plan.Check(frames, p.Measures)
	if err != nil {
		return PlanView{}, err
	}
	v := PlanView{Plan: p, Rows: rows}
	v.Frame, v.Planned, v.Unassigned = plan.Totals(rows)
	return v, nil
}

func checkDimension(in *PlanInput) error {
	if in.SIEDimension == 0 {
		in.SIEDimension = plan.DefaultSIEDimension
	}
	if in.SIEDimension < 1 || in.SIEDimension > 999 {
		return fault.Fields{"sie_dimension": "Ange SIE-dimensionen för kostnadsobjekten som ett tal, 1 för kostnadsställe."}.Err()
	}
	return nil
}

// CreatePlan drafts a new version of the recipient's plan. There is at
// most one draft at a time: a second is refused, the draft is changed
// instead.
func (a *App) CreatePlan(ctx context.Context, actor auth.Actor, agreementID, recipient string, in PlanInput) (PlanView, error) {
	if err := grant.CanDraftPlan(actor, recipient); err != nil {
		return PlanView{}, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return PlanView{}, err
	}
	if err := checkDimension(&in); err != nil {
		return PlanView{}, err
	}
	now := a.Clock.Now()
	p := plan.Plan{ID: newID("P-"), Agreement: ag.ID, Recipient: recipient, Status: plan.Draft, Measures: in.Measures,
		SIEDimension: in.SIEDimension, CreatedBy: actor.Email, CreatedAt: now, UpdatedAt: now}
	v, err := a.planView(p)
	if err != nil {
		return PlanView{}, err
	}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		all, err := tx.Plans(ag.ID, recipient)
		if err != nil {
			return err
		}
		for _, old := range all {
			if old.Status == plan.Draft {
				return fault.New(fault.Conflict, "Det finns redan ett utkast till plan, %s; ändra det i stället.", old.ID)
			}
		}
		v.Version = len(all) + 1
		if err := tx.InsertPlan(&v.Plan); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "plan.create", "plan:"+v.ID, map[string]any{"agreement": ag.ID, "recipient": recipient, "version": v.Version}))
		return err
	})
	return v, err
}

// readablePlan returns the plan if the actor may see it.
func (a *App) readablePlan(tx *store.Tx, actor auth.Actor, id string) (plan.Plan, error) {
	p, err := tx.Plan(id)
	if err != nil {
		return p, notFound(err, "Planen %s finns inte.", id)
	}
	if grant.CanRead(actor, p.Recipient) != nil {
		return p, fault.New(fault.NotFound, "Planen %s finns inte.", id)
	}
	return p, nil
}

// UpdatePlan changes a draft's measures.
func (a *App) UpdatePlan(ctx context.Context, actor auth.Actor, id string, in PlanInput) (PlanView, error) {
	if err := checkDimension(&in); err != nil {
		return PlanView{}, err
	}
	var v PlanView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		p, err := a.readablePlan(tx, actor, id)
		if err != nil {
			return err
		}
		if err := grant.CanDraftPlan(actor, p.Recipient); err != nil {
			return err
		}
		now := a.Clock.Now()
		if err := p.Edit(in.Measures, now); err != nil {
			return err
		}
		p.SIEDimension = in.SIEDimension
		if v, err = a.planView(p); err != nil {
			return err
		}
		if err := tx.UpdatePlan(&v.Plan); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "plan.update", "plan:"+p.ID, map[string]any{"measures": len(p.Measures)}))
		return err
	})
	return v, err
}

// DecidePlan records the decision of a draft; the plan decided before it
// is replaced, and kept.
func (a *App) DecidePlan(ctx context.Context, actor auth.Actor, id string, d plan.Decision) (PlanView, error) {
	var v PlanView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		p, err := a.readablePlan(tx, actor, id)
		if err != nil {
			return err
		}
		if err := grant.CanDecidePlan(actor, p.Recipient); err != nil {
			return err
		}
		now := a.Clock.Now()
		if err := p.Decide(actor.Email, now, d); err != nil {
			return err
		}
		if err := replaceDecidedPlans(tx, p); err != nil {
			return err
		}
		if v, err = a.planView(p); err != nil {
			return err
		}
		if err := tx.UpdatePlan(&v.Plan); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "plan.decide", "plan:"+p.ID, p.Decision))
		return err
	})
	return v, err
}

func replaceDecidedPlans(tx *store.Tx, p plan.Plan) error {
	all, err := tx.Plans(p.Agreement, p.Recipient)
	if err != nil {
		return err
	}
	for _, old := range all {
		if old.Status == plan.Decided {
			old.Status, old.ReplacedBy = plan.Replaced, p.ID
			if err := tx.UpdatePlan(&old); err != nil {
				return err
			}
		}
	}
	return nil
}

// Plan returns one version of a plan.
func (a *App) Plan(ctx context.Context, actor auth.Actor, id string) (PlanView, error) {
	var p plan.Plan
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		p, err = a.readablePlan(tx, actor, id)
		return err
	})
	if err != nil {
		return PlanView{}, err
	}
	return a.planView(p)
}

// Plans lists the recipient's plans under the agreement, every version,
// oldest first.
func (a *App) Plans(ctx context.Context, actor auth.Actor, agreementID, recipient string) ([]plan.Plan, error) {
	if err := grant.CanRead(actor, recipient); err != nil {
		return nil, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, err
	}
	var out []plan.Plan
	err = a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Plans(ag.ID, recipient)
		return err
	})
	return out, err
}

// CurrentPlan returns the recipient's plan in force (the decided one), or
// else its newest draft; false when it has none.
func (a *App) CurrentPlan(ctx context.Context, actor auth.Actor, agreementID, recipient string) (plan.Plan, bool, error) {
	all, err := a.Plans(ctx, actor, agreementID, recipient)
	if err != nil || len(all) == 0 {
		return plan.Plan{}, false, err
	}
	for _, p := range all {
		if p.Status == plan.Decided {
			return p, true, nil
		}
	}
	return all[len(all)-1], true, nil
}

// SetPlanForecasts sets (or, with nil, removes) the officer's own
// forecasts of cost objects' outcome at the period's end, in any status of
// the plan, all or none.
func (a *App) SetPlanForecasts(ctx context.Context, actor auth.Actor, id string, forecasts map[string]*money.Kr) (PlanView, error) {
	var v PlanView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		p, err := a.readablePlan(tx, actor, id)
		if err != nil {
			return err
		}
		if err := grant.CanDraftPlan(actor, p.Recipient); err != nil {
			return err
		}
		for _, object := range slices.Sorted(maps.Keys(forecasts)) {
			if err := p.SetForecast(object, forecasts[object]); err != nil {
				return err
			}
		}
		if v, err = a.planView(p); err != nil {
			return err
		}
		if err := tx.UpdatePlan(&v.Plan); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), "plan.forecast", "plan:"+p.ID, map[string]any{"forecasts_kr": forecasts}))
		return err
	})
	return v, err
}
