package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/org"
)

func (h *API) reportRoutes() {
	h.handle("POST /api/v1/financial-reports", h.createReport)
	h.handle("GET /api/v1/financial-reports", h.listReports)
	h.handle("GET /api/v1/financial-reports/{id}", h.getReport)
	h.handle("PUT /api/v1/financial-reports/{id}", h.updateReport)
	h.handle("POST /api/v1/financial-reports/{id}/review", h.reviewReport)
	h.handle("POST /api/v1/financial-reports/{id}/sign", h.reportAction)
	h.handle("POST /api/v1/financial-reports/{id}/accept", h.reportAction)
	h.handle("POST /api/v1/financial-reports/{id}/return", h.reportAction)
	h.handle("POST /api/v1/repayments", h.createRepayment)
	h.handle("GET /api/v1/repayments", h.listRepayments)
	h.handle("POST /api/v1/reclaims", h.createReclaim)
	h.handle("GET /api/v1/organisations", h.listOrganisations)
	h.handle("PUT /api/v1/organisations/{id}", h.updateOrganisation)
	h.handle("GET /api/v1/requisitions/{id}/pdf", h.file("application/pdf", "rekvisition-{id}.pdf", h.app.RequisitionPDF))
	h.handle("GET /api/v1/financial-reports/{id}/pdf", h.file("application/pdf", "ekonomisk-redovisning-{id}.pdf", h.app.ReportPDF))
	h.handle("GET /api/v1/status.xlsx", h.statusWorkbook)
}

// file serves a rendered document for the path's {id} as an attachment.
func (h *API) file(contentType, name string, render func(context.Context, auth.Actor, string) ([]byte, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
		id := r.PathValue("id")
		b, err := render(r.Context(), actor, id)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(name, "{id}", id)+`"`)
		w.Write(b)
		return nil
	}
}

func (h *API) statusWorkbook(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	ag, err := h.agreement(r, actor.Org, r.URL.Query().Get("agreement"))
	if err != nil {
		return err
	}
	b, err := h.app.StatusWorkbook(r.Context(), actor, ag)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="status-`+ag+`.xlsx"`)
	w.Write(b)
	return nil
}

func (h *API) createReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		grant.ReportForm
		CostsFromBooks bool `json:"costs_from_books"` // cost lines from the books read into the plan
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	f := body.ReportForm
	var err error
	if f.Agreement, err = h.agreement(r, orFor(f.Recipient, actor), f.Agreement); err != nil {
		return err
	}
	var v app.ReportView
	if body.CostsFromBooks {
		f.Recipient = orFor(f.Recipient, actor)
		v, err = h.app.CreateReportFromBooks(r.Context(), actor, f)
	} else {
		v, err = h.app.CreateReport(r.Context(), actor, f)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/financial-reports/"+v.ID)
	writeJSON(w, http.StatusCreated, reportJSON(v))
	return nil
}

func (h *API) updateReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var f grant.ReportForm
	if err := decode(r, &f); err != nil {
		return err
	}
	v, err := h.app.UpdateReport(r.Context(), actor, r.PathValue("id"), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportJSON(v))
	return nil
}

func (h *API) reviewReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var rv grant.Review
	if err := decode(r, &rv); err != nil {
		return err
	}
	v, err := h.app.ReviewReport(r.Context(), actor, r.PathValue("id"), rv)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportJSON(v))
	return nil
}

func (h *API) reportAction(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id, ctx := r.PathValue("id"), r.Context()
	var v app.ReportView
	var err error
	switch action := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]; action {
	case "sign":
		v, err = h.app.SignReport(ctx, actor, id)
	case "accept":
		v, err = h.app.AcceptReport(ctx, actor, id)
	case "return":
		var body struct {
			Reason string `json:"reason"`
		}
		if err := decode(r, &body); err != nil {
			return err
		}
		v, err = h.app.ReturnReport(ctx, actor, id, body.Reason)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportJSON(v))
	return nil
}

func (h *API) getReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	v, err := h.app.Report(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportJSON(v))
	return nil
}

func (h *API) listReports(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	ag, err := h.agreement(r, orFor(q.Get("recipient"), actor), q.Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.Reports(r.Context(), actor, grant.ReportFilter{Agreement: ag, Recipient: q.Get("recipient"),
		Status: grant.ReportStatus(q.Get("status"))})
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		out = append(out, reportJSON(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"financial_reports": out})
	return nil
}

func (h *API) createRepayment(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Agreement  string   `json:"agreement"`
		Recipient  string   `json:"recipient"`
		Amount     money.Kr `json:"amount_kr"`
		ReceivedOn string   `json:"received_on"`
		Date       string   `json:"date"` // accepted as a synonym
		Reference  string   `json:"reference"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	var err error
	if body.Agreement, err = h.agreement(r, orFor(body.Recipient, actor), body.Agreement); err != nil {
		return err
	}
	if body.ReceivedOn == "" {
		body.ReceivedOn = body.Date
	}
	p := grant.Repayment{Agreement: body.Agreement, Recipient: body.Recipient, Amount: body.Amount, Reference: body.Reference}
	if body.ReceivedOn != "" {
		d, err := time.Parse(time.DateOnly, body.ReceivedOn)
		if err != nil {
			return fault.Fields{"received_on": "Ange inbetalningsdagen som ÅÅÅÅ-MM-DD."}.Err()
		}
		p.ReceivedOn = d
	}
	p, err = h.app.RecordRepayment(r.Context(), actor, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, repaymentJSON(p))
	return nil
}

