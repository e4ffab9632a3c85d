package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
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

// vfuAgreement returns the agreement, its VFU component and the agency
// that pays it, or refuses an agreement without VFU money.
func (a *App) vfuAgreement(agreementID string) (*agreement.Agreement, agreement.Component, error) {
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, agreement.Component{}, err
	}
	c, ok := grant.VFUComponent(ag)
	if !ok {
		return nil, agreement.Component{}, fault.New(fault.NotFound, "%s har inga VFU-medel.", ag.ID)
	}
	return ag, c, nil
}

// roundOpen refuses a change once the agreement's VFU round is closed.
func roundOpen(tx *store.Tx, agreementID string) error {
	_, err := tx.VFURound(agreementID)
	switch {
	case err == nil:
		return fault.New(fault.Conflict, "VFU-omgången för %s är stängd; redovisningarna kan inte längre ändras.", agreementID)
	case errors.Is(err, store.ErrNotFound):
		return nil
	}
	return err
}

// CreateVFUReport writes a region's or municipality's VFU report for the
// agreement: its officer or signatory, or for a municipality its county's
// RSS's officer (CanReportVFU). One report per recipient (Conflict for a
// second: correct the first); refused after the agreement's VFU deadline
// (DeadlinePassed) and once the round is closed.
func (a *App) CreateVFUReport(ctx context.Context, actor auth.Actor, agreementID, recipient string, f grant.VFUFigures) (grant.VFUReport, error) {
	if err := grant.CanReportVFU(actor, recipient); err != nil {
		return grant.VFUReport{}, err
	}
	ag, _, err := a.vfuAgreement(agreementID)
	if err != nil {
		return grant.VFUReport{}, err
	}
	if err := grant.VFURecipient(ag, recipient); err != nil {
		return grant.VFUReport{}, err
	}
	if err := grant.ValidateVFU(ag.VFU, f); err != nil {
		return grant.VFUReport{}, err
	}
	if d, passed := a.deadline(ag, agreement.DeadlineVFUReport); passed {
		return grant.VFUReport{}, vfuLate(d)
	}
	now := a.Clock.Now()
	r := grant.VFUReport{ID: newID("V-"), Agreement: ag.ID, Recipient: recipient, VFUFigures: f, Status: grant.VFUDraft,
		ReportedBy: actor.Email, ReportedFor: actor.Org, CreatedAt: now, UpdatedAt: now}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := roundOpen(tx, ag.ID); err != nil {
			return err
		}
		if err := tx.InsertVFUReport(&r); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "%s har redan en VFU-redovisning för %s; rätta den i stället.", recipient, ag.ID)
			}
			return err
		}
		if _, err := tx.Audit(entry(actor, now, "vfu.create", "vfu:"+r.ID, vfuDetail(r))); err != nil {
			return err
		}
		return a.notifyVFUDraft(tx, now, r)
	})
	return r, err
}

func vfuLate(deadline time.Time) error {
	return fault.New(fault.DeadlinePassed, "Sista dag för VFU-redovisningen var %s.", deadline.Format(time.DateOnly))
}

func vfuDetail(r grant.VFUReport) map[string]any {
	return map[string]any{"agreement": r.Agreement, "recipient": r.Recipient, "reported_for": r.ReportedFor,
		"weeks_base": r.WeeksBase, "places_base": r.PlacesBase, "weeks_current": r.WeeksCurrent, "places_current": r.PlacesCurrent}
}

