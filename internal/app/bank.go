package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/bank"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/ocr"
	"narvard/internal/store"
)

// BankImportView is an imported bank notification with its lines, and
// whether this call found it already imported (and recorded nothing).
type BankImportView struct {
	bank.Import
	AlreadyImported bool
}

// Matched are the lines recorded against a debt or a payment.
func (v BankImportView) Matched() []bank.Line { return v.lines(true) }

// Unmatched are the lines for the payer to handle by hand, excess
// payments included.
func (v BankImportView) Unmatched() []bank.Line { return v.lines(false) }

func (v BankImportView) lines(matched bool) []bank.Line {
	out := []bank.Line{}
	for _, l := range v.Lines {
		if l.Kind.Matched() == matched {
			out = append(out, l)
		}
	}
	return out
}

// ImportBankNotification reads the bank's camt.054.001.02 debit/credit
// notification and closes the loop (payers):
//
//   - a credit whose remittance information carries a known OCR reference
//     records a repayment of that debt on the booking day, of at most what
//     is left of it; what it pays beyond that is listed as excess;
//   - a debit whose end-to-end id (the requisition) or payment information
//     id (the batch) matches a payment of a batch not yet confirmed matches
//     that payment; a batch is confirmed, each requisition paid on its own
//     booking day, once every payment in it is matched (in this file or an
//     earlier one);
//   - everything else is listed as unmatched, with the reason.
//
// Repayments are whole kronor: a credit with öre is listed, not recorded.
// A damaged or unknown document is refused whole; the same message id
// imported again records nothing and returns the first import.
func (a *App) ImportBankNotification(ctx context.Context, actor auth.Actor, file []byte) (BankImportView, error) {
	if err := grant.CanDecide(actor); err != nil {
		return BankImportView{}, err
	}
	n, err := bank.Parse(file)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), bank.ErrDocument.Error()+": ")
		return BankImportView{}, &fault.Error{Code: fault.Invalid,
			Message: "Filen togs inte emot och inget registrerades: den är inte en giltig bankavisering camt.054.001.02 (" + msg + ").",
			Fields:  map[string]string{"file": msg}}
	}
	sum := sha256.Sum256(file)
	now := a.Clock.Now()
	v := BankImportView{Import: bank.Import{ID: newID("BA-"), MessageID: n.MessageID, SHA256: hex.EncodeToString(sum[:]),
		Created: n.Created, ImportedBy: actor.Email, ImportedAt: now}}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if old, err := tx.BankImportByMessage(n.MessageID); err == nil {
			if old.SHA256 != v.SHA256 {
				return fault.New(fault.Conflict, "En annan fil med samma meddelande-id (MsgId %s) lästes in %s; filen togs inte emot och inget registrerades.",
					n.MessageID, old.ImportedAt.In(clock.Stockholm).Format(time.DateOnly+" 15:04"))
			}
			if v.Import, err = tx.BankImport(old.ID); err != nil {
				return err
			}
			v.AlreadyImported = true
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		m := matcher{a: a, tx: tx, actor: actor, now: now, im: &v.Import, seen: map[string]bool{}, booked: map[string]time.Time{}}
		for _, e := range n.Entries {
			for _, t := range e.Transactions {
				if err := m.match(e, t); err != nil {
					return err
				}
			}
		}
		if err := m.confirmBatches(); err != nil {
			return err
		}
		if err := tx.InsertBankImport(v.Import); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "Meddelandet %s lästes in samtidigt av någon annan; inget registrerades.", n.MessageID)
			}
			return err
		}
		matched := len(v.Matched())
		_, err := tx.Audit(entry(actor, now, "bank.import", "bank:"+v.ID,
			map[string]any{"message_id": n.MessageID, "sha256": v.SHA256, "matched": matched, "unmatched": len(v.Lines) - matched}))
		return err
	})
	return v, err
}

