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
type OrganisationEdit struct {
	Name    string `json:"name"`
	OrgNr   string `json:"org_nr"`
	Host    string `json:"host"`
	Address string `json:"address"`
}

// UpdateOrganisation changes an organisation's name, org nr (checked with
// its check digit), hosting organisation (for an RSS) and postal address.
// Only admins may.
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
		if err := tx.UpdateOrganisation(o, now); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "organisation.update", "organisation:"+id,
			map[string]any{"before": before, "after": o}))
		return err
	})
	return o, err
}