// vfuTransition loads a report, lets change act on it and saves it with
// its audit entry, in one transaction, while the round is open.
func (a *App) vfuTransition(ctx context.Context, actor auth.Actor, id, action string,
	change func(r *grant.VFUReport, ag *agreement.Agreement, now time.Time) error) (grant.VFUReport, error) {
	now := a.Clock.Now()
	var r grant.VFUReport
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.VFUReport(id); err != nil {
			return notFound(err, "VFU-redovisningen %s finns inte.", id)
		}
		if err := grant.CanReadVFU(actor, r.Recipient); err != nil {
			return fault.New(fault.NotFound, "VFU-redovisningen %s finns inte.", id)
		}
		ag, _, err := a.vfuAgreement(r.Agreement)
		if err != nil {
			return err
		}
		was := r.Status
		if err := change(&r, ag, now); err != nil {
			return err
		}
		if err := roundOpen(tx, r.Agreement); err != nil {
			return err
		}
		if err := tx.UpdateVFUReport(&r); err != nil {
			return err
		}
		d := vfuDetail(r)
		d["status"] = r.Status
		if r.Status == grant.VFUReturned {
			d["reason"] = r.ReturnReason
		}
		_, err = tx.Audit(entry(actor, now, action, "vfu:"+id, d))
		if err != nil {
			return err
		}
		if r.Status != was {
			if err := a.notifyVFUDraft(tx, now, r); err != nil {
				return err
			}
		}
		return a.notifyVFU(tx, now, r)
	})
	return r, err
}

// CorrectVFUReport replaces a draft's or returned report's figures (those
// who may write it); a returned report may be corrected after the
// deadline, since it came in time.
func (a *App) CorrectVFUReport(ctx context.Context, actor auth.Actor, id string, f grant.VFUFigures) (grant.VFUReport, error) {
	return a.vfuTransition(ctx, actor, id, "vfu.correct", func(r *grant.VFUReport, ag *agreement.Agreement, now time.Time) error {
		if err := grant.CanReportVFU(actor, r.Recipient); err != nil {
			return err
		}
		if err := grant.ValidateVFU(ag.VFU, f); err != nil {
			return err
		}
		if d, passed := a.deadline(ag, agreement.DeadlineVFUReport); passed && r.Status != grant.VFUReturned {
			return vfuLate(d)
		}
		return r.CorrectVFU(actor, f, now)
	})
}

// SignVFUReport submits a report to the paying agency on the word of a
// signatory of the recipient or, for a municipality, of its county's RSS.
// After the deadline only a report returned for correction may be signed
// again.
func (a *App) SignVFUReport(ctx context.Context, actor auth.Actor, id string) (grant.VFUReport, error) {
	return a.vfuTransition(ctx, actor, id, "vfu.sign", func(r *grant.VFUReport, ag *agreement.Agreement, now time.Time) error {
		if err := grant.CanSignVFU(actor, r.Recipient); err != nil {
			return err
		}
		d, passed := a.deadline(ag, agreement.DeadlineVFUReport)
		return r.SignVFU(actor, now, d, passed && r.Status != grant.VFUReturned)
	})
}

// ReturnVFUReport sends a submitted report back with a reason: the
// follow-up officers of the agency that pays VFU.
func (a *App) ReturnVFUReport(ctx context.Context, actor auth.Actor, id, reason string) (grant.VFUReport, error) {
	return a.vfuTransition(ctx, actor, id, "vfu.return", func(r *grant.VFUReport, ag *agreement.Agreement, now time.Time) error {
		_, c, err := a.vfuAgreement(ag.ID)
		if err != nil {
			return err
		}
		if err := grant.CanReviewVFU(actor, c.Payer); err != nil {
			return err
		}
		return r.ReturnVFU(actor, reason, now)
	})
}

// VFUReport returns one VFU report to those who may see it.
func (a *App) VFUReport(ctx context.Context, actor auth.Actor, id string) (grant.VFUReport, error) {
	var r grant.VFUReport
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.VFUReport(id); err != nil {
			return notFound(err, "VFU-redovisningen %s finns inte.", id)
		}
		return grant.CanReadVFU(actor, r.Recipient)
	})
	return r, err
}