func (h *API) listRepayments(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	ag, err := h.agreement(r, orFor(q.Get("recipient"), actor), q.Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.Repayments(r.Context(), actor, ag, q.Get("recipient"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, p := range list {
		out = append(out, repaymentJSON(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"repayments": out})
	return nil
}

func (h *API) createReclaim(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Agreement string   `json:"agreement"`
		Recipient string   `json:"recipient"`
		Amount    money.Kr `json:"amount_kr"`
		Reason    string   `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	var err error
	if body.Agreement, err = h.agreement(r, orFor(body.Recipient, actor), body.Agreement); err != nil {
		return err
	}
	c, err := h.app.IssueReclaim(r.Context(), actor, grant.Reclaim{Agreement: body.Agreement, Recipient: body.Recipient, Amount: body.Amount, Reason: body.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": c.ID, "agreement": c.Agreement, "recipient": c.Recipient,
		"amount_kr": c.Amount, "reason": c.Reason, "decided_by": c.DecidedBy, "decided_at": stamp(c.DecidedAt), "ocr": c.OCR})
	return nil
}

func (h *API) listOrganisations(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	list, err := h.app.Organisations(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, o := range list {
		out = append(out, organisationJSON(o))
	}
	writeJSON(w, http.StatusOK, map[string]any{"organisations": out})
	return nil
}

func (h *API) updateOrganisation(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var e app.OrganisationEdit
	if err := decode(r, &e); err != nil {
		return err
	}
	o, err := h.app.UpdateOrganisation(r.Context(), actor, r.PathValue("id"), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, organisationJSON(o))
	return nil
}

// organisationJSON is an organisation; a paying agency's own account is
// "account" (null when none is set).
func organisationJSON(o org.Organisation) map[string]any {
	out := map[string]any{"id": o.ID, "kind": o.Kind, "name": o.Name, "org_nr": o.OrgNr, "county": o.County, "host": o.Host, "address": o.Address}
	if o.Account.IsSet() {
		out["account"] = o.Account
	} else if org.IsPayingAgency(o.ID) {
		out["account"] = nil
	}
	return out
}

func repaymentJSON(p grant.Repayment) map[string]any {
	return map[string]any{"id": p.ID, "agreement": p.Agreement, "recipient": p.Recipient, "amount_kr": p.Amount,
		"received_on": day(p.ReceivedOn), "date": day(p.ReceivedOn), "reference": p.Reference, "recorded_by": p.RecordedBy, "recorded_at": stamp(p.RecordedAt)}
}

func reportJSON(v app.ReportView) map[string]any {
	costs := v.Costs
	lines := v.ReportForm.Costs
	if lines == nil {
		lines = []grant.CostLine{}
	}
	comps := make([]map[string]any, 0, len(v.Components))
	for _, c := range v.Components {
		comps = append(comps, map[string]any{"id": c.ID, "name": c.Label, "earmarked": c.Earmarked, "allocation_kr": c.Amount,
			"paid_kr": c.Paid, "costs_kr": c.Costs, "unused_kr": c.Unused})
	}
	out := map[string]any{
		"id": v.ID, "agreement": v.Agreement, "recipient": v.Recipient, "period_from": v.PeriodFrom, "period_to": v.PeriodTo,
		"costs": lines, "contact": v.Contact, "agreement_dnr": v.AgreementDnr, "payment_decision_dnr": v.PaymentDecisionDnr,
		"status": v.Status, "created_by": v.CreatedBy, "created_at": stamp(v.CreatedAt), "updated_at": stamp(v.UpdatedAt),
		"total_grant_kr": v.Granted, "paid_kr": v.Paid, "total_costs_kr": costs, "unspent_kr": v.Unspent,
		"costs_above_grant_kr": v.OverGrant, "repayment_due_kr": v.Due, "components": comps, "late": v.Late,
		"review": nil,
	}
	if v.Shares != nil {
		out["shares"] = sharesJSON(v.Shares)
	}
	if v.Books != nil {
		out["books"] = booksJSON(v)
	}
	if v.Review != nil {
		out["review"] = map[string]any{"alternative": v.Review.Alternative, "deviations": v.Review.Deviations, "actions": v.Review.Actions,
			"name": v.Review.Name, "title": v.Review.Title, "phone": v.Review.Phone, "email": v.Review.Email, "reviewed_at": stamp(v.Review.At)}
	}
	for k, val := range map[string]string{"signed_by": v.SignedBy, "signed_at": stamp(v.SignedAt), "decided_by": v.DecidedBy,
		"decided_at": stamp(v.DecidedAt), "return_reason": v.ReturnReason} {
		if val != "" {
			out[k] = val
		}
	}
	return out
}

// booksJSON is what the recipient's books say each component cost, beside
// what the report says.
func booksJSON(v app.ReportView) map[string]any {
	reported := map[string]money.Kr{}
	for _, c := range v.ReportForm.Costs {
		reported[c.Component] += c.Amount
	}
	comps := []map[string]any{}
	var total money.Kr
	for _, c := range v.Books.Costs {
		total += c.Amount
		comps = append(comps, map[string]any{"component": c.Component, "cost_objects": c.CostObjects, "books_kr": c.Amount,
			"reported_kr": reported[c.Component], "difference_kr": reported[c.Component] - c.Amount})
	}
	return map[string]any{"plan": v.Books.Plan, "import": v.Books.Import.ID, "file_name": v.Books.Import.FileName,
		"total_kr": total, "components": comps}
}
