package store

import (
	"fmt"

	"narvard/internal/grant"
)

const municipalColumns = `id, agreement, kommun, rss, status, created_by, created_at, updated_at,
	signed_by, signed_by_user, signed_at, decided_by, decided_at, return_reason`

func municipalArgs(r *grant.MunicipalReport) []any {
	return []any{r.ID, r.Agreement, r.Kommun, r.RSS, string(r.Status), r.CreatedBy, fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt),
		r.SignedBy, r.SignedByUser, fmtTime(r.SignedAt), r.DecidedBy, fmtTime(r.DecidedAt), r.ReturnReason}
}

func scanMunicipal(s interface{ Scan(...any) error }) (grant.MunicipalReport, error) {
	var r grant.MunicipalReport
	var status, created, updated, signed, decided string
	err := s.Scan(&r.ID, &r.Agreement, &r.Kommun, &r.RSS, &status, &r.CreatedBy, &created, &updated,
		&r.SignedBy, &r.SignedByUser, &signed, &r.DecidedBy, &decided, &r.ReturnReason)
	r.Status = grant.MunicipalStatus(status)
	r.CreatedAt, r.UpdatedAt, r.SignedAt, r.DecidedAt = parseTime(created), parseTime(updated), parseTime(signed), parseTime(decided)
	return r, err
}

// InsertMunicipalReport saves a new municipal report with its cost lines;
// a second for the same municipality and agreement is ErrDuplicate.
func (t *Tx) InsertMunicipalReport(r *grant.MunicipalReport) error {
	t.touch("municipal_report", r.ID)
	_, err := t.exec(`INSERT INTO municipal_reports (`+municipalColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, municipalArgs(r)...)
	if isUnique(err) {
		return fmt.Errorf("kommunredovisning för %s: %w", r.Kommun, ErrDuplicate)
	}
	if err != nil {
		return err
	}
	return t.saveCosts("municipal_report_costs", r.ID, r.Costs)
}

// UpdateMunicipalReport saves a municipal report's status and cost lines.
func (t *Tx) UpdateMunicipalReport(r *grant.MunicipalReport) error {
	t.touch("municipal_report", r.ID)
	res, err := t.exec(`UPDATE municipal_reports SET status = $5, updated_at = $8, signed_by = $9, signed_by_user = $10,
		signed_at = $11, decided_by = $12, decided_at = $13, return_reason = $14
		WHERE id = $1 AND agreement = $2 AND kommun = $3 AND rss = $4 AND created_by = $6 AND created_at = $7`, municipalArgs(r)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("kommunredovisning %s: %w", r.ID, ErrNotFound)
	}
	return t.replaceCosts("municipal_report_costs", r.ID, r.Costs)
}

// MunicipalReport returns the municipal report with the given id.
func (t *Tx) MunicipalReport(id string) (grant.MunicipalReport, error) {
	r, err := scanMunicipal(t.queryRow("SELECT "+municipalColumns+" FROM municipal_reports WHERE id = $1", id))
	if err != nil {
		return r, fmt.Errorf("kommunredovisning %s: %w", id, notFound(err))
	}
	r.Costs, err = t.loadCosts("municipal_report_costs", r.ID)
	return r, err
}

// MunicipalReports lists an agreement's municipal reports to the RSS (""
// for every RSS) of one municipality ("" for all), by municipality.
func (t *Tx) MunicipalReports(agreementID, rss, kommun string) ([]grant.MunicipalReport, error) {
	rows, err := t.query(`SELECT `+municipalColumns+` FROM municipal_reports
		WHERE agreement = $1 AND ($2 = '' OR rss = $2) AND ($3 = '' OR kommun = $3) ORDER BY kommun`, agreementID, rss, kommun)
	if err != nil {
		return nil, err
	}
	var out []grant.MunicipalReport
	for rows.Next() {
		r, err := scanMunicipal(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	for i := range out {
		var err error
		if out[i].Costs, err = t.loadCosts("municipal_report_costs", out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