// VFUReports lists the agreement's VFU reports the actor may see: all of
// them for those who read everything, a recipient's own, and an RSS's
// county's municipalities' too.
func (a *App) VFUReports(ctx context.Context, actor auth.Actor, agreementID string) ([]grant.VFUReport, error) {
	if _, _, err := a.vfuAgreement(agreementID); err != nil {
		return nil, err
	}
	var out []grant.VFUReport
	err := a.db.View(ctx, func(tx *store.Tx) error {
		all, err := tx.VFUReports(agreementID)
		if err != nil {
			return err
		}
		for _, r := range all {
			if grant.CanReadVFU(actor, r.Recipient) == nil {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// vfuCode is a recipient's code in the allocation's VFU table: the
// county's for a region, the municipality's for a municipality.
func vfuCode(recipient string) string {
	_, code, _ := org.Parse(recipient)
	return code
}

// vfuRecipient is the recipient of a VFU table's row.
func vfuRecipient(code string) string {
	if len(code) == 4 {
		return org.KommunID(code)
	}
	return org.RegionID(code)
}

// VFUTable computes the VFU allocation from the reports with the
// agreement's VFU key: the allocation engine's own table.
func VFUTable(ag *agreement.Agreement, reports []grant.VFUReport) (*alloc.Table, error) {
	in := alloc.FromAgreement(ag)
	for _, r := range reports {
		in.VFU = append(in.VFU, alloc.VFUReport{Code: vfuCode(r.Recipient), WeeksBase: r.WeeksBase, WeeksCurrent: r.WeeksCurrent})
	}
	return alloc.Build(ag, in, agreement.TableVFU)
}

// CloseVFURound fixes the VFU allocation from the submitted reports with
// the agreement's VFU key (only those who increase receive money; every
// submitted report has its row) and books each amount as the recipient's
// VFU money: the follow-up officers of the agency that pays VFU, once.
// Reports not submitted are left out.
func (a *App) CloseVFURound(ctx context.Context, actor auth.Actor, agreementID string) (grant.VFURound, error) {
	ag, c, err := a.vfuAgreement(agreementID)
	if err != nil {
		return grant.VFURound{}, err
	}
	if err := grant.CanReviewVFU(actor, c.Payer); err != nil {
		return grant.VFURound{}, err
	}
	now := a.Clock.Now()
	round := grant.VFURound{Agreement: ag.ID, Status: grant.VFUClosed, ClosedBy: actor.Email, ClosedAt: now}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := roundOpen(tx, ag.ID); err != nil {
			return err
		}
		all, err := tx.VFUReports(ag.ID)
		if err != nil {
			return err
		}
		var submitted []grant.VFUReport
		for _, r := range all {
			if r.Status == grant.VFUSubmitted {
				submitted = append(submitted, r)
			}
		}
		if len(submitted) == 0 {
			return fault.New(fault.Conflict, "Det finns inga inskickade VFU-redovisningar i %s att fördela efter.", ag.ID)
		}
		tab, err := VFUTable(ag, submitted)
		if err != nil {
			return fault.New(fault.Conflict, "VFU-fördelningen går inte att beräkna: %v", err)
		}
		for _, row := range tab.Rows {
			var inc int64
			if row.VFU != nil {
				inc = row.VFU.Increase()
			}
			amount := row.Cells[0].Amount
			rec := vfuRecipient(row.Code)
			round.Rows = append(round.Rows, grant.VFURow{Recipient: rec, Okning: inc, Amount: amount})
			if amount > 0 {
				if _, err := tx.Post(ledger.Move(ledger.KindVFUAllocation, ag.ID, rec, c.ID, now,
					ledger.Appropriation(ag.ID), ledger.VFUAllocated(ag.ID, rec), amount)); err != nil {
					return err
				}
			}
		}
		if err := tx.InsertVFURound(round); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "vfu.close", "vfu_round:"+ag.ID, map[string]any{"rows": round.Rows, "reports": len(submitted)}))
		return err
	})
	return round, err
}

// VFURound returns the agreement's VFU round: open without rows until the
// paying agency closes it, then the fixed allocation. Everyone signed in
// may see it, as the agreement's allocation tables.
func (a *App) VFURound(ctx context.Context, agreementID string) (grant.VFURound, error) {
	ag, _, err := a.vfuAgreement(agreementID)
	if err != nil {
		return grant.VFURound{}, err
	}
	r := grant.VFURound{Agreement: ag.ID, Status: grant.VFUOpen}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		got, err := tx.VFURound(ag.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		r = got
		return err
	})
	return r, err
}

