package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/ocr"
	"narvard/internal/store"
)

// ReportView is a financial report with the figures it derives.
type ReportView struct {
	grant.FinancialReport
	grant.Accounting
	Late bool // filed after the deadline
	// Shares is an RSS's report split per component on its own part and
	// its municipalities' (nil for other recipients); the accounting counts
	// the municipalities' accepted costs.
	Shares []grant.RSSShare
	// DueApart is the part of Due that is unused money paid apart from
	// the requisitioned grant (VFU).
	DueApart money.Kr
	// Books is what the recipient's own books say each component cost,
	// when its plan has books read in (one report's view only, not lists):
	// the CFO sees the report's costs against them before the review.
	Books *Books
}

// paidTotal is everything ever paid to the recipient under the agreement.
func paidTotal(tx *store.Tx, agreementID, recipient string) (money.Kr, error) {
	return tx.KindTotal(ledger.Paid(agreementID, recipient), ledger.KindPayment)
}

func (a *App) reportView(tx *store.Tx, r grant.FinancialReport) (ReportView, error) {
	al, _ := a.Allocation(r.Agreement, r.Recipient)
	paid, err := paidTotal(tx, r.Agreement, r.Recipient)
	if err != nil {
		return ReportView{}, err
	}
	form := r.ReportForm
	var shares []grant.RSSShare
	if isRSS(r.Recipient) {
		var extra []grant.CostLine
		if shares, extra, err = rssShares(tx, al, r); err != nil {
			return ReportView{}, err
		}
		form.Costs = append(slices.Clip(form.Costs), extra...)
	}
	apart, err := a.vfuApart(tx, r.Agreement, r.Recipient)
	if err != nil {
		return ReportView{}, err
	}
	acc, err := grant.TallyApart(al, paid, apart, form)
	if err != nil {
		return ReportView{}, err
	}
	completeShares(shares, acc)
	v := ReportView{FinancialReport: r, Accounting: acc, Shares: shares, DueApart: apartDue(acc, apart)}
	if ag, err := a.agreement(r.Agreement); err == nil && !r.SignedAt.IsZero() {
		if d, ok := ag.Deadline(agreement.DeadlineFinancialReport); ok {
			v.Late = !r.SignedAt.Before(clock.EndOfDay(d.Date.Time))
		}
	}
	return v, nil
}

// validateReport checks the form against the agreement and allocation.
func (a *App) validateReport(f *grant.ReportForm) error {
	ag, err := a.agreement(f.Agreement)
	if err != nil {
		return fault.Fields{"agreement": "Okänd överenskommelse."}.Err()
	}
	al, ok := a.Allocation(ag.ID, f.Recipient)
	if c, vfu := grant.VFUComponent(ag); vfu && grant.VFURecipient(ag, f.Recipient) == nil {
		// A region's or municipality's VFU money, paid apart, is reported
		// on the VFU component.
		al.Recipient, ok = f.Recipient, true
		al.Components = append(slices.Clip(al.Components), grant.ComponentAmount{ID: c.ID, Label: c.Label(), Earmarked: c.Earmarked})
	}
	if !ok {
		return fault.Fields{"recipient": "Mottagaren har ingen tilldelning i överenskommelsen."}.Err()
	}
	return f.Validate(al, ag.PeriodFrom.Time, ag.PeriodTo.Time)
}

// CreateReport drafts the recipient's financial report. There is one per
// recipient and agreement, and only for money that has been paid.
func (a *App) CreateReport(ctx context.Context, actor auth.Actor, f grant.ReportForm) (ReportView, error) {
	f.Normalize()
	if err := grant.CanWriteReport(actor, f.Recipient); err != nil {
		return ReportView{}, err
	}
	if err := a.validateReport(&f); err != nil {
		return ReportView{}, err
	}
	now := a.Clock.Now()
	r := grant.FinancialReport{ID: newID("E-"), ReportForm: f, Status: grant.ReportDraft, CreatedBy: actor.Email, CreatedAt: now, UpdatedAt: now}
	var v ReportView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		paid, err := paidTotal(tx, f.Agreement, f.Recipient)
		if err != nil {
			return err
		}
		apart, err := a.vfuApart(tx, f.Agreement, f.Recipient)
		if err != nil {
			return err
		}
		for _, p := range apart {
			paid += p.Paid
		}
		if paid == 0 {
			return fault.New(fault.Conflict, "Inget har betalats ut till %s ännu; det finns inget att redovisa.", f.Recipient)
		}
		if err := tx.InsertReport(&r); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "%s har redan en ekonomisk redovisning för %s; ändra den i stället.", f.Recipient, f.Agreement)
			}
			return err
		}
		if v, err = a.reportView(tx, r); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "report.create", "report:"+r.ID, map[string]any{"recipient": r.Recipient, "costs_kr": v.Costs}))
		if err != nil {
			return err
		}
		return a.notifyReport(tx, now, r)
	})
	return v, err
}

