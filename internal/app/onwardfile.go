package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/onward"
	"narvard/internal/org"
	"narvard/internal/payment"
	"narvard/internal/store"
)

// OnwardPaymentFile is the RSS's recorded payment to its municipalities as
// an ISO 20022 pain.001.001.03 file for the RSS's own bank: from the RSS's
// account (registered on its organisation page) to each municipality's
// bankgiro, to be executed on the payment's day; one transfer per line,
// its end-to-end id the payment's id and the line's number. The RSS's
// officers and signatories may have it. Without the RSS's account, or
// while a municipality of the payment has no bankgiro, there is no file
// (Conflict, naming every municipality that blocks it).
func (a *App) OnwardPaymentFile(ctx context.Context, actor auth.Actor, id string) ([]byte, error) {
	var f payment.File
	err := a.db.View(ctx, func(tx *store.Tx) error {
		p, err := tx.OnwardPayment(id)
		if err != nil {
			return notFound(err, "Utbetalningen %s finns inte.", id)
		}
		if grant.CanReadOnward(actor, p.RSS) != nil {
			return fault.New(fault.NotFound, "Utbetalningen %s finns inte.", id)
		}
		if err := grant.CanPayOnward(actor, p.RSS); err != nil {
			return err
		}
		f, err = onwardFile(tx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return payment.Pain001(f)
}

// onwardFile is the payment file of an onward payment, or the refusal
// that names what is missing.
func onwardFile(tx *store.Tx, p onward.Payment) (payment.File, error) {
	rss, err := tx.Organisation(p.RSS)
	if err != nil {
		return payment.File{}, err
	}
	if !rss.Account.IsSet() {
		return payment.File{}, fault.New(fault.Conflict, "%s har inget eget konto angivet, så ingen betalningsfil kan göras. "+
			"En administratör anger RSS:ens bankgironummer, eller IBAN och BIC, under Organisationer (/admin/organisationer/%s).", rss.Name, rss.ID)
	}
	on, err := time.Parse(time.DateOnly, p.PaidOn)
	if err != nil {
		return payment.File{}, fault.New(fault.Conflict, "Utbetalningen %s har ingen giltig utbetalningsdag (%q).", p.ID, p.PaidOn)
	}
	f := payment.File{MessageID: p.ID, Created: p.CreatedAt, ExecuteOn: on,
		Debtor:     payment.Party{Name: rss.Name, OrgNr: rss.OrgNr},
		DebtorAcct: payment.Account{Type: rss.Account.Type, Number: rss.Account.Number, BIC: rss.Account.BIC}}
	var blocking []string
	for i, l := range p.Lines {
		k, err := tx.Organisation(org.KommunID(l.Kommun))
		if err != nil {
			return payment.File{}, err
		}
		if k.Account.Type != org.AccountBankgiro || k.Account.Number == "" {
			blocking = append(blocking, fmt.Sprintf("%s (%s)", k.Name, k.ID))
			continue
		}
		f.Transfers = append(f.Transfers, payment.Transfer{EndToEndID: fmt.Sprintf("%s-%d", p.ID, i+1), Amount: l.Amount,
			Creditor: payment.Party{Name: k.Name, OrgNr: k.OrgNr}, Account: payment.Account{Type: k.Account.Type, Number: k.Account.Number},
			Reference: "Vidareförmedling " + p.Agreement})
	}
	if len(blocking) > 0 {
		return payment.File{}, fault.New(fault.Conflict, "Betalningsfilen kan inte göras förrän dessa kommuner har ett bankgironummer angivet "+
			"(en administratör anger det under Organisationer): %s.", strings.Join(blocking, ", "))
	}
	return f, nil
}
