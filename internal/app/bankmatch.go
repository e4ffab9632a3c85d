package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"narvard/internal/bank"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/payment"
	"narvard/internal/store"
)

// paid is one payment of a batch as the bank file sees it: a
// requisition's, or a line of a VFU batch (paid without requisition), by
// its end-to-end id.
type paid struct {
	ID, Agreement, Recipient, Batch string
	Amount                          money.Kr
}

// vfuLineID is the end-to-end id of a VFU batch's line i (from 0): the
// batch's id and the line's number.
func vfuLineID(batch string, i int) string { return fmt.Sprintf("%s-%d", batch, i+1) }

// batchPayments are the batch's payments: its requisitions', then its
// VFU lines'.
func batchPayments(b BatchView) []paid {
	out := make([]paid, 0, len(b.Requisitions)+len(b.VFU))
	for _, r := range b.Requisitions {
		out = append(out, paid{ID: r.ID, Agreement: r.Agreement, Recipient: r.Recipient, Batch: b.ID, Amount: r.Amount})
	}
	for i, l := range b.VFU {
		out = append(out, paid{ID: vfuLineID(b.ID, i), Agreement: l.Agreement, Recipient: l.Recipient, Batch: b.ID, Amount: l.Amount})
	}
	return out
}

// loadBatch reads a batch with its requisitions and VFU lines.
func loadBatch(tx *store.Tx, id string) (BatchView, error) {
	var b BatchView
	var err error
	if b.Batch, err = tx.Batch(id); err != nil {
		return b, err
	}
	if b.Requisitions, err = tx.Requisitions(grant.RequisitionFilter{Batch: id}); err != nil {
		return b, err
	}
	b.VFU, err = tx.VFUPayments(id)
	return b, err
}

// byEndToEnd finds the payment an end-to-end id names: a batched
// requisition, or a VFU batch's line ("B-…-n").
func (m *matcher) byEndToEnd(id string) (paid, bool, error) {
	r, err := m.tx.Requisition(id)
	if err == nil && r.BatchID != "" {
		return paid{ID: r.ID, Agreement: r.Agreement, Recipient: r.Recipient, Batch: r.BatchID, Amount: r.Amount}, true, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return paid{}, false, err
	}
	cut := strings.LastIndex(id, "-")
	n, err := strconv.Atoi(id[cut+1:])
	if cut < 0 || err != nil || n < 1 {
		return paid{}, false, nil
	}
	b, err := loadBatch(m.tx, id[:cut])
	if errors.Is(err, store.ErrNotFound) || n > len(b.VFU) {
		return paid{}, false, nil
	} else if err != nil {
		return paid{}, false, err
	}
	return batchPayments(b)[len(b.Requisitions)+n-1], true, nil
}