// UpdateReport corrects a draft, reviewed or returned report, which must
// then be reviewed again.
func (a *App) UpdateReport(ctx context.Context, actor auth.Actor, id string, f grant.ReportForm) (ReportView, error) {
	return a.reportTransition(ctx, actor, id, "report.update", func(tx *store.Tx, r *grant.FinancialReport, now time.Time) error {
		if err := grant.CanWriteReport(actor, r.Recipient); err != nil {
			return err
		}
		f.Agreement, f.Recipient = r.Agreement, r.Recipient
		if err := a.validateReport(&f); err != nil {
			return err
		}
		return r.CorrectReport(f, now)
	})
}

// ReviewReport records the CFO's review (Bilaga 1, point 4).
func (a *App) ReviewReport(ctx context.Context, actor auth.Actor, id string, rv grant.Review) (ReportView, error) {
	return a.reportTransition(ctx, actor, id, "report.review", func(tx *store.Tx, r *grant.FinancialReport, now time.Time) error {
		if err := grant.CanReview(actor, r.Recipient); err != nil {
			return err
		}
		return r.ReviewReport(actor, rv, now)
	})
}

// SignReport submits a reviewed report on a signatory's word. What is
// unspent, and earmarked money not used for its purpose, becomes due to
// Kammarkollegiet: the ledger moves it from paid to the recipient's debt.
func (a *App) SignReport(ctx context.Context, actor auth.Actor, id string) (ReportView, error) {
	return a.reportTransition(ctx, actor, id, "report.sign", func(tx *store.Tx, r *grant.FinancialReport, now time.Time) error {
		if err := grant.CanSign(actor, r.Recipient); err != nil {
			return err
		}
		if err := r.SignReport(actor, now); err != nil {
			return err
		}
		v, err := a.reportView(tx, *r)
		if err != nil {
			return err
		}
		if err := postDue(tx, r, v.Due, v.DueApart, now); err != nil {
			return err
		}
		return a.syncReportDebt(tx, r, v.Due, now)
	})
}

// AcceptReport accepts a submitted report: a payer of the agency the
// recipient's money is due back to (Kammarkollegiet).
func (a *App) AcceptReport(ctx context.Context, actor auth.Actor, id string) (ReportView, error) {
	return a.reportTransition(ctx, actor, id, "report.accept", func(tx *store.Tx, r *grant.FinancialReport, now time.Time) error {
		if err := a.canDecideFor(actor, r.Agreement, r.Recipient); err != nil {
			return err
		}
		return r.AcceptReport(actor, now)
	})
}

// ReturnReport sends a submitted report back with a reason. What it made
// due stays due until a corrected report is filed.
func (a *App) ReturnReport(ctx context.Context, actor auth.Actor, id, reason string) (ReportView, error) {
	return a.reportTransition(ctx, actor, id, "report.return", func(tx *store.Tx, r *grant.FinancialReport, now time.Time) error {
		if err := a.canDecideFor(actor, r.Agreement, r.Recipient); err != nil {
			return err
		}
		return r.ReturnReport(actor, reason, now)
	})
}