// BankNotification returns an imported notification with its matched and
// unmatched lines.
func (a *App) BankNotification(ctx context.Context, actor auth.Actor, id string) (BankImportView, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return BankImportView{}, err
	}
	var v BankImportView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if v.Import, err = tx.BankImport(id); err != nil {
			return notFound(err, "Bankaviseringen %s finns inte.", id)
		}
		return nil
	})
	return v, err
}

// BankNotifications lists the imported notifications, newest first.
func (a *App) BankNotifications(ctx context.Context, actor auth.Actor) ([]BankImportView, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return nil, err
	}
	var out []BankImportView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		all, err := tx.BankImports()
		for _, im := range all {
			out = append(out, BankImportView{Import: im})
		}
		return err
	})
	return out, err
}

// matcher matches one notification's transactions inside the import's
// transaction.
type matcher struct {
	a       *App
	tx      *store.Tx
	actor   auth.Actor
	now     time.Time
	im      *bank.Import
	seen    map[string]bool      // requisitions matched by this file
	booked  map[string]time.Time // their booking days
	batches []string             // batches touched, in order
}

func (m *matcher) add(e bank.Entry, t bank.Transaction, l bank.Line) {
	l.N, l.Entry, l.Direction, l.BookedOn = len(m.im.Lines)+1, e.N, e.Direction, e.BookingDate
	if l.Currency == "" {
		l.Amount, l.Currency = t.Amount, t.Currency
	}
	m.im.Lines = append(m.im.Lines, l)
}

func (m *matcher) unmatched(e bank.Entry, t bank.Transaction, ref, recipient, note string) {
	m.add(e, t, bank.Line{Kind: bank.LineUnmatched, Reference: ref, Recipient: recipient, Note: note})
}

func (m *matcher) match(e bank.Entry, t bank.Transaction) error {
	ref := firstOf(t.EndToEndID, t.PmtInfID, strings.Join(t.References, " "), t.Unstructured)
	switch {
	case !e.Booked:
		m.unmatched(e, t, ref, "", "Posten är inte bokförd (Sts är inte BOOK); inget registrerades.")
		return nil
	case t.Currency != "SEK":
		m.unmatched(e, t, ref, "", "Beloppet är i "+t.Currency+", inte SEK; inget registrerades.")
		return nil
	case e.Direction == bank.Credit:
		return m.credit(e, t)
	}
	return m.debit(e, t)
}

