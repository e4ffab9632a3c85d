package store

import (
	"fmt"

	"narvard/internal/grant"
	"narvard/internal/money"
)

const reportColumns = `id, agreement, recipient, period_from, period_to, contact_name, contact_email, contact_phone,
	agreement_dnr, payment_decision_dnr, status, created_by, created_at, updated_at, review_alternative,
	review_deviations, review_actions, review_name, review_title, review_phone, review_email, review_at,
	signed_by, signed_by_user, signed_at, decided_by, decided_at, return_reason`

func reportArgs(r *grant.FinancialReport) []any {
	rv := grant.Review{}
	if r.Review != nil {
		rv = *r.Review
	}
	return []any{r.ID, r.Agreement, r.Recipient, r.PeriodFrom, r.PeriodTo, r.Contact.Name, r.Contact.Email, r.Contact.Phone,
		r.AgreementDnr, r.PaymentDecisionDnr, string(r.Status), r.CreatedBy, fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt),
		rv.Alternative, rv.Deviations, rv.Actions, rv.Name, rv.Title, rv.Phone, rv.Email, fmtTime(rv.At),
		r.SignedBy, r.SignedByUser, fmtTime(r.SignedAt), r.DecidedBy, fmtTime(r.DecidedAt), r.ReturnReason}
}

func scanReport(s interface{ Scan(...any) error }) (grant.FinancialReport, error) {
	var r grant.FinancialReport
	var rv grant.Review
	var status, created, updated, reviewAt, signed, decided string
	err := s.Scan(&r.ID, &r.Agreement, &r.Recipient, &r.PeriodFrom, &r.PeriodTo, &r.Contact.Name, &r.Contact.Email, &r.Contact.Phone,
		&r.AgreementDnr, &r.PaymentDecisionDnr, &status, &r.CreatedBy, &created, &updated, &rv.Alternative,
		&rv.Deviations, &rv.Actions, &rv.Name, &rv.Title, &rv.Phone, &rv.Email, &reviewAt,
		&r.SignedBy, &r.SignedByUser, &signed, &r.DecidedBy, &decided, &r.ReturnReason)
	r.Status = grant.ReportStatus(status)
	r.CreatedAt, r.UpdatedAt, r.SignedAt, r.DecidedAt = parseTime(created), parseTime(updated), parseTime(signed), parseTime(decided)
	if rv.Alternative != 0 {
		rv.At = parseTime(reviewAt)
		r.Review = &rv
	}
	return r, err
}

