package app

import (
	"context"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/payment"
	"narvard/internal/store"
)

// BatchView is a batch with its requisitions.
type BatchView struct {
	payment.Batch
	Requisitions []grant.Requisition
	// VFU are the lines of a VFU payout batch, paid without requisition.
	VFU []store.VFUPayment
}

// CreateBatch puts approved, unbatched requisitions of the agreement that
// the payer's agency pays into a new payment batch, paid from the agency's
// own account: the given ones, or all of them when ids is empty. The maker
// is the first of the two who pay; another payer of the agency attests it
// (AttestBatch) before its file can be had or it is confirmed. Without an
// account set for the agency it refuses with Conflict, saying what to set
// and where; a requisition another agency pays is refused too, so that a
// batch never mixes agencies.
func (a *App) CreateBatch(ctx context.Context, actor auth.Actor, agreementID string, ids []string) (BatchView, error) {
	if err := grant.CanPay(actor, actor.Org); err != nil {
		return BatchView{}, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return BatchView{}, err
	}
	now := a.Clock.Now()
	b := BatchView{Batch: payment.Batch{ID: newID("B-"), Agreement: agreementID, Payer: actor.Org,
		CreatedBy: actor.Email, CreatedByName: actor.Name, CreatedAt: now, ExecuteOn: clock.Today(now)}}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		agency, err := tx.Organisation(actor.Org)
		if err != nil {
			return err
		}
		if !agency.Account.IsSet() {
			return noAccount(agency)
		}
		b.DebtorAcct = payment.Account{Type: agency.Account.Type, Number: agency.Account.Number, BIC: agency.Account.BIC}
		candidates, err := a.batchCandidates(tx, ag, actor.Org, ids)
		if err != nil {
			return err
		}
		if err := tx.InsertBatch(b.Batch); err != nil {
			return err
		}
		var sum money.Kr
		for i := range candidates {
			r := &candidates[i]
			if err := r.AddToBatch(b.ID); err != nil {
				return err
			}
			if err := tx.UpdateRequisition(r); err != nil {
				return err
			}
			sum += r.Amount
		}
		b.Requisitions = candidates
		_, err = tx.Audit(entry(actor, now, "batch.create", "batch:"+b.ID, map[string]any{"requisitions": len(candidates),
			"amount_kr": sum, "payer": b.Payer, "debtor_account": agency.Account.String(), "made_by": actor.Email, "made_by_name": actor.Name}))
		return err
	})
	return b, err
}

// noAccount is the refusal to pay from an agency without an account of
// its own: what to set and where.
func noAccount(o org.Organisation) error {
	return fault.New(fault.Conflict, "%s har inget eget konto för utbetalningar angivet, så ingen betalningsomgång kan skapas. "+
		"En administratör anger %ss bankgironummer, eller IBAN och BIC, under Organisationer (/admin/organisationer/%s) "+
		"eller med PUT /api/v1/organisations/%s.", o.Name, o.Name, o.ID, o.ID)
}

// batchCandidates are the requisitions a batch of the agency takes: the
// given ones, each of which the agency must pay, or every approved and
// unbatched one it pays.
func (a *App) batchCandidates(tx *store.Tx, ag *agreement.Agreement, agency string, ids []string) ([]grant.Requisition, error) {
	paidBy := func(r grant.Requisition) (string, error) {
		al, ok := a.Allocation(ag.ID, r.Recipient)
		if !ok {
			return "", fault.New(fault.Conflict, "%s har ingen tilldelning i %s.", r.Recipient, ag.ID)
		}
		return grant.PayerOf(ag, al)
	}
	if len(ids) == 0 {
		all, err := tx.Requisitions(grant.RequisitionFilter{Agreement: ag.ID, Status: grant.Approved})
		if err != nil {
			return nil, err
		}
		var out []grant.Requisition
		for _, r := range all {
			if r.BatchID != "" {
				continue
			}
			if p, err := paidBy(r); err == nil && p == agency {
				out = append(out, r)
			}
		}
		if len(out) == 0 {
			return nil, fault.New(fault.Conflict, "Det finns inga godkända rekvisitioner som %s betalar.", org.AgencyName(agency))
		}
		return out, nil
	}
	var out []grant.Requisition
	for _, id := range ids {
		r, err := tx.Requisition(id)
		if err != nil {
			return nil, notFound(err, "Rekvisitionen %s finns inte.", id)
		}
		if r.Agreement != ag.ID || r.Status != grant.Approved || r.BatchID != "" {
			return nil, fault.New(fault.Conflict, "Rekvisitionen %s är inte godkänd och obetald i %s.", id, ag.ID)
		}
		p, err := paidBy(r)
		if err != nil {
			return nil, err
		}
		if p != agency {
			return nil, fault.New(fault.Conflict, "Rekvisitionen %s betalas av %s, inte av %s: en betalningsomgång betalas från en myndighets konto.",
				id, org.AgencyName(p), org.AgencyName(agency))
		}
		out = append(out, r)
	}
	return out, nil
}

