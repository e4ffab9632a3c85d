package app

import (
	"context"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/org"
	"narvard/internal/payment"
	"narvard/internal/store"
)

// BatchView is a batch with its requisitions.
type BatchView struct {
	payment.Batch
	Requisitions []grant.Requisition
}

// CreateBatch puts approved, unbatched requisitions of the agreement into a
// new payment batch: the given ones, or all of them when ids is empty.
func (a *App) CreateBatch(ctx context.Context, actor auth.Actor, agreementID string, ids []string) (BatchView, error) {
	if err := grant.CanDecide(actor); err != nil {
		return BatchView{}, err
	}
	if _, err := a.agreement(agreementID); err != nil {
		return BatchView{}, err
	}
	now := a.Clock.Now()
	b := BatchView{Batch: payment.Batch{ID: newID("B-"), Agreement: agreementID, CreatedBy: actor.Email, CreatedAt: now, ExecuteOn: clock.Today(now)}}
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		candidates, err := a.batchCandidates(tx, agreementID, ids)
		if err != nil {
			return err
		}
		if err := tx.InsertBatch(b.Batch); err != nil {
			return err
		}
		for i := range candidates {
			r := &candidates[i]
			if err := r.AddToBatch(b.ID); err != nil {
				return err
			}
			if err := tx.UpdateRequisition(r); err != nil {
				return err
			}
		}
		b.Requisitions = candidates
		_, err = tx.Audit(entry(actor, now, "batch.create", "batch:"+b.ID, map[string]any{"requisitions": len(candidates)}))
		return err
	})
	return b, err
}

func (a *App) batchCandidates(tx *store.Tx, agreementID string, ids []string) ([]grant.Requisition, error) {
	if len(ids) == 0 {
		all, err := tx.Requisitions(grant.RequisitionFilter{Agreement: agreementID, Status: grant.Approved})
		if err != nil {
			return nil, err
		}
		var out []grant.Requisition
		for _, r := range all {
			if r.BatchID == "" {
				out = append(out, r)
			}
		}
		if len(out) == 0 {
			return nil, fault.New(fault.Conflict, "Det finns inga godkända rekvisitioner att betala.")
		}
		return out, nil
	}
	var out []grant.Requisition
	for _, id := range ids {
		r, err := tx.Requisition(id)
		if err != nil {
			return nil, notFound(err, "Rekvisitionen %s finns inte.", id)
		}
		if r.Agreement != agreementID || r.Status != grant.Approved || r.BatchID != "" {
			return nil, fault.New(fault.Conflict, "Rekvisitionen %s är inte godkänd och obetald i %s.", id, agreementID)
		}
		out = append(out, r)
	}
	return out, nil
}

// Batch returns a batch with its requisitions (payers, analysts, auditors).
func (a *App) Batch(ctx context.Context, actor auth.Actor, id string) (BatchView, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return BatchView{}, err
	}
	var b BatchView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if b.Batch, err = tx.Batch(id); err != nil {
			return notFound(err, "Betalningsomgången %s finns inte.", id)
		}
		b.Requisitions, err = tx.Requisitions(grant.RequisitionFilter{Batch: id})
		return err
	})
	return b, err
}

// Batches lists the batches (newest first).
func (a *App) Batches(ctx context.Context, actor auth.Actor) ([]payment.Batch, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return nil, err
	}
	var out []payment.Batch
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Batches()
		return err
	})
	return out, err
}

// PaymentFile returns the batch as an ISO 20022 pain.001.001.03 file.
func (a *App) PaymentFile(ctx context.Context, actor auth.Actor, id string) ([]byte, error) {
	if err := grant.CanReadPaymentFile(actor); err != nil {
		return nil, err
	}
	b, err := a.Batch(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	p := payment.File{MessageID: b.ID, Created: b.CreatedAt, ExecuteOn: b.ExecuteOn,
		Debtor: payment.Party{Name: "Kammarkollegiet"}, DebtorAcct: payment.Account(a.Payer)}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		payer, err := tx.Organisation(org.Kammarkollegiet)
		if err != nil {
			return err
		}
		p.Debtor = payment.Party{Name: payer.Name, OrgNr: payer.OrgNr}
		for _, r := range b.Requisitions {
			o, err := tx.Organisation(r.Recipient)
			if err != nil {
				return err
			}
			p.Transfers = append(p.Transfers, payment.Transfer{EndToEndID: r.ID, Amount: r.Amount,
				Creditor: payment.Party{Name: o.Name, OrgNr: o.OrgNr}, Account: payment.Account(r.Account), Reference: r.PaymentReference})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return payment.Pain001(p)
}

// ConfirmBatch records that the bank has paid the batch on the given date
// (today when zero), which may lie neither after today nor before the
// agreement's year: its requisitions become paid, once, and the amounts
// move from requisitioned to paid in the ledger.
func (a *App) ConfirmBatch(ctx context.Context, actor auth.Actor, id string, paidOn time.Time) (BatchView, error) {
	if err := grant.CanDecide(actor); err != nil {
		return BatchView{}, err
	}
	now := a.Clock.Now()
	if paidOn.IsZero() {
		paidOn = clock.Today(now)
	}
	var b BatchView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if b.Batch, err = tx.Batch(id); err != nil {
			return notFound(err, "Betalningsomgången %s finns inte.", id)
		}
		if !b.ConfirmedAt.IsZero() {
			return fault.New(fault.Conflict, "Betalningsomgången %s är redan bekräftad som betald %s.", id, b.PaidOn.Format(time.DateOnly))
		}
		ag, err := a.agreement(b.Agreement)
		if err != nil {
			return err
		}
		if err := grant.CheckMoneyDate("paid_on", "Betalningsdagen", paidOn, now, ag.PeriodFrom.Time); err != nil {
			return err
		}
		if b.Requisitions, err = tx.Requisitions(grant.RequisitionFilter{Batch: id}); err != nil {
			return err
		}
		return confirmBatch(tx, actor, &b, func(string) time.Time { return paidOn }, now, nil)
	})
	return b, err
}

// confirmBatch marks the batch's requisitions paid, each on its day, moves
// their amounts from requisitioned to paid in the ledger and records the
// batch as paid on the latest of the days, with its audit entry.
func confirmBatch(tx *store.Tx, actor auth.Actor, b *BatchView, paidOn func(requisition string) time.Time, now time.Time, detail map[string]any) error {
	var last time.Time
	for i := range b.Requisitions {
		r := &b.Requisitions[i]
		on := paidOn(r.ID)
		if err := r.MarkPaid(b.ID, on, now); err != nil {
			return err
		}
		if err := tx.UpdateRequisition(r); err != nil {
			return err
		}
		if _, err := tx.Post(ledger.Move(ledger.KindPayment, r.Agreement, r.Recipient, r.ID, now,
			ledger.Requisitioned(r.Recipient), ledger.Paid(r.Recipient), r.Amount)); err != nil {
			return err
		}
		if on.After(last) {
			last = on
		}
	}
	b.ConfirmedBy, b.ConfirmedAt, b.PaidOn = actor.Email, now, last
	if err := tx.ConfirmBatch(b.Batch); err != nil {
		return err
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["paid_on"] = last.Format(time.DateOnly)
	_, err := tx.Audit(entry(actor, now, "batch.confirm", "batch:"+b.ID, detail))
	return err
}