// InsertReport saves a new financial report with its cost lines. A second
// report for the same recipient and agreement is ErrDuplicate.
func (t *Tx) InsertReport(r *grant.FinancialReport) error {
	t.touch("report", r.ID)
	_, err := t.exec(`INSERT INTO financial_reports (`+reportColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)`, reportArgs(r)...)
	if isUnique(err) {
		return fmt.Errorf("redovisning för %s: %w", r.Recipient, ErrDuplicate)
	}
	if err != nil {
		return err
	}
	return t.saveCosts("report_costs", r.ID, r.Costs)
}

// UpdateReport saves a report's fields, review, status and cost lines.
func (t *Tx) UpdateReport(r *grant.FinancialReport) error {
	t.touch("report", r.ID)
	res, err := t.exec(`UPDATE financial_reports SET period_from = $4, period_to = $5, contact_name = $6, contact_email = $7,
		contact_phone = $8, agreement_dnr = $9, payment_decision_dnr = $10, status = $11, updated_at = $14,
		review_alternative = $15, review_deviations = $16, review_actions = $17, review_name = $18, review_title = $19,
		review_phone = $20, review_email = $21, review_at = $22, signed_by = $23, signed_by_user = $24, signed_at = $25,
		decided_by = $26, decided_at = $27, return_reason = $28
		WHERE id = $1 AND agreement = $2 AND recipient = $3 AND created_by = $12 AND created_at = $13`, reportArgs(r)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("redovisning %s: %w", r.ID, ErrNotFound)
	}
	return t.replaceCosts("report_costs", r.ID, r.Costs)
}

// saveCosts writes a document's cost lines into table (report_costs,
// municipal_report_costs), numbered from 1.
func (t *Tx) saveCosts(table, id string, costs []grant.CostLine) error {
	for i, c := range costs {
		if _, err := t.exec("INSERT INTO "+table+" (report_id, line, item, component, amount_kr) VALUES ($1, $2, $3, $4, $5)",
			id, i+1, c.Item, c.Component, int64(c.Amount)); err != nil {
			return fmt.Errorf("kostnadspost %d: %w", i+1, err)
		}
	}
	return nil
}

// replaceCosts replaces a document's cost lines in table.
func (t *Tx) replaceCosts(table, id string, costs []grant.CostLine) error {
	if _, err := t.exec("DELETE FROM "+table+" WHERE report_id = $1", id); err != nil {
		return err
	}
	return t.saveCosts(table, id, costs)
}

// loadCosts reads a document's cost lines from table, in their order.
func (t *Tx) loadCosts(table, id string) ([]grant.CostLine, error) {
	rows, err := t.query("SELECT item, component, amount_kr FROM "+table+" WHERE report_id = $1 ORDER BY line", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.CostLine
	for rows.Next() {
		var c grant.CostLine
		var amount int64
		if err := rows.Scan(&c.Item, &c.Component, &amount); err != nil {
			return nil, err
		}
		c.Amount = money.Kr(amount)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Report returns the financial report with the given id.
func (t *Tx) Report(id string) (grant.FinancialReport, error) {
	r, err := scanReport(t.queryRow("SELECT "+reportColumns+" FROM financial_reports WHERE id = $1", id))
	if err != nil {
		return r, fmt.Errorf("redovisning %s: %w", id, notFound(err))
	}
	r.Costs, err = t.loadCosts("report_costs", r.ID)
	return r, err
}

// Reports lists financial reports matching the filter, by recipient.
func (t *Tx) Reports(f grant.ReportFilter) ([]grant.FinancialReport, error) {
	rows, err := t.query(`SELECT `+reportColumns+` FROM financial_reports
		WHERE ($1 = '' OR agreement = $1) AND ($2 = '' OR recipient = $2) AND ($3 = '' OR status = $3) ORDER BY recipient`,
		f.Agreement, f.Recipient, string(f.Status))
	if err != nil {
		return nil, err
	}
	var out []grant.FinancialReport
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		var err error
		if out[i].Costs, err = t.loadCosts("report_costs", out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// InsertRepayment records a received repayment.
func (t *Tx) InsertRepayment(p grant.Repayment) error {
	t.touch("repayment", p.ID)
	_, err := t.exec(`INSERT INTO repayments (id, agreement, recipient, amount_kr, received_on, reference, debt_id, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.Agreement, p.Recipient, int64(p.Amount), fmtDate(p.ReceivedOn), p.Reference, p.Debt, p.RecordedBy, fmtTime(p.RecordedAt))
	return err
}

// Repayments lists the repayments, for one recipient or ("") all, oldest
// first.
func (t *Tx) Repayments(agreement, recipient string) ([]grant.Repayment, error) {
	rows, err := t.query(`SELECT id, agreement, recipient, amount_kr, received_on, reference, debt_id, recorded_by, recorded_at
		FROM repayments WHERE agreement = $1 AND ($2 = '' OR recipient = $2) ORDER BY recorded_at, id`, agreement, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.Repayment
	for rows.Next() {
		var p grant.Repayment
		var amount int64
		var on, at string
		if err := rows.Scan(&p.ID, &p.Agreement, &p.Recipient, &amount, &on, &p.Reference, &p.Debt, &p.RecordedBy, &at); err != nil {
			return nil, err
		}
		p.Amount, p.ReceivedOn, p.RecordedAt = money.Kr(amount), parseDate(on), parseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// InsertReclaim records a reclaim decision.
func (t *Tx) InsertReclaim(c grant.Reclaim) error {
	t.touch("reclaim", c.ID)
	_, err := t.exec(`INSERT INTO reclaims (id, agreement, recipient, amount_kr, reason, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.ID, c.Agreement, c.Recipient, int64(c.Amount), c.Reason, c.DecidedBy, fmtTime(c.DecidedAt))
	return err
}

// Reclaims lists the reclaim decisions, for one recipient or ("") all.
func (t *Tx) Reclaims(agreement, recipient string) ([]grant.Reclaim, error) {
	rows, err := t.query(`SELECT id, agreement, recipient, amount_kr, reason, decided_by, decided_at
		FROM reclaims WHERE agreement = $1 AND ($2 = '' OR recipient = $2) ORDER BY decided_at, id`, agreement, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.Reclaim
	for rows.Next() {
		var c grant.Reclaim
		var amount int64
		var at string
		if err := rows.Scan(&c.ID, &c.Agreement, &c.Recipient, &amount, &c.Reason, &c.DecidedBy, &at); err != nil {
			return nil, err
		}
		c.Amount, c.DecidedAt = money.Kr(amount), parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
