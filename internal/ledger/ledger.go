// Package ledger keeps every money movement as a balanced double-entry
// transaction of postings in whole kronor. Balances are sums of postings;
// nothing is ever updated in place.
//
// Accounts are named by meaning, and every account belongs to one
// agreement: a recipient's money under one agreement never meets its money
// under another, so a balance is always one agreement's.
//
//	anslag:<agreement>                             the appropriation the agreement draws on
//	mottagare:<agreement>:<recipient>:tilldelat    allocated, not yet requisitioned
//	mottagare:<agreement>:<recipient>:rekvirerat   requisitioned (signed), not yet paid
//	mottagare:<agreement>:<recipient>:utbetalt     paid out
//	mottagare:<agreement>:<recipient>:forfallet    lapsed: not requisitioned in time
//	mottagare:<agreement>:<recipient>:skuld        due back to Kammarkollegiet (unspent or reclaimed)
//	mottagare:<agreement>:<rss>:vidareformedlat    passed on by an RSS to its municipalities (negative)
//	mottagare:<agreement>:<kommun>:mottaget        received by a municipality from its RSS
//	aterbetalt:<agreement>                         repaid to Kammarkollegiet
//
// Databases written before accounts carried the agreement
// (mottagare:<recipient>:…) are converted by store migration 0005, which
// puts each posting's transaction's agreement into its account.
package ledger

import (
	"errors"
	"fmt"
	"time"

	"narvard/internal/money"
)

// Kind is the kind of a transaction: why the money moved. It is stored as
// text.
type Kind string

// Kinds of transaction.
const (
	KindAllocation Kind = "allocation"
	// KindAllocationCorrection brings what the ledger holds as a
	// recipient's allocation to the agreement file's binding amount, as an
	// admin recorded it with a reason (narvard allocation correct).
	KindAllocationCorrection Kind = "allocation_correction"
	KindRequisition          Kind = "requisition"
	KindRejection            Kind = "rejection"
	KindPayment              Kind = "payment"
	KindLapse                Kind = "lapse"
	KindDue                  Kind = "repayment_due"  // unspent money becomes due when a report is filed
	KindDueReversal          Kind = "due_reversal"   // a returned report's due amount is released
	KindRepayment            Kind = "repayment"      // money received back
	KindReclaim              Kind = "reclaim"        // a reclaim decision makes money due
	KindOnwardPayment        Kind = "onward_payment" // an RSS pays its municipalities
	KindVFUAllocation        Kind = "vfu_allocation" // a closed VFU round fixes a recipient's VFU money
	KindVFUPayment           Kind = "vfu_payment"    // VFU money paid, without requisition
)

// Posting is one line of a transaction: an amount added to an account
// (negative to take it away).
type Posting struct {
	Account string
	Amount  money.Kr
}

// Tx is a balanced set of postings made at one moment for one reason.
type Tx struct {
	ID        int64
	At        time.Time
	Kind      Kind
	Agreement string
	Recipient string
	Ref       string // what caused it, e.g. the requisition's id
	Postings  []Posting
}

// RefTotal is what one recipient's transactions of one kind and reference
// posted to one account, summed.
type RefTotal struct {
	Recipient string
	Kind      Kind
	Ref       string
	Account   string
	Amount    money.Kr
}

// ErrUnbalanced is returned for a transaction whose postings do not sum to
// zero.
var ErrUnbalanced = errors.New("transaktionen balanserar inte")

// Check reports whether the transaction is well formed: at least two
// postings, no zero amounts, no empty account, and a sum of zero.
func (t Tx) Check() error {
	if len(t.Postings) < 2 {
		return fmt.Errorf("%w: minst två konteringar krävs", ErrUnbalanced)
	}
	var sum money.Kr
	for _, p := range t.Postings {
		if p.Account == "" || p.Amount == 0 {
			return fmt.Errorf("%w: tom kontering", ErrUnbalanced)
		}
		var err error
		if sum, err = money.Add(sum, p.Amount); err != nil {
			return err
		}
	}
	if sum != 0 {
		return fmt.Errorf("%w: summa %d", ErrUnbalanced, sum)
	}
	return nil
}

// Move returns a transaction moving amount from one account to another.
func Move(kind Kind, agreementID, recipient, ref string, at time.Time, from, to string, amount money.Kr) Tx {
	return Tx{At: at, Kind: kind, Agreement: agreementID, Recipient: recipient, Ref: ref,
		Postings: []Posting{{from, -amount}, {to, amount}}}
}

// Account names.

// Appropriation is the account the agreement's money comes from.
func Appropriation(agreementID string) string { return "anslag:" + agreementID }

// RecipientAccounts is the prefix of every account of the recipient under
// the agreement; with recipient "" the prefix of every recipient's account
// under the agreement.
func RecipientAccounts(agreementID, recipient string) string {
	if recipient == "" {
		return "mottagare:" + agreementID + ":"
	}
	return "mottagare:" + agreementID + ":" + recipient + ":"
}

// Allocated is a recipient's allocation under the agreement not yet
// requisitioned.
func Allocated(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "tilldelat"
}

// Requisitioned is what a recipient has requisitioned under the agreement
// and not been paid.
func Requisitioned(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "rekvirerat"
}

// Paid is what a recipient has been paid under the agreement.
func Paid(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "utbetalt"
}

// Lapsed is the allocation a recipient lost under the agreement by not
// requisitioning in time.
func Lapsed(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "forfallet"
}

// Debt is what a recipient owes Kammarkollegiet under the agreement:
// unspent or reclaimed.
func Debt(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "skuld"
}

// PassedOn is what an RSS has paid on to its municipalities under the
// agreement, as a negative balance.
func PassedOn(agreementID, rss string) string {
	return RecipientAccounts(agreementID, rss) + "vidareformedlat"
}

// ReceivedOnward is what a municipality has received from its RSS under
// the agreement.
func ReceivedOnward(agreementID, kommun string) string {
	return RecipientAccounts(agreementID, kommun) + "mottaget"
}

// VFUAllocated is a recipient's VFU money fixed by the closed VFU round
// and not yet paid; VFU is paid without requisition, apart from the
// allocation that is requisitioned.
func VFUAllocated(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "vfu_tilldelat"
}

// VFUPaid is the VFU money paid to a recipient under the agreement.
func VFUPaid(agreementID, recipient string) string {
	return RecipientAccounts(agreementID, recipient) + "vfu_utbetalt"
}

// Repaid is what has been paid back under the agreement.
func Repaid(agreementID string) string { return "aterbetalt:" + agreementID }

// Balances sums the postings per account.
func Balances(txs []Tx) (map[string]money.Kr, error) {
	b := map[string]money.Kr{}
	for _, t := range txs {
		for _, p := range t.Postings {
			var err error
			if b[p.Account], err = money.Add(b[p.Account], p.Amount); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}
