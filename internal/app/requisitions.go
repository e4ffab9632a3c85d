package app

import (
	"context"
	"errors"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/store"
)

// CreateRequisition drafts a requisition for the form's recipient.
func (a *App) CreateRequisition(ctx context.Context, actor auth.Actor, f grant.Form) (grant.Requisition, error) {
	f.Normalize()
	if err := grant.CanDraft(actor, f.Recipient); err != nil {
		return grant.Requisition{}, err
	}
	if err := a.validate(&f); err != nil {
		return grant.Requisition{}, err
	}
	now := a.Clock.Now()
	r := grant.Requisition{ID: newID("R-"), Form: f, Status: grant.Draft, CreatedBy: actor.Email, CreatedAt: now, UpdatedAt: now}
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertRequisition(&r); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "%s har redan en rekvisition för %s; ändra den i stället.", f.Recipient, f.Agreement)
			}
			return err
		}
		_, err := tx.Audit(entry(actor, now, "requisition.create", "requisition:"+r.ID,
			map[string]any{"recipient": r.Recipient, "amount_kr": r.Amount}))
		if err != nil {
			return err
		}
		return a.notifyRequisition(tx, now, r)
	})
	return r, err
}

// validate checks the form against the agreement and the recipient's
// allocation.
func (a *App) validate(f *grant.Form) error {
	ag, err := a.agreement(f.Agreement)
	if err != nil {
		return fault.Fields{"agreement": "Okänd överenskommelse."}.Err()
	}
	al, ok := a.Allocation(ag.ID, f.Recipient)
	if !ok {
		return fault.Fields{"recipient": "Mottagaren har ingen tilldelning att rekvirera i överenskommelsen."}.Err()
	}
	return f.Validate(al.Total(), ag.PeriodFrom.Time, ag.PeriodTo.Time)
}

// UpdateRequisition corrects a draft or rejected requisition.
func (a *App) UpdateRequisition(ctx context.Context, actor auth.Actor, id string, f grant.Form) (grant.Requisition, error) {
	return a.transition(ctx, actor, id, "requisition.update", func(tx *store.Tx, r *grant.Requisition, now time.Time) error {
		if err := grant.CanDraft(actor, r.Recipient); err != nil {
			return err
		}
		f.Agreement, f.Recipient = r.Agreement, r.Recipient
		if err := a.validate(&f); err != nil {
			return err
		}
		return r.Correct(f, now)
	})
}

// SignRequisition submits a draft on a signatory's word and books the
// amount as requisitioned. After the deadline it refuses, and records that
// the recipient's right to the grant has lapsed.
func (a *App) SignRequisition(ctx context.Context, actor auth.Actor, id string) (grant.Requisition, error) {
	var lapsed *grant.Requisition
	r, err := a.transition(ctx, actor, id, "requisition.sign", func(tx *store.Tx, r *grant.Requisition, now time.Time) error {
		if err := grant.CanSign(actor, r.Recipient); err != nil {
			return err
		}
		ag, err := a.agreement(r.Agreement)
		if err != nil {
			return err
		}
		deadline, passed := a.deadline(ag, agreement.DeadlineRequisition)
		if err := r.Sign(actor, now, deadline, passed); err != nil {
			if fault.CodeOf(err) == fault.DeadlinePassed {
				lapsed = r
			}
			return err
		}
		_, err = tx.Post(ledger.Move(ledger.KindRequisition, r.Agreement, r.Recipient, r.ID, now,
			ledger.Allocated(r.Agreement, r.Recipient), ledger.Requisitioned(r.Agreement, r.Recipient), r.Amount))
		return err
	})
	if lapsed != nil {
		if lerr := a.recordLapse(ctx, actor, lapsed.Agreement, lapsed.Recipient); lerr != nil {
			return r, errors.Join(err, lerr)
		}
	}
	return r, err
}

// recordLapse records, once, that the recipient's right to the grant has
// lapsed, and moves its unrequisitioned allocation to the lapsed account.
func (a *App) recordLapse(ctx context.Context, actor auth.Actor, agreementID, recipient string) error {
	now := a.Clock.Now()
	return a.db.Update(ctx, func(tx *store.Tx) error {
		first, err := tx.RecordLapse(agreementID, recipient, now)
		if err != nil || !first {
			return err
		}
		bal, err := tx.Balances(ledger.Allocated(agreementID, recipient))
		if err != nil {
			return err
		}
		if left := bal[ledger.Allocated(agreementID, recipient)]; left > 0 {
			if _, err := tx.Post(ledger.Move(ledger.KindLapse, agreementID, recipient, agreementID, now,
				ledger.Allocated(agreementID, recipient), ledger.Lapsed(agreementID, recipient), left)); err != nil {
				return err
			}
		}
		_, err = tx.Audit(entry(actor, now, "recipient.lapse", "recipient:"+recipient, map[string]any{"agreement": agreementID}))
		return err
	})
}