// VFUBlocking is the refusal to pay a VFU round while recipients with
// money have no bankgiro: every one of them, by name.
func vfuBlocking(names []string) error {
	return fault.New(fault.Conflict, "VFU-medlen kan inte betalas förrän dessa mottagare har ett bankgironummer angivet "+
		"(en administratör anger det under Organisationer): %s.", strings.Join(names, ", "))
}

// CreateVFUBatch makes the payout batch of a closed VFU round, without
// requisitions: every recipient's VFU amount to its bankgiro, from the
// account of the agency that pays VFU, made by a payer of that agency
// (CanPay) and attested by another (AttestBatch) as any batch. A recipient
// with money and no bankgiro blocks the batch and is named; a round is
// paid once.
func (a *App) CreateVFUBatch(ctx context.Context, actor auth.Actor, agreementID string) (BatchView, error) {
	ag, c, err := a.vfuAgreement(agreementID)
	if err != nil {
		return BatchView{}, err
	}
	if err := grant.CanPay(actor, c.Payer); err != nil {
		return BatchView{}, err
	}
	now := a.Clock.Now()
	b := BatchView{Batch: payment.Batch{ID: newID("B-"), Agreement: ag.ID, Payer: c.Payer,
		CreatedBy: actor.Email, CreatedByName: actor.Name, CreatedAt: now, ExecuteOn: clock.Today(now)}}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		round, err := tx.VFURound(ag.ID)
		if errors.Is(err, store.ErrNotFound) {
			return fault.New(fault.Conflict, "VFU-omgången för %s är inte stängd; %s stänger den innan medlen betalas.", ag.ID, org.AgencyName(c.Payer))
		} else if err != nil {
			return err
		}
		if round.BatchID != "" {
			return fault.New(fault.Conflict, "VFU-medlen för %s är redan i betalningsomgången %s.", ag.ID, round.BatchID)
		}
		agency, err := tx.Organisation(c.Payer)
		if err != nil {
			return err
		}
		if !agency.Account.IsSet() {
			return noAccount(agency)
		}
		b.DebtorAcct = payment.Account{Type: agency.Account.Type, Number: agency.Account.Number, BIC: agency.Account.BIC}
		var blocking []string
		var sum money.Kr
		for _, row := range round.Rows {
			if row.Amount <= 0 {
				continue
			}
			o, err := tx.Organisation(row.Recipient)
			if err != nil {
				return err
			}
			if o.Account.Type != org.AccountBankgiro || o.Account.Number == "" {
				blocking = append(blocking, fmt.Sprintf("%s (%s)", o.Name, o.ID))
				continue
			}
			b.VFU = append(b.VFU, store.VFUPayment{Agreement: ag.ID, Recipient: row.Recipient, Amount: row.Amount,
				AccountType: o.Account.Type, AccountNumber: o.Account.Number})
			sum += row.Amount
		}
		if len(blocking) > 0 {
			return vfuBlocking(blocking)
		}
		if len(b.VFU) == 0 {
			return fault.New(fault.Conflict, "Ingen i VFU-omgången för %s får medel.", ag.ID)
		}
		if err := tx.InsertBatch(b.Batch); err != nil {
			return err
		}
		if err := tx.InsertVFUPayments(b.ID, b.VFU); err != nil {
			return err
		}
		if err := tx.SetVFURoundBatch(ag.ID, b.ID); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "batch.create", "batch:"+b.ID, map[string]any{"vfu": len(b.VFU),
			"amount_kr": sum, "payer": b.Payer, "debtor_account": agency.Account.String(), "made_by": actor.Email, "made_by_name": actor.Name}))
		return err
	})
	return b, err
}