func (a *App) reportTransition(ctx context.Context, actor auth.Actor, id, action string,
	change func(*store.Tx, *grant.FinancialReport, time.Time) error) (ReportView, error) {
	now := a.Clock.Now()
	var v ReportView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := a.readableReport(tx, actor, id)
		if err != nil {
			return err
		}
		if err := change(tx, &r, now); err != nil {
			return err
		}
		if err := tx.UpdateReport(&r); err != nil {
			return err
		}
		if v, err = a.reportView(tx, r); err != nil {
			return err
		}
		d := map[string]any{"recipient": r.Recipient, "status": r.Status, "costs_kr": v.Costs, "due_kr": v.Due}
		if r.Status == grant.ReportReturned {
			d["reason"] = r.ReturnReason
		}
		if action == "report.review" && r.Review != nil {
			d["alternative"] = r.Review.Alternative
		}
		if _, err = tx.Audit(entry(actor, now, action, "report:"+r.ID, d)); err != nil {
			return err
		}
		return a.notifyReport(tx, now, r)
	})
	return v, err
}

func (a *App) readableReport(tx *store.Tx, actor auth.Actor, id string) (grant.FinancialReport, error) {
	r, err := tx.Report(id)
	if err != nil {
		return r, notFound(err, "Redovisningen %s finns inte.", id)
	}
	if grant.CanRead(actor, r.Recipient) != nil {
		return grant.FinancialReport{}, fault.New(fault.Forbidden, "Redovisningen tillhör en annan organisation.")
	}
	return r, nil
}

// Report returns one financial report the actor may see.
func (a *App) Report(ctx context.Context, actor auth.Actor, id string) (ReportView, error) {
	var v ReportView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableReport(tx, actor, id)
		if err != nil {
			return err
		}
		v, err = a.reportView(tx, r)
		return err
	})
	if err != nil {
		return v, err
	}
	v.Books, err = a.RecipientBooks(ctx, actor, v.Agreement, v.Recipient)
	return v, err
}

