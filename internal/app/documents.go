package app

import (
	"bytes"
	"context"
	"errors"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/document"
	"narvard/internal/org"
	"narvard/internal/payment"
	"narvard/internal/store"
)

// rehearsal reports whether the app runs on a rehearsal's clock (the
// demo's, standing still): its documents are marked ÖVNING.
func (a *App) rehearsal() bool {
	_, ok := a.Clock.(*clock.Frozen)
	return ok
}

// RequisitionPDF renders a requisition the actor may see, laid out like
// Bilaga 1.
func (a *App) RequisitionPDF(ctx context.Context, actor auth.Actor, id string) ([]byte, error) {
	r, err := a.Requisition(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	o, err := a.Organisation(ctx, r.Recipient)
	if err != nil {
		return nil, err
	}
	ag, err := a.agreement(r.Agreement)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = document.RequisitionPDF(&buf, document.RequisitionDoc{AgreementName: ag.Name, AgreementID: ag.ID, Recipient: o, Req: r, Generated: a.Clock.Now(), Rehearsal: a.rehearsal()})
	return buf.Bytes(), err
}

// ReportPDF renders a financial report the actor may see, laid out like
// Bilaga 1.
func (a *App) ReportPDF(ctx context.Context, actor auth.Actor, id string) ([]byte, error) {
	v, err := a.Report(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	var o org.Organisation
	if o, err = a.Organisation(ctx, v.Recipient); err != nil {
		return nil, err
	}
	ag, err := a.agreement(v.Agreement)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = document.ReportPDF(&buf, document.ReportDoc{AgreementName: ag.Name, AgreementID: ag.ID, Recipient: o,
		Report: v.FinancialReport, Accounting: v.Accounting, Late: v.Late, Generated: a.Clock.Now(), Shares: v.Shares, Rehearsal: a.rehearsal()})
	return buf.Bytes(), err
}

// StatusWorkbook renders the national status as an XLSX workbook, for
// those who read everything.
func (a *App) StatusWorkbook(ctx context.Context, actor auth.Actor, agreementID string) ([]byte, error) {
	all, err := a.Matrix(ctx, actor, agreementID)
	if err != nil {
		return nil, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, err
	}
	batches := map[string]payment.Batch{}
	vfuBatch := "" // the batch that pays the closed VFU round, once made
	err = a.db.View(ctx, func(tx *store.Tx) error {
		list, err := tx.Batches()
		for _, b := range list {
			batches[b.ID] = b
		}
		if round, err := tx.VFURound(ag.ID); err == nil {
			vfuBatch = round.BatchID
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	rows := make([]document.StatusRow, 0, len(all))
	for _, st := range all {
		row := document.StatusRow{Recipient: st.Recipient, Name: st.Name, Allocation: st.Allocation, Requisitioned: st.Requisitioned,
			Paid: st.Paid, Costs: st.Costs, Unspent: st.Unspent, Repaid: st.Repaid, Due: st.Due, Reclaimed: st.Reclaimed,
			Lapsed: st.Lapsed, Reclaim: st.Reclaim, VFU: st.VFU, VFUPaid: st.VFUPaid, Activity: st.ActivityText()}
		batch := vfuBatch // a recipient without a requisition shows its VFU money's batch
		if st.Requisition != nil {
			row.RequisitionStatus = st.Requisition.Status.Swedish()
			batch = st.Requisition.BatchID
		}
		if b, ok := batches[batch]; ok && (st.Requisition != nil || st.VFU > 0) {
			row.Batch, row.MadeBy, row.MadeAt = b.ID, who(b.CreatedByName, b.CreatedBy), minute(b.CreatedAt)
			if b.Attested() {
				row.AttestedBy, row.AttestedAt = who(b.AttestedByName, b.AttestedBy), minute(b.AttestedAt)
			}
		}
		if st.Report != nil {
			row.ReportStatus = st.Report.Status.Swedish()
		}
		if st.Next != nil {
			row.NextDeadline = st.Next.Date.Format(time.DateOnly) + " " + st.Next.Name
		}
		rows = append(rows, row)
	}
	var buf bytes.Buffer
	err = document.StatusXLSX(&buf, ag.ShortName, rows)
	return buf.Bytes(), err
}

// minute is a moment in Stockholm's time to the minute, as the workbook
// shows it.
func minute(t time.Time) string { return t.In(clock.Stockholm).Format(time.DateOnly + " 15:04") }
