package api

import (
	"time"

	"narvard/internal/app"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/payment"
)

// requisition is a requisition as the API shows it. Amounts are integers
// of kronor; times are RFC 3339; dates YYYY-MM-DD.
type requisition struct {
	ID                 string        `json:"id"`
	Agreement          string        `json:"agreement"`
	Recipient          string        `json:"recipient"`
	Amount             money.Kr      `json:"amount_kr"`
	PeriodFrom         string        `json:"period_from"`
	PeriodTo           string        `json:"period_to"`
	Account            grant.Account `json:"account"`
	PaymentReference   string        `json:"payment_reference"`
	Contact            grant.Contact `json:"contact"`
	AgreementDnr       string        `json:"agreement_dnr"`
	PaymentDecisionDnr string        `json:"payment_decision_dnr"`
	Status             grant.Status  `json:"status"`
	CreatedBy          string        `json:"created_by"`
	CreatedAt          string        `json:"created_at"`
	UpdatedAt          string        `json:"updated_at"`
	SignedBy           string        `json:"signed_by,omitempty"`
	SignedAt           string        `json:"signed_at,omitempty"`
	DecidedBy          string        `json:"decided_by,omitempty"`
	DecidedAt          string        `json:"decided_at,omitempty"`
	RejectReason       string        `json:"reject_reason,omitempty"`
	BatchID            string        `json:"batch_id,omitempty"`
	PaidOn             string        `json:"paid_on,omitempty"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func requisitionJSON(r grant.Requisition) requisition {
	return requisition{ID: r.ID, Agreement: r.Agreement, Recipient: r.Recipient, Amount: r.Amount, PeriodFrom: r.PeriodFrom,
		PeriodTo: r.PeriodTo, Account: r.Account, PaymentReference: r.PaymentReference, Contact: r.Contact,
		AgreementDnr: r.AgreementDnr, PaymentDecisionDnr: r.PaymentDecisionDnr, Status: r.Status, CreatedBy: r.CreatedBy,
		CreatedAt: stamp(r.CreatedAt), UpdatedAt: stamp(r.UpdatedAt), SignedBy: r.SignedBy, SignedAt: stamp(r.SignedAt),
		DecidedBy: r.DecidedBy, DecidedAt: stamp(r.DecidedAt), RejectReason: r.RejectReason, BatchID: r.BatchID, PaidOn: day(r.PaidOn)}
}

// batchHeader is a batch without its requisitions: its status (created,
// attested, paid), the paying agency and its account, and the two who pay
// with their names and times.
func batchHeader(b payment.Batch) map[string]any {
	status := "created"
	switch {
	case b.Confirmed():
		status = "paid"
	case b.Attested():
		status = "attested"
	}
	return map[string]any{"id": b.ID, "agreement": b.Agreement, "status": status, "payer": b.Payer,
		"debtor_account": map[string]any{"type": b.DebtorAcct.Type, "number": b.DebtorAcct.Number, "bic": b.DebtorAcct.BIC},
		"created_by":     b.CreatedBy, "created_by_name": b.CreatedByName, "created_at": stamp(b.CreatedAt),
		"attested": b.Attested(), "attested_by": b.AttestedBy, "attested_by_name": b.AttestedByName, "attested_at": stamp(b.AttestedAt),
		"execute_on": day(b.ExecuteOn), "confirmed_by": b.ConfirmedBy, "confirmed_at": stamp(b.ConfirmedAt), "paid_on": day(b.PaidOn)}
}

func batchJSON(b app.BatchView) map[string]any {
	out := batchHeader(b.Batch)
	reqs := make([]requisition, 0, len(b.Requisitions))
	var sum money.Kr
	for _, r := range b.Requisitions {
		reqs = append(reqs, requisitionJSON(r))
		sum += r.Amount
	}
	out["requisitions"] = reqs
	vfu := make([]map[string]any, 0, len(b.VFU))
	for _, l := range b.VFU {
		vfu = append(vfu, map[string]any{"recipient": l.Recipient, "amount_kr": l.Amount,
			"account": map[string]any{"type": l.AccountType, "number": l.AccountNumber}})
		sum += l.Amount
	}
	out["vfu_payments"] = vfu
	out["number_of_transactions"] = len(reqs) + len(vfu)
	out["control_sum_kr"] = sum
	return out
}

func statusJSON(st app.Status) map[string]any {
	deadlines := make([]map[string]any, 0, len(st.Deadlines))
	for _, d := range st.Deadlines {
		deadlines = append(deadlines, map[string]any{"id": d.ID, "name": d.Name, "date": day(d.Date), "state": d.State})
	}
	components := make([]map[string]any, 0, len(st.Components))
	for _, c := range st.Components {
		components = append(components, map[string]any{"id": c.ID, "name": c.Label, "amount_kr": c.Amount, "earmarked": c.Earmarked,
			"allocation_kr": c.Amount, "computed_kr": c.Computed, "departure_kr": c.Departure()})
	}
	out := map[string]any{
		"agreement": st.Agreement, "recipient": st.Recipient, "name": st.Name,
		"allocation_kr": st.Allocation, "computed_kr": st.Computed, "departure_kr": st.Departure, "requisitioned_kr": st.Requisitioned, "paid_kr": st.Paid,
		"vfu_kr": st.VFU, "vfu_paid_kr": st.VFUPaid,
		"costs_kr": st.Costs, "unspent_kr": st.Unspent, "repaid_kr": st.Repaid, "repayment_due_kr": st.Due,
		"reclaimed_kr": st.Reclaimed, "reclaim": st.Reclaim,
		"lapsed": st.Lapsed, "lapsed_kr": st.LapsedAmount, "components": components, "deadlines": deadlines,
		"next_deadline": nil, "requisition": nil, "financial_report": nil, "due": duesJSON(st.Dues),
	}
	if st.Report != nil {
		out["financial_report"] = map[string]any{"id": st.Report.ID, "status": st.Report.Status}
	}
	if st.Next != nil {
		out["next_deadline"] = map[string]any{"id": st.Next.ID, "name": st.Next.Name, "date": day(st.Next.Date)}
	}
	if st.Requisition != nil {
		out["requisition"] = map[string]any{"id": st.Requisition.ID, "status": st.Requisition.Status, "amount_kr": st.Requisition.Amount}
	}
	if st.Activity != nil {
		activity := []map[string]any{}
		for _, s := range st.Activity {
			status := string(s.Status)
			if status == "" {
				status = "not_started"
			}
			activity = append(activity, map[string]any{"template": s.Template, "report": s.Report, "status": status, "late": s.Late})
		}
		out["activity_reports"] = activity
	}
	return out
}