// Reports lists the financial reports the actor may see.
func (a *App) Reports(ctx context.Context, actor auth.Actor, f grant.ReportFilter) ([]ReportView, error) {
	var err error
	if f.Recipient, err = grant.ListScope(actor, f.Recipient); err != nil {
		return nil, err
	}
	var out []ReportView
	err = a.db.View(ctx, func(tx *store.Tx) error {
		list, err := tx.Reports(f)
		if err != nil {
			return err
		}
		for _, r := range list {
			v, err := a.reportView(tx, r)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// RecordRepayment records money received back from a recipient, by a
// payer of the agency it is due to (Kammarkollegiet), on a day neither
// after today nor before the agreement's year. Repayments add up; more
// than is due is refused.
func (a *App) RecordRepayment(ctx context.Context, actor auth.Actor, p grant.Repayment) (grant.Repayment, error) {
	if err := grant.CanDecide(actor); err != nil {
		return p, err
	}
	ag, err := a.agreement(p.Agreement)
	if err != nil {
		return p, fault.Fields{"agreement": "Okänd överenskommelse."}.Err()
	}
	bad := fault.Fields{}
	if p.Amount <= 0 {
		bad.Add("amount_kr", "Ange ett belopp i hela kronor större än noll.")
	}
	if p.Reference = strings.TrimSpace(p.Reference); p.Reference == "" {
		bad.Add("reference", "Ange betalningens referens.")
	}
	now := a.Clock.Now()
	addFields(bad, grant.CheckMoneyDate("received_on", "Inbetalningsdagen", p.ReceivedOn, now, ag.PeriodFrom.Time))
	if err := bad.Err(); err != nil {
		return p, err
	}
	p.ID, p.RecordedBy, p.RecordedAt = newID("A-"), actor.Email, now
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.Organisation(p.Recipient); err != nil {
			return notFound(err, "Mottagaren %s finns inte.", p.Recipient)
		}
		if al, ok := a.Allocation(ag.ID, p.Recipient); ok {
			if err := grant.CanDecideFor(actor, debtAgency(ag, al)); err != nil {
				return err
			}
		}
		if ref, err := ocr.Parse(p.Reference); err == nil {
			if d, err := tx.DebtByOCR(ref); err == nil && d.Recipient == p.Recipient && d.Agreement == p.Agreement {
				p.Debt = d.ID
			}
		}
		return recordRepayment(tx, actor, p, now)
	})
	return p, err
}

// recordRepayment records a repayment of at most what the recipient owes,
// with its ledger posting and audit entry.
func recordRepayment(tx *store.Tx, actor auth.Actor, p grant.Repayment, now time.Time) error {
	bal, err := tx.Balances(ledger.Debt(p.Agreement, p.Recipient))
	if err != nil {
		return err
	}
	if due := bal[ledger.Debt(p.Agreement, p.Recipient)]; p.Amount > due {
		return &fault.Error{Code: fault.Invalid, Message: "Återbetalningen är större än det som är skyldigt.",
			Fields: map[string]string{"amount_kr": "Högst " + max(due, 0).String() + " är skyldigt."}}
	}
	if err := tx.InsertRepayment(p); err != nil {
		return err
	}
	if _, err := tx.Post(ledger.Move(ledger.KindRepayment, p.Agreement, p.Recipient, p.ID, now,
		ledger.Debt(p.Agreement, p.Recipient), ledger.Repaid(p.Agreement), p.Amount)); err != nil {
		return err
	}
	_, err = tx.Audit(entry(actor, now, "repayment.record", "repayment:"+p.ID,
		map[string]any{"recipient": p.Recipient, "amount_kr": p.Amount, "received_on": p.ReceivedOn.Format(time.DateOnly), "debt": p.Debt}))
	return err
}

// IssueReclaim decides that part or all of a grant is reclaimed
// (återkrav): possible once the financial report's deadline has passed
// and the recipient is flagged, for at most what it still keeps.
func (a *App) IssueReclaim(ctx context.Context, actor auth.Actor, c grant.Reclaim) (grant.Reclaim, error) {
	if err := grant.CanDecide(actor); err != nil {
		return c, err
	}
	bad := fault.Fields{}
	if c.Amount <= 0 {
		bad.Add("amount_kr", "Ange ett belopp i hela kronor större än noll.")
	}
	if c.Reason = strings.TrimSpace(c.Reason); c.Reason == "" {
		bad.Add("reason", "Ange skälet till återkravet.")
	}
	if err := bad.Err(); err != nil {
		return c, err
	}
	ag, err := a.agreement(c.Agreement)
	if err != nil {
		return c, err
	}
	if err := a.canDecideFor(actor, ag.ID, c.Recipient); err != nil {
		return c, err
	}
	now := a.Clock.Now()
	c.ID, c.DecidedBy, c.DecidedAt = newID("K-"), actor.Email, now
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		sts, err := a.statuses(tx, ag, []string{c.Recipient})
		if err != nil {
			return err
		}
		if !sts[0].Reclaim {
			return fault.New(fault.Conflict, "%s är inte flaggad för återkrav.", c.Recipient)
		}
		bal, err := tx.Balances(ledger.Paid(c.Agreement, c.Recipient))
		if err != nil {
			return err
		}
		if kept := bal[ledger.Paid(c.Agreement, c.Recipient)]; c.Amount > kept {
			return &fault.Error{Code: fault.Invalid, Message: "Återkravet är större än det mottagaren har kvar av bidraget.",
				Fields: map[string]string{"amount_kr": "Högst " + kept.String() + "."}}
		}
		if err := tx.InsertReclaim(c); err != nil {
			return err
		}
		d, err := newDebt(tx, grant.Debt{Agreement: c.Agreement, Recipient: c.Recipient, Kind: grant.DebtReclaim,
			Agency: debtAgency(ag, a.allocations[ag.ID][c.Recipient]), Source: c.ID, Amount: c.Amount,
			DueOn: clock.Today(now).AddDate(0, 0, reclaimDays), Reason: "Återkrav: " + c.Reason}, now)
		if err != nil {
			return err
		}
		c.OCR = d.OCR
		if _, err := tx.Post(ledger.Move(ledger.KindReclaim, c.Agreement, c.Recipient, c.ID, now,
			ledger.Paid(c.Agreement, c.Recipient), ledger.Debt(c.Agreement, c.Recipient), c.Amount)); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "reclaim.issue", "reclaim:"+c.ID, map[string]any{"recipient": c.Recipient, "amount_kr": c.Amount}))
		return err
	})
	return c, err
}

// Repayments lists the repayments recorded for the agreement, for one
// recipient or ("") all; a recipient's own users see only their own.
func (a *App) Repayments(ctx context.Context, actor auth.Actor, agreementID, recipient string) ([]grant.Repayment, error) {
	recipient, err := grant.ListScope(actor, recipient)
	if err != nil {
		return nil, err
	}
	var out []grant.Repayment
	err = a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Repayments(agreementID, recipient)
		return err
	})
	return out, err
}