// debit matches a payment of a batch not yet confirmed, by the payment
// (end-to-end id) or the whole batch (payment information id).
func (m *matcher) debit(e bank.Entry, t bank.Transaction) error {
	if t.EndToEndID != "" {
		p, ok, err := m.byEndToEnd(t.EndToEndID)
		if err != nil {
			return err
		}
		if ok {
			return m.payment(e, t, p, t.EndToEndID)
		}
	}
	if t.PmtInfID != "" {
		b, err := m.tx.Batch(strings.TrimSuffix(t.PmtInfID, "-1"))
		if err == nil {
			return m.batch(e, t, b.ID)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	m.unmatched(e, t, firstOf(t.EndToEndID, t.PmtInfID), "", "Uttaget hör inte till någon betalning i narvard; hantera det för hand.")
	return nil
}

// otherAgency is the note on a debit of a batch another agency pays: the
// file is of the importing payer's agency's account.
func (m *matcher) otherAgency(b payment.Batch) string {
	return "Betalningsomgången " + b.ID + " betalas från " + org.AgencyName(b.Payer) + "s konto, inte från " +
		org.AgencyName(m.actor.Org) + "s; hantera uttaget för hand."
}

// batch matches a debit of a whole batch: its amount must be the sum of
// the batch's payments not yet matched.
func (m *matcher) batch(e bank.Entry, t bank.Transaction, id string) error {
	b, err := loadBatch(m.tx, id)
	if err != nil {
		return err
	}
	var open []paid
	var sum money.Kr
	for _, p := range batchPayments(b) {
		if !m.seen[p.ID] {
			open = append(open, p)
			sum += p.Amount
		}
	}
	switch {
	case b.Payer != m.actor.Org:
		m.unmatched(e, t, t.PmtInfID, "", m.otherAgency(b.Batch))
		return nil
	case !b.ConfirmedAt.IsZero() || len(open) == 0:
		m.unmatched(e, t, t.PmtInfID, "", "Betalningsomgången "+id+" är redan bekräftad; hantera uttaget för hand.")
		return nil
	case !b.Attested():
		m.unmatched(e, t, t.PmtInfID, "", "Betalningsomgången "+id+" är inte attesterad, så den kan inte ha skickats till banken; hantera uttaget för hand.")
		return nil
	case t.Amount != bank.Ore(sum)*100:
		m.unmatched(e, t, t.PmtInfID, "", fmt.Sprintf("Uttaget är %s men betalningsomgången %s är %s; inget bekräftades.", t.Amount, id, sum))
		return nil
	}
	for _, p := range open {
		tr := t
		tr.Amount = bank.Ore(p.Amount) * 100
		if err := m.payment(e, tr, p, t.PmtInfID); err != nil {
			return err
		}
	}
	return nil
}

// payment matches one payment of a batch.
func (m *matcher) payment(e bank.Entry, t bank.Transaction, p paid, ref string) error {
	b, err := m.tx.Batch(p.Batch)
	if err != nil {
		return err
	}
	if b.Payer != m.actor.Org {
		m.unmatched(e, t, ref, p.Recipient, m.otherAgency(b))
		return nil
	}
	if _, earlier, err := m.tx.BankPaymentMatch(p.ID); err != nil {
		return err
	} else if !b.ConfirmedAt.IsZero() || earlier || m.seen[p.ID] {
		m.unmatched(e, t, ref, p.Recipient, "Betalningen "+p.ID+" är redan matchad eller bekräftad; hantera uttaget för hand.")
		return nil
	}
	if !b.Attested() {
		m.unmatched(e, t, ref, p.Recipient, "Betalningsomgången "+b.ID+" är inte attesterad, så betalningen "+p.ID+" kan inte ha skickats till banken; hantera uttaget för hand.")
		return nil
	}
	if t.Amount != bank.Ore(p.Amount)*100 {
		m.unmatched(e, t, ref, p.Recipient, fmt.Sprintf("Uttaget är %s men betalningen %s är %s; inget bekräftades.", t.Amount, p.ID, p.Amount))
		return nil
	}
	ag, err := m.a.agreement(p.Agreement)
	if err != nil {
		return err
	}
	if err := grant.CheckMoneyDate("paid_on", "Bokföringsdagen", e.BookingDate, m.now, ag.PeriodFrom.Time); err != nil {
		m.unmatched(e, t, ref, p.Recipient, faultText(err)+" Inget bekräftades.")
		return nil
	}
	m.seen[p.ID], m.booked[p.ID] = true, e.BookingDate
	if !containsString(m.batches, b.ID) {
		m.batches = append(m.batches, b.ID)
	}
	m.add(e, t, bank.Line{Kind: bank.LinePayment, Reference: ref, Recipient: p.Recipient, Object: p.ID,
		Note: "Betalningen av " + p.ID + " i omgången " + b.ID + " är matchad."})
	return nil
}

// confirmBatches confirms each touched batch whose payments are all
// matched; the lines of a batch left open say how many are.
func (m *matcher) confirmBatches() error {
	for _, id := range m.batches {
		b, err := loadBatch(m.tx, id)
		if err != nil {
			return err
		}
		all := batchPayments(b)
		days := map[string]time.Time{}
		for _, p := range all {
			if on, ok := m.booked[p.ID]; ok {
				days[p.ID] = on
			} else if on, ok, err := m.tx.BankPaymentMatch(p.ID); err != nil {
				return err
			} else if ok {
				days[p.ID] = on
			}
		}
		note := " Omgången är bekräftad som betald."
		if len(days) < len(all) {
			note = fmt.Sprintf(" Omgången bekräftas när alla dess betalningar är matchade (%d av %d).", len(days), len(all))
		} else if err := m.confirm(&b, days); err != nil {
			return err
		}
		for i := range m.im.Lines {
			if l := &m.im.Lines[i]; l.Kind == bank.LinePayment && strings.Contains(l.Note, " "+id+" ") {
				l.Note += note
			}
		}
	}
	return nil
}

// confirm confirms the batch as paid on the bank's days and mails the
// recipients.
func (m *matcher) confirm(b *BatchView, days map[string]time.Time) error {
	if err := confirmBatch(m.tx, m.actor, b, func(p string) time.Time { return days[p] }, m.now,
		map[string]any{"bank_message_id": m.im.MessageID}); err != nil {
		return err
	}
	return m.a.notifyPaid(m.tx, m.now, b.Requisitions)
}