// ApproveRequisition approves a submitted requisition: a payer of the
// agency that pays it (Kammarkollegiet).
func (a *App) ApproveRequisition(ctx context.Context, actor auth.Actor, id string) (grant.Requisition, error) {
	return a.transition(ctx, actor, id, "requisition.approve", func(tx *store.Tx, r *grant.Requisition, now time.Time) error {
		if err := a.canDecideFor(actor, r.Agreement, r.Recipient); err != nil {
			return err
		}
		return r.Approve(actor, now)
	})
}

// RejectRequisition returns a submitted requisition with a reason and
// releases the requisitioned amount back to the allocation.
func (a *App) RejectRequisition(ctx context.Context, actor auth.Actor, id, reason string) (grant.Requisition, error) {
	return a.transition(ctx, actor, id, "requisition.reject", func(tx *store.Tx, r *grant.Requisition, now time.Time) error {
		if err := a.canDecideFor(actor, r.Agreement, r.Recipient); err != nil {
			return err
		}
		if err := r.Reject(actor, reason, now); err != nil {
			return err
		}
		_, err := tx.Post(ledger.Move(ledger.KindRejection, r.Agreement, r.Recipient, r.ID, now,
			ledger.Requisitioned(r.Agreement, r.Recipient), ledger.Allocated(r.Agreement, r.Recipient), r.Amount))
		return err
	})
}

// WithdrawRequisition withdraws a draft or rejected requisition so that a
// new one may be written.
func (a *App) WithdrawRequisition(ctx context.Context, actor auth.Actor, id string) (grant.Requisition, error) {
	return a.transition(ctx, actor, id, "requisition.withdraw", func(tx *store.Tx, r *grant.Requisition, now time.Time) error {
		if err := grant.CanDraft(actor, r.Recipient); err != nil {
			return err
		}
		return r.Withdraw(now)
	})
}

// transition loads a requisition the actor may see, applies change and
// saves it with an audit entry, all in one transaction.
func (a *App) transition(ctx context.Context, actor auth.Actor, id, action string,
	change func(*store.Tx, *grant.Requisition, time.Time) error) (grant.Requisition, error) {
	now := a.Clock.Now()
	var r grant.Requisition
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = a.readable(tx, actor, id); err != nil {
			return err
		}
		if err := change(tx, &r, now); err != nil {
			return err
		}
		if err := tx.UpdateRequisition(&r); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "%s har redan en rekvisition.", r.Recipient)
			}
			return err
		}
		d := map[string]any{"recipient": r.Recipient, "status": r.Status, "amount_kr": r.Amount}
		if r.Status == grant.Rejected {
			d["reason"] = r.RejectReason
		}
		if _, err = tx.Audit(entry(actor, now, action, "requisition:"+r.ID, d)); err != nil {
			return err
		}
		return a.notifyRequisition(tx, now, r)
	})
	return r, err
}

// readable loads a requisition if the actor may see it. Another
// organisation's requisition is Forbidden, as the API promises.
func (a *App) readable(tx *store.Tx, actor auth.Actor, id string) (grant.Requisition, error) {
	r, err := tx.Requisition(id)
	if err != nil {
		return r, notFound(err, "Rekvisitionen %s finns inte.", id)
	}
	if grant.CanRead(actor, r.Recipient) != nil {
		return grant.Requisition{}, fault.New(fault.Forbidden, "Rekvisitionen tillhör en annan organisation.")
	}
	return r, nil
}

// Requisition returns one requisition the actor may see.
func (a *App) Requisition(ctx context.Context, actor auth.Actor, id string) (grant.Requisition, error) {
	var r grant.Requisition
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		r, err = a.readable(tx, actor, id)
		return err
	})
	return r, err
}

// Requisitions lists the requisitions the actor may see that match the
// filter. Asking for another organisation's is Forbidden.
func (a *App) Requisitions(ctx context.Context, actor auth.Actor, f grant.RequisitionFilter) ([]grant.Requisition, error) {
	var err error
	if f.Recipient, err = grant.ListScope(actor, f.Recipient); err != nil {
		return nil, err
	}
	if f.Status != "" && grant.Status(f.Status).Swedish() == string(f.Status) {
		return nil, fault.Fields{"status": "Okänd status."}.Err()
	}
	var out []grant.Requisition
	err = a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Requisitions(f)
		return err
	})
	return out, err
}