// credit records a repayment for a credit with a known OCR reference.
func (m *matcher) credit(e bank.Entry, t bank.Transaction) error {
	var refs []string
	for _, r := range t.References {
		if d, err := ocr.Parse(r); err == nil {
			refs = append(refs, d)
		}
	}
	refs = append(refs, ocr.Find(t.Unstructured)...)
	if len(refs) == 0 {
		m.unmatched(e, t, firstOf(strings.Join(t.References, " "), t.Unstructured), "",
			"Insättningen har ingen giltig OCR-referens; hantera den för hand.")
		return nil
	}
	var d grant.Debt
	found := false
	for _, r := range refs {
		var err error
		if d, err = m.tx.DebtByOCR(r); err == nil {
			found = true
			break
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if !found {
		m.unmatched(e, t, refs[0], "", "OCR-referensen "+refs[0]+" hör inte till någon skuld i narvard; hantera insättningen för hand.")
		return nil
	}
	kr, exact := t.Amount.Kronor()
	if !exact {
		m.unmatched(e, t, d.OCR, d.Recipient, "Beloppet "+t.Amount.String()+" har ören; återbetalningar tas emot i hela kronor, så inget registrerades. Hantera insättningen för hand.")
		return nil
	}
	ag, err := m.a.agreement(d.Agreement)
	if err != nil {
		return err
	}
	if err := grant.CheckMoneyDate("received_on", "Bokföringsdagen", e.BookingDate, m.now, ag.PeriodFrom.Time); err != nil {
		m.unmatched(e, t, d.OCR, d.Recipient, faultText(err)+" Inget registrerades.")
		return nil
	}
	left, err := debtOutstanding(m.tx, d)
	if err != nil {
		return err
	}
	take := min(kr, left)
	if take > 0 {
		p := grant.Repayment{ID: newID("A-"), Agreement: d.Agreement, Recipient: d.Recipient, Amount: take, ReceivedOn: e.BookingDate,
			Reference: d.OCR, Debt: d.ID, RecordedBy: m.actor.Email, RecordedAt: m.now}
		if err := recordRepayment(m.tx, m.actor, p, m.now); err != nil {
			return err
		}
		m.add(e, t, bank.Line{Kind: bank.LineRepayment, Amount: bank.Ore(take) * 100, Currency: t.Currency, Reference: d.OCR,
			Recipient: d.Recipient, Object: p.ID,
			Note: fmt.Sprintf("Återbetalning %s registrerad mot %s (%s); kvar att betala %s.", p.ID, d.Kind.Swedish(), d.OCR, left-take)})
	}
	if excess := kr - take; excess > 0 {
		m.add(e, t, bank.Line{Kind: bank.LineExcess, Amount: bank.Ore(excess) * 100, Currency: t.Currency, Reference: d.OCR,
			Recipient: d.Recipient,
			Note: fmt.Sprintf("Överskott: %s betalades mot %s där %s återstod. Överskottet %s är inte registrerat; betala tillbaka eller avräkna det för hand.",
				money.Kr(kr), d.OCR, left, excess)})
	}
	return nil
}

// debit matches a payment of a batch not yet confirmed, by the
// requisition (end-to-end id) or the whole batch (payment information id).
func (m *matcher) debit(e bank.Entry, t bank.Transaction) error {
	if t.EndToEndID != "" {
		r, err := m.tx.Requisition(t.EndToEndID)
		if err == nil && r.BatchID != "" {
			return m.payment(e, t, r, t.EndToEndID)
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
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

// batch matches a debit of a whole batch: its amount must be the sum of
// the batch's payments not yet matched.
func (m *matcher) batch(e bank.Entry, t bank.Transaction, id string) error {
	b, err := m.tx.Batch(id)
	if err != nil {
		return err
	}
	reqs, err := m.tx.Requisitions(grant.RequisitionFilter{Batch: id})
	if err != nil {
		return err
	}
	var open []grant.Requisition
	var sum money.Kr
	for _, r := range reqs {
		if !m.seen[r.ID] {
			open = append(open, r)
			sum += r.Amount
		}
	}
	if !b.ConfirmedAt.IsZero() || len(open) == 0 {
		m.unmatched(e, t, t.PmtInfID, "", "Betalningsomgången "+id+" är redan bekräftad; hantera uttaget för hand.")
		return nil
	}
	if !b.Attested() {
		m.unmatched(e, t, t.PmtInfID, "", "Betalningsomgången "+id+" är inte attesterad, så den kan inte ha skickats till banken; hantera uttaget för hand.")
		return nil
	}
	if t.Amount != bank.Ore(sum)*100 {
		m.unmatched(e, t, t.PmtInfID, "", fmt.Sprintf("Uttaget är %s men betalningsomgången %s är %s; inget bekräftades.", t.Amount, id, sum))
		return nil
	}
	for _, r := range open {
		tr := t
		tr.Amount = bank.Ore(r.Amount) * 100
		if err := m.payment(e, tr, r, t.PmtInfID); err != nil {
			return err
		}
	}
	return nil
}

// payment matches one requisition's payment.
func (m *matcher) payment(e bank.Entry, t bank.Transaction, r grant.Requisition, ref string) error {
	b, err := m.tx.Batch(r.BatchID)
	if err != nil {
		return err
	}
	if _, earlier, err := m.tx.BankPaymentMatch(r.ID); err != nil {
		return err
	} else if !b.ConfirmedAt.IsZero() || earlier || m.seen[r.ID] {
		m.unmatched(e, t, ref, r.Recipient, "Betalningen "+r.ID+" är redan matchad eller bekräftad; hantera uttaget för hand.")
		return nil
	}
	if !b.Attested() {
		m.unmatched(e, t, ref, r.Recipient, "Betalningsomgången "+b.ID+" är inte attesterad, så betalningen "+r.ID+" kan inte ha skickats till banken; hantera uttaget för hand.")
		return nil
	}
	if t.Amount != bank.Ore(r.Amount)*100 {
		m.unmatched(e, t, ref, r.Recipient, fmt.Sprintf("Uttaget är %s men rekvisitionen %s är %s; inget bekräftades.", t.Amount, r.ID, r.Amount))
		return nil
	}
	ag, err := m.a.agreement(r.Agreement)
	if err != nil {
		return err
	}
	if err := grant.CheckMoneyDate("paid_on", "Bokföringsdagen", e.BookingDate, m.now, ag.PeriodFrom.Time); err != nil {
		m.unmatched(e, t, ref, r.Recipient, faultText(err)+" Inget bekräftades.")
		return nil
	}
	m.seen[r.ID], m.booked[r.ID] = true, e.BookingDate
	if !containsString(m.batches, b.ID) {
		m.batches = append(m.batches, b.ID)
	}
	m.add(e, t, bank.Line{Kind: bank.LinePayment, Reference: ref, Recipient: r.Recipient, Object: r.ID,
		Note: "Betalningen av " + r.ID + " i omgången " + b.ID + " är matchad."})
	return nil
}

// confirmBatches confirms each touched batch whose payments are all
// matched; the lines of a batch left open say how many are.
func (m *matcher) confirmBatches() error {
	for _, id := range m.batches {
		b := BatchView{}
		var err error
		if b.Batch, err = m.tx.Batch(id); err != nil {
			return err
		}
		if b.Requisitions, err = m.tx.Requisitions(grant.RequisitionFilter{Batch: id}); err != nil {
			return err
		}
		days := map[string]time.Time{}
		for _, r := range b.Requisitions {
			if on, ok := m.booked[r.ID]; ok {
				days[r.ID] = on
			} else if on, ok, err := m.tx.BankPaymentMatch(r.ID); err != nil {
				return err
			} else if ok {
				days[r.ID] = on
			}
		}
		if len(days) < len(b.Requisitions) {
			for i := range m.im.Lines {
				if l := &m.im.Lines[i]; l.Kind == bank.LinePayment && strings.Contains(l.Note, " "+id+" ") {
					l.Note += fmt.Sprintf(" Omgången bekräftas när alla dess betalningar är matchade (%d av %d).", len(days), len(b.Requisitions))
				}
			}
			continue
		}
		if err := m.confirm(&b, days); err != nil {
			return err
		}
		for i := range m.im.Lines {
			if l := &m.im.Lines[i]; l.Kind == bank.LinePayment && strings.Contains(l.Note, " "+id+" ") {
				l.Note += " Omgången är bekräftad som betald."
			}
		}
	}
	return nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			return x
		}
	}
	return ""
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// faultText is a refusal's message with its fields' messages.
func faultText(err error) string {
	var f *fault.Error
	if !errors.As(err, &f) {
		return err.Error()
	}
	parts := []string{}
	for _, m := range f.Fields {
		parts = append(parts, m)
	}
	if len(parts) == 0 {
		return f.Message
	}
	return strings.Join(parts, " ")
}

// confirm confirms the batch as paid on the bank's days and mails the
// recipients.
func (m *matcher) confirm(b *BatchView, days map[string]time.Time) error {
	if err := confirmBatch(m.tx, m.actor, b, func(r string) time.Time { return days[r] }, m.now,
		map[string]any{"bank_message_id": m.im.MessageID}); err != nil {
		return err
	}
	return m.a.notifyPaid(m.tx, m.now, b.Requisitions)
}
