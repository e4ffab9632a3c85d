package app

import (
	"context"
	"strings"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ident"
	"narvard/internal/org"
	"narvard/internal/store"
)

// Organisations lists every organisation.
func (a *App) Organisations(ctx context.Context) ([]org.Organisation, error) {
	var out []org.Organisation
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Organisations()
		return err
	})
	return out, err
}

// Organisation returns one organisation.
func (a *App) Organisation(ctx context.Context, id string) (org.Organisation, error) {
	var o org.Organisation
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		o, err = tx.Organisation(id)
		return notFound(err, "Organisationen %s finns inte.", id)
	})
	return o, err
}

// OrganisationEdit is what an admin may change about an organisation.
// Account is a paying agency's own account: left as it is when absent,
// removed when given empty. Bankgiro, or IBAN and BIC, may be given
// instead of Account.
type OrganisationEdit struct {
	Name     string       `json:"name"`
	OrgNr    string       `json:"org_nr"`
	Host     string       `json:"host"`
	Address  string       `json:"address"`
	Account  *org.Account `json:"account,omitempty"`
	Bankgiro string       `json:"bankgiro,omitempty"`
	IBAN     string       `json:"iban,omitempty"`
	BIC      string       `json:"bic,omitempty"`
}

// account is the account the edit gives, if any.
func (e OrganisationEdit) account() *org.Account {
	switch {
	case e.Account != nil:
		return e.Account
	case strings.TrimSpace(e.Bankgiro) != "":
		return &org.Account{Type: org.AccountBankgiro, Number: e.Bankgiro}
	case strings.TrimSpace(e.IBAN) != "" || strings.TrimSpace(e.BIC) != "":
		return &org.Account{Type: org.AccountIBAN, Number: e.IBAN, BIC: e.BIC}
	}
	return nil
}

// checkAccount validates a paying agency's account with its check digits
// and returns it in its usual form; the type may be left out, an IBAN
// begins with two letters.
func checkAccount(bad fault.Fields, a org.Account) org.Account {
	a = org.Account{Type: strings.ToLower(strings.TrimSpace(a.Type)), Number: strings.TrimSpace(a.Number), BIC: strings.TrimSpace(a.BIC)}
	if a.Type == "" && a.Number == "" && a.BIC == "" {
		return org.Account{}
	}
	if a.Type == "" {
		a.Type = org.AccountBankgiro
		if len(a.Number) >= 2 && strings.ToUpper(a.Number[:2]) != strings.ToLower(a.Number[:2]) {
			a.Type = org.AccountIBAN
		}
	}
	switch a.Type {
	case org.AccountBankgiro:
		n, err := ident.Bankgiro(a.Number)
		if err != nil {
			bad.Add("account.number", "Bankgironumret är inte giltigt: %v.", err)
		}
		if a.BIC != "" {
			bad.Add("account.bic", "Ett bankgironummer har ingen BIC; lämna fältet tomt.")
		}
		return org.Account{Type: a.Type, Number: n}
	case org.AccountIBAN:
		n, err := ident.IBAN(a.Number)
		if err != nil {
			bad.Add("account.number", "IBAN är inte giltigt: %v.", err)
		}
		bic, err := ident.BIC(a.BIC)
		if err != nil {
			bad.Add("account.bic", "Ange bankens BIC (8 eller 11 tecken, t.ex. ESSESESS): %v.", err)
		}
		return org.Account{Type: a.Type, Number: n, BIC: bic}
	}
	bad.Add("account.type", "Välj bankgiro eller IBAN.")
	return a
}

// UpdateOrganisation changes an organisation's name, org nr (checked with
// its check digit), hosting organisation (for an RSS), postal address and,
// for a paying agency, its own account (bankgiro, or IBAN and BIC, checked
// with their check digits), for a recipient its bankgiro, where VFU money
// is paid. Only admins may.
func (a *App) UpdateOrganisation(ctx context.Context, actor auth.Actor, id string, e OrganisationEdit) (org.Organisation, error) {
	if err := grant.CanManageOrganisations(actor); err != nil {
		return org.Organisation{}, err
	}
	bad := fault.Fields{}
	e.Name, e.Host, e.Address = strings.TrimSpace(e.Name), strings.TrimSpace(e.Host), strings.TrimSpace(e.Address)
	if e.Name == "" {
		bad.Add("name", "Ange organisationens namn.")
	}
	if strings.TrimSpace(e.OrgNr) != "" {
		nr, err := ident.OrgNr(e.OrgNr)
		if err != nil {
			bad.Add("org_nr", "Organisationsnumret är inte giltigt: %v.", err)
		}
		e.OrgNr = nr
	}
	acct := e.account()
	if acct != nil {
		checked := checkAccount(bad, *acct)
		if checked.IsSet() && !org.IsPayingAgency(id) && checked.Type != org.AccountBankgiro {
			bad.Add("account.number", "En mottagare anger sitt bankgironummer, dit VFU-medlen betalas; bara de utbetalande myndigheterna har IBAN och BIC.")
		}
		acct = &checked
	}
	if err := bad.Err(); err != nil {
		return org.Organisation{}, err
	}
	now := a.Clock.Now()
	var o org.Organisation
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if o, err = tx.Organisation(id); err != nil {
			return notFound(err, "Organisationen %s finns inte.", id)
		}
		before := o
		o.Name, o.OrgNr, o.Host, o.Address = e.Name, e.OrgNr, e.Host, e.Address
		if acct != nil {
			o.Account = *acct
		}
		if err := tx.UpdateOrganisation(o, now); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "organisation.update", "organisation:"+id,
			map[string]any{"before": before, "after": o}))
		return err
	})
	return o, err
}
