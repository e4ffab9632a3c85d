package store

import (
	"fmt"
	"time"

	"narvard/internal/org"
)

// SeedOrganisations adds the organisations that are not there yet; ones
// already there keep what an admin has changed. It returns how many it
// added.
func (t *Tx) SeedOrganisations(orgs []org.Organisation, now time.Time) (int, error) {
	added := 0
	for _, o := range orgs {
		res, err := t.exec(`INSERT INTO organisations (id, kind, name, org_nr, county, host, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
			o.ID, o.Kind, o.Name, o.OrgNr, o.County, o.Host, fmtTime(now))
		if err != nil {
			return added, fmt.Errorf("organisation %s: %w", o.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return added, err
		} else if n > 0 {
			t.touch("organisation", o.ID)
			added++
		}
	}
	if added == 0 {
		delete(t.w.written, "organisations") // the statements wrote nothing
	}
	return added, nil
}

const orgColumns = "id, kind, name, org_nr, county, host, address, account_type, account_number, account_bic"

func scanOrg(s interface{ Scan(...any) error }) (org.Organisation, error) {
	var o org.Organisation
	err := s.Scan(&o.ID, &o.Kind, &o.Name, &o.OrgNr, &o.County, &o.Host, &o.Address, &o.Account.Type, &o.Account.Number, &o.Account.BIC)
	return o, err
}

// Organisation returns the organisation with the given id.
func (t *Tx) Organisation(id string) (org.Organisation, error) {
	o, err := scanOrg(t.queryRow("SELECT "+orgColumns+" FROM organisations WHERE id = $1", id))
	if err != nil {
		return o, fmt.Errorf("organisation %s: %w", id, notFound(err))
	}
	return o, nil
}

// Organisations returns every organisation sorted by id.
func (t *Tx) Organisations() ([]org.Organisation, error) {
	rows, err := t.query("SELECT " + orgColumns + " FROM organisations ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// UpdateOrganisation saves an organisation's name, org nr, host, address
// and account.
func (t *Tx) UpdateOrganisation(o org.Organisation, now time.Time) error {
	t.touch("organisation", o.ID)
	res, err := t.exec(`UPDATE organisations SET name = $1, org_nr = $2, host = $3, address = $4, updated_at = $5,
		account_type = $6, account_number = $7, account_bic = $8 WHERE id = $9`,
		o.Name, o.OrgNr, o.Host, o.Address, fmtTime(now), o.Account.Type, o.Account.Number, o.Account.BIC, o.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("organisation %s: %w", o.ID, ErrNotFound)
	}
	return nil
}
