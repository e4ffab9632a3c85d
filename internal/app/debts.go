package app

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"strconv"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/document"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/ocr"
	"narvard/internal/org"
	"narvard/internal/store"
)

// Due is one debt as it stands: what is left of it, and where to pay it.
type Due struct {
	grant.Debt
	Outstanding money.Kr
	AgencyName  string
	Bankgiro    string // the paying agency's bankgiro; "" when none is set
}

// BankgiroText is the bankgiro to show, or that none is set.
func (d Due) BankgiroText() string {
	if d.Bankgiro == "" {
		return NoBankgiro
	}
	return "bankgiro " + d.Bankgiro
}

// NoBankgiro is shown where the paying agency's bankgiro is not set.
const NoBankgiro = "bankgiro ej angivet"

// reclaimDays is how long a recipient has to pay a reclaim, and a
// repayment made due after the agreement's repayment deadline.
const reclaimDays = 30

// agencyBankgiro is the bankgiro a recipient pays the agency's debts to:
// the agency's own account when it is a bankgiro, set by an admin. An
// agency without one, or paying from an IBAN, has none here ("", shown as
// "bankgiro ej angivet"): OCR payments go to a bankgiro.
func agencyBankgiro(o org.Organisation) string {
	if o.Account.Type != org.AccountBankgiro {
		return ""
	}
	return o.Account.Number
}

// debtAgency is the paying agency money of the recipient's allocation is
// due back to: the one that pays the largest part of it, Kammarkollegiet
// when the agreement names none.
func debtAgency(ag *agreement.Agreement, al grant.Allocation) string {
	by := map[string]money.Kr{}
	best := ""
	for _, c := range al.Components {
		for _, ac := range ag.Components {
			if ac.ID == c.ID && ac.Payer != "" {
				by[ac.Payer] += c.Amount
				if best == "" || by[ac.Payer] > by[best] || (by[ac.Payer] == by[best] && ac.Payer < best) {
					best = ac.Payer
				}
			}
		}
	}
	if best == "" {
		return org.Kammarkollegiet
	}
	return best
}

// repaymentDueOn is the day money a financial report makes due must be
// repaid: the agreement's repayment deadline, or 30 days from today when
// the report is filed after it.
func repaymentDueOn(ag *agreement.Agreement, now time.Time) time.Time {
	if d, ok := ag.Deadline(agreement.DeadlineRepayment); ok && !clock.Passed(d.Date.Time, now) {
		return d.Date.Time
	}
	return clock.Today(now).AddDate(0, 0, reclaimDays)
}

// newDebt records a debt with a new OCR reference: the debt's serial
// number (from 100001) with length and check digit.
func newDebt(tx *store.Tx, d grant.Debt, now time.Time) (grant.Debt, error) {
	seq, err := tx.NextDebtSeq()
	if err != nil {
		return d, err
	}
	if d.OCR, err = ocr.Make(strconv.FormatInt(100000+seq, 10)); err != nil {
		return d, err
	}
	d.ID, d.CreatedAt, d.UpdatedAt = newID("S-"), now, now
	return d, tx.InsertDebt(d, seq)
}

// syncReportDebt makes the debt of a filed financial report equal to what
// it makes due: created with its OCR reference when money first becomes
// due, its amount changed when a corrected report is filed.
func (a *App) syncReportDebt(tx *store.Tx, r *grant.FinancialReport, due money.Kr, now time.Time) error {
	d, err := tx.DebtBySource(grant.DebtRepayment, r.ID)
	switch {
	case err == nil:
		if d.Amount == due {
			return nil
		}
		d.Amount, d.UpdatedAt = due, now
		return tx.UpdateDebtAmount(d)
	case !errors.Is(err, store.ErrNotFound):
		return err
	case due <= 0:
		return nil
	}
	ag, err := a.agreement(r.Agreement)
	if err != nil {
		return err
	}
	al, _ := a.Allocation(r.Agreement, r.Recipient)
	apart, err := a.vfuApart(tx, r.Agreement, r.Recipient)
	if err != nil {
		return err
	}
	_, err = newDebt(tx, grant.Debt{Agreement: r.Agreement, Recipient: r.Recipient, Kind: grant.DebtRepayment,
		Agency: debtAgency(ag, withApart(al, apart)), Source: r.ID, Amount: due, DueOn: repaymentDueOn(ag, now),
		Reason: "Ej förbrukade medel, och öronmärkta medel som inte använts för sitt ändamål, enligt den ekonomiska redovisningen " + r.ID + "."}, now)
	return err
}