// AttestBatch records that a second payer of the paying agency has
// attested the batch: another than its maker (Forbidden for the maker and
// for anyone else), once (Conflict when attested already).
func (a *App) AttestBatch(ctx context.Context, actor auth.Actor, id string) (BatchView, error) {
	now := a.Clock.Now()
	var b BatchView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if b.Batch, err = tx.Batch(id); err != nil {
			return notFound(err, "Betalningsomgången %s finns inte.", id)
		}
		if err := grant.CanAttest(actor, b.Batch); err != nil {
			return err
		}
		if b.Attested() {
			return fault.New(fault.Conflict, "Betalningsomgången %s är redan attesterad av %s %s.", id, who(b.AttestedByName, b.AttestedBy), stamp(b.AttestedAt))
		}
		b.AttestedBy, b.AttestedByName, b.AttestedAt = actor.Email, actor.Name, now
		ok, err := tx.AttestBatch(b.Batch)
		if err != nil {
			return err
		}
		if !ok {
			return fault.New(fault.Conflict, "Betalningsomgången %s är redan attesterad.", id)
		}
		if b.Requisitions, err = tx.Requisitions(grant.RequisitionFilter{Batch: id}); err != nil {
			return err
		}
		if b.VFU, err = tx.VFUPayments(id); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "batch.attest", "batch:"+id, map[string]any{
			"made_by": b.CreatedBy, "made_by_name": b.CreatedByName, "made_at": stamp(b.CreatedAt),
			"attested_by": b.AttestedBy, "attested_by_name": b.AttestedByName, "attested_at": stamp(b.AttestedAt)}))
		return err
	})
	return b, err
}

// who is a person as the pages and messages show them: the name, or the
// e-mail when no name is known.
func who(name, email string) string {
	if name != "" {
		return name
	}
	return email
}

// stamp is a moment as messages and audit entries show it.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// notAttested refuses what needs the second payer's attestation.
func notAttested(b payment.Batch, what string) error {
	return fault.New(fault.Conflict, "Betalningsomgången %s är inte attesterad: en annan utbetalare vid %s än %s ska attestera den innan %s.",
		b.ID, org.AgencyName(b.Payer), who(b.CreatedByName, b.CreatedBy), what)
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
		if b.Requisitions, err = tx.Requisitions(grant.RequisitionFilter{Batch: id}); err != nil {
			return err
		}
		b.VFU, err = tx.VFUPayments(id)
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

// PaymentFile returns the batch as an ISO 20022 pain.001.001.03 file,
// paid from the paying agency's account as it was when the batch was
// made. An unattested batch gives no file (Conflict).
func (a *App) PaymentFile(ctx context.Context, actor auth.Actor, id string) ([]byte, error) {
	if err := grant.CanReadPaymentFile(actor); err != nil {
		return nil, err
	}
	b, err := a.Batch(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !b.Attested() {
		return nil, notAttested(b.Batch, "betalningsfilen kan hämtas")
	}
	p := payment.File{MessageID: b.ID, Created: b.CreatedAt, ExecuteOn: b.ExecuteOn, DebtorAcct: b.DebtorAcct}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		payer, err := tx.Organisation(b.Payer)
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
				Creditor: payment.Party{Name: o.Name, OrgNr: o.OrgNr}, Account: payment.Account{Type: r.Account.Type, Number: r.Account.Number}, Reference: r.PaymentReference})
		}
		for i, l := range b.VFU {
			o, err := tx.Organisation(l.Recipient)
			if err != nil {
				return err
			}
			p.Transfers = append(p.Transfers, payment.Transfer{EndToEndID: vfuLineID(b.ID, i), Amount: l.Amount,
				Creditor: payment.Party{Name: o.Name, OrgNr: o.OrgNr}, Account: payment.Account{Type: l.AccountType, Number: l.AccountNumber}, Reference: "VFU " + l.Agreement})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return payment.Pain001(p)
}

// ConfirmBatch records that the bank has paid the attested batch on the
// given date (today when zero), which may lie neither after today nor
// before the agreement's year: its requisitions become paid, once, and the
// amounts move from requisitioned to paid in the ledger. Payers of the
// agency that pays it may; an unattested batch is refused (Conflict).
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
		if err := grant.CanPay(actor, b.Payer); err != nil {
			return err
		}
		if !b.ConfirmedAt.IsZero() {
			return fault.New(fault.Conflict, "Betalningsomgången %s är redan bekräftad som betald %s.", id, b.PaidOn.Format(time.DateOnly))
		}
		if !b.Attested() {
			return notAttested(b.Batch, "den kan bekräftas som betald")
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
		if b.VFU, err = tx.VFUPayments(id); err != nil {
			return err
		}
		if err := confirmBatch(tx, actor, &b, func(string) time.Time { return paidOn }, now,
			map[string]any{"made_by": b.CreatedBy, "attested_by": b.AttestedBy, "attested_at": stamp(b.AttestedAt)}); err != nil {
			return err
		}
		return a.notifyPaid(tx, now, b.Requisitions)
	})
	return b, err
}

// confirmBatch marks the batch's requisitions paid, each on its day (by
// the requisition's id, or a VFU line's vfuLineID), moves their amounts
// from requisitioned to paid (VFU: allocated to paid) in the ledger and records the
// batch as paid on the latest of the days, with its audit entry.
func confirmBatch(tx *store.Tx, actor auth.Actor, b *BatchView, paidOn func(payment string) time.Time, now time.Time, detail map[string]any) error {
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
			ledger.Requisitioned(r.Agreement, r.Recipient), ledger.Paid(r.Agreement, r.Recipient), r.Amount)); err != nil {
			return err
		}
		if on.After(last) {
			last = on
		}
	}
	for i, l := range b.VFU {
		on := paidOn(vfuLineID(b.ID, i))
		if _, err := tx.Post(ledger.Move(ledger.KindVFUPayment, l.Agreement, l.Recipient, b.ID, now,
			ledger.VFUAllocated(l.Agreement, l.Recipient), ledger.VFUPaid(l.Agreement, l.Recipient), l.Amount)); err != nil {
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