// dues lists the recipient's debts under the agreement with what is left
// of each, the open ones only unless all is set.
func dues(tx *store.Tx, agreementID, recipient string, all bool) ([]Due, error) {
	debts, err := tx.Debts(agreementID, recipient)
	if err != nil || len(debts) == 0 {
		return nil, err
	}
	reps, err := tx.Repayments(agreementID, recipient)
	if err != nil {
		return nil, err
	}
	return duesOf(tx, debts, reps, all)
}

// duesOf is dues over debts and repayments already read, for any number
// of recipients.
func duesOf(tx *store.Tx, debts []grant.Debt, reps []grant.Repayment, all bool) ([]Due, error) {
	byRecipient := map[string][]grant.Repayment{}
	for _, p := range reps {
		byRecipient[p.Recipient] = append(byRecipient[p.Recipient], p)
	}
	debtsOf := map[string][]grant.Debt{}
	for _, d := range debts {
		debtsOf[d.Recipient] = append(debtsOf[d.Recipient], d)
	}
	left := map[string]money.Kr{}
	for rcp, ds := range debtsOf {
		for id, k := range grant.Outstanding(ds, byRecipient[rcp]) {
			left[id] = k
		}
	}
	agencies := map[string]org.Organisation{}
	var out []Due
	for _, d := range debts {
		if left[d.ID] <= 0 && !all {
			continue
		}
		o, ok := agencies[d.Agency]
		if !ok {
			var err error
			if o, err = tx.Organisation(d.Agency); err != nil {
				return nil, err
			}
			agencies[d.Agency] = o
		}
		out = append(out, Due{Debt: d, Outstanding: left[d.ID], AgencyName: o.Name, Bankgiro: agencyBankgiro(o)})
	}
	return out, nil
}

// debtOutstanding is what is left of the debt, and never more than the
// recipient's debt in the ledger.
func debtOutstanding(tx *store.Tx, d grant.Debt) (money.Kr, error) {
	all, err := dues(tx, d.Agreement, d.Recipient, true)
	if err != nil {
		return 0, err
	}
	bal, err := tx.Balances(ledger.Debt(d.Agreement, d.Recipient))
	if err != nil {
		return 0, err
	}
	for _, x := range all {
		if x.ID == d.ID {
			return max(0, min(x.Outstanding, bal[ledger.Debt(d.Agreement, d.Recipient)])), nil
		}
	}
	return 0, nil
}

// fillDues sets the statuses' open debts: of one recipient, or ("") all.
func fillDues(tx *store.Tx, agreementID, only string, sts []Status) error {
	debts, err := tx.Debts(agreementID, only)
	if err != nil || len(debts) == 0 {
		return err
	}
	reps, err := tx.Repayments(agreementID, only)
	if err != nil {
		return err
	}
	open, err := duesOf(tx, debts, reps, false)
	if err != nil {
		return err
	}
	by := map[string][]Due{}
	for _, d := range open {
		by[d.Recipient] = append(by[d.Recipient], d)
	}
	for i := range sts {
		sts[i].Dues = by[sts[i].Recipient]
	}
	return nil
}

// DebtLetter renders the decision letter of a debt the actor may see: an
// återbetalningsbesked or an återkravsbeslut, with what is left to pay,
// by when, where and the OCR reference.
func (a *App) DebtLetter(ctx context.Context, actor auth.Actor, id string) (Due, []byte, error) {
	var due Due
	var doc document.DebtDoc
	err := a.db.View(ctx, func(tx *store.Tx) error {
		d, err := tx.Debt(id)
		if err != nil {
			return notFound(err, "Skulden %s finns inte.", id)
		}
		if err := grant.CanRead(actor, d.Recipient); err != nil {
			return err
		}
		all, err := dues(tx, d.Agreement, d.Recipient, true)
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.ID == id {
				due = x
			}
		}
		ag, err := a.agreement(d.Agreement)
		if err != nil {
			return err
		}
		o, err := tx.Organisation(d.Recipient)
		if err != nil {
			return err
		}
		doc = document.DebtDoc{AgreementName: ag.Name, AgreementID: ag.ID, AgreementDnr: ag.Dnr, Recipient: o,
			AgencyName: due.AgencyName, Debt: d, Outstanding: due.Outstanding, Bankgiro: cmp.Or(due.Bankgiro, "ej angivet"), Generated: a.Clock.Now(), Rehearsal: a.rehearsal()}
		if d.Kind == grant.DebtRepayment {
			if r, err := tx.Report(d.Source); err == nil {
				doc.AgreementDnr, doc.DecisionDnr = r.AgreementDnr, r.PaymentDecisionDnr
			}
		}
		return nil
	})
	if err != nil {
		return due, nil, err
	}
	var buf bytes.Buffer
	err = document.DebtPDF(&buf, doc)
	return due, buf.Bytes(), err
}
