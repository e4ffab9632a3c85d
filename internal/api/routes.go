package api

import (
	"net/http"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
)

func (h *API) routes() {
	h.handle("GET /api/v1/me", h.me)
	h.handle("POST /api/v1/requisitions", h.createRequisition)
	h.handle("GET /api/v1/requisitions", h.listRequisitions)
	h.handle("GET /api/v1/requisitions/{id}", h.getRequisition)
	h.handle("PUT /api/v1/requisitions/{id}", h.updateRequisition)
	h.handle("POST /api/v1/requisitions/{id}/sign", h.requisitionAction)
	h.handle("POST /api/v1/requisitions/{id}/approve", h.requisitionAction)
	h.handle("POST /api/v1/requisitions/{id}/reject", h.requisitionAction)
	h.handle("POST /api/v1/requisitions/{id}/withdraw", h.requisitionAction)
	h.handle("POST /api/v1/payment-batches", h.createBatch)
	h.handle("GET /api/v1/payment-batches", h.listBatches)
	h.handle("GET /api/v1/payment-batches/{id}", h.getBatch)
	h.handle("GET /api/v1/payment-batches/{id}/pain.001", h.batchFile)
	h.handle("POST /api/v1/payment-batches/{id}/attest", h.attestBatch)
	h.handle("POST /api/v1/payment-batches/{id}/confirm", h.confirmBatch)
	h.handle("GET /api/v1/recipients/{id}/status", h.recipientStatus)
	h.handle("GET /api/v1/status", h.matrix)
	h.handle("GET /api/v1/agreements", h.listAgreements)
	h.reportRoutes()
	h.bankRoutes()
	h.accountRoutes()
	h.onwardRoutes()
	h.vfuRoutes()
	h.municipalRoutes()
	h.docRequestRoutes()
	h.planRoutes()
	h.activityRoutes()
	h.surveyRoutes()
	h.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, fault.New(fault.NotFound, "Okänd adress %s %s.", r.Method, r.URL.Path))
	})
}

func (h *API) me(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	writeJSON(w, http.StatusOK, map[string]any{"email": actor.Email, "name": actor.Name, "organisation": actor.Org, "role": actor.Role})
	return nil
}

func (h *API) createRequisition(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var f grant.Form
	if err := decode(r, &f); err != nil {
		return err
	}
	var err error
	if f.Agreement, err = h.agreement(r, orFor(f.Recipient, actor), f.Agreement); err != nil {
		return err
	}
	req, err := h.app.CreateRequisition(r.Context(), actor, f)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/requisitions/"+req.ID)
	writeJSON(w, http.StatusCreated, requisitionJSON(req))
	return nil
}

func (h *API) updateRequisition(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var f grant.Form
	if err := decode(r, &f); err != nil {
		return err
	}
	req, err := h.app.UpdateRequisition(r.Context(), actor, r.PathValue("id"), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, requisitionJSON(req))
	return nil
}

func (h *API) requisitionAction(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id := r.PathValue("id")
	ctx := r.Context()
	var req grant.Requisition
	var err error
	switch action := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]; action {
	case "sign":
		req, err = h.app.SignRequisition(ctx, actor, id)
	case "approve":
		req, err = h.app.ApproveRequisition(ctx, actor, id)
	case "withdraw":
		req, err = h.app.WithdrawRequisition(ctx, actor, id)
	case "reject":
		var body struct {
			Reason string `json:"reason"`
		}
		if err := decode(r, &body); err != nil {
			return err
		}
		req, err = h.app.RejectRequisition(ctx, actor, id, body.Reason)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, requisitionJSON(req))
	return nil
}

func (h *API) getRequisition(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	req, err := h.app.Requisition(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, requisitionJSON(req))
	return nil
}

func (h *API) listRequisitions(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	ag, err := h.agreement(r, orFor(q.Get("recipient"), actor), q.Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.Requisitions(r.Context(), actor, grant.RequisitionFilter{
		Agreement: ag, Recipient: q.Get("recipient"), Status: grant.Status(q.Get("status"))})
	if err != nil {
		return err
	}
	out := make([]requisition, 0, len(list))
	for _, req := range list {
		out = append(out, requisitionJSON(req))
	}
	writeJSON(w, http.StatusOK, map[string]any{"requisitions": out})
	return nil
}

func (h *API) createBatch(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Agreement      string   `json:"agreement"`
		Requisitions   []string `json:"requisitions"`
		RequisitionIDs []string `json:"requisition_ids"` // accepted as a synonym
	}
	if err := decodeOptional(r, &body); err != nil {
		return err
	}
	var err error
	if body.Agreement, err = h.agreement(r, actor.Org, body.Agreement); err != nil {
		return err
	}
	b, err := h.app.CreateBatch(r.Context(), actor, body.Agreement, append(body.Requisitions, body.RequisitionIDs...))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/payment-batches/"+b.ID)
	writeJSON(w, http.StatusCreated, batchJSON(b))
	return nil
}

func (h *API) listBatches(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	ag, err := h.agreement(r, actor.Org, r.URL.Query().Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.Batches(r.Context(), actor)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, b := range list {
		if b.Agreement == ag {
			out = append(out, batchHeader(b))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"payment_batches": out})
	return nil
}

func (h *API) getBatch(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	b, err := h.app.Batch(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, batchJSON(b))
	return nil
}

func (h *API) batchFile(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id := r.PathValue("id")
	b, err := h.app.PaymentFile(r.Context(), actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+`.pain.001.xml"`)
	w.Write(b)
	return nil
}

func (h *API) attestBatch(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	if err := decodeOptional(r, &struct{}{}); err != nil {
		return err
	}
	b, err := h.app.AttestBatch(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, batchJSON(b))
	return nil
}

func (h *API) confirmBatch(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		PaidOn string `json:"paid_on"`
		Date   string `json:"date"` // accepted as a synonym
	}
	if err := decodeOptional(r, &body); err != nil {
		return err
	}
	if body.PaidOn == "" {
		body.PaidOn = body.Date
	}
	var paidOn time.Time
	if body.PaidOn != "" {
		var err error
		if paidOn, err = time.Parse(time.DateOnly, body.PaidOn); err != nil {
			return fault.Fields{"paid_on": "Ange betalningsdagen som ÅÅÅÅ-MM-DD."}.Err()
		}
	}
	b, err := h.app.ConfirmBatch(r.Context(), actor, r.PathValue("id"), paidOn)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, batchJSON(b))
	return nil
}

func (h *API) recipientStatus(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	ag, err := h.agreement(r, r.PathValue("id"), r.URL.Query().Get("agreement"))
	if err != nil {
		return err
	}
	st, err := h.app.RecipientStatus(r.Context(), actor, ag, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(st))
	return nil
}

func (h *API) matrix(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	ag, err := h.agreement(r, actor.Org, r.URL.Query().Get("agreement"))
	if err != nil {
		return err
	}
	all, err := h.app.Matrix(r.Context(), actor, ag)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(all))
	for _, st := range all {
		out = append(out, statusJSON(st))
	}
	writeJSON(w, http.StatusOK, map[string]any{"agreement": ag, "recipients": out})
	return nil
}

// agreement is the agreement a request works on: the one it names, or
// the organisation's only (live) agreement; several live ones are 422.
// The organisation is the recipient the request is about, else the
// caller's own.
func (h *API) agreement(r *http.Request, orgID, named string) (string, error) {
	return h.app.ResolveAgreement(r.Context(), orgID, named)
}

// orFor is the recipient a request is about, or the caller's organisation.
func orFor(recipient string, actor auth.Actor) string {
	if recipient != "" {
		return recipient
	}
	return actor.Org
}

// listAgreements lists the agreements the caller's organisation takes part
// in, newest first, each with whether it is live and its next deadline.
func (h *API) listAgreements(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	all, err := h.app.AgreementStates(r.Context(), actor.Org)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(all))
	for _, s := range all {
		a := map[string]any{"id": s.ID, "name": s.Name, "short_name": s.ShortName, "year": s.Year, "live": s.Live,
			"period_from": s.PeriodFrom.String(), "period_to": s.PeriodTo.String(), "next_deadline": nil}
		if s.Next != nil {
			a["next_deadline"] = map[string]any{"id": s.Next.ID, "name": s.Next.Name, "date": s.Next.Date.String()}
		}
		out = append(out, a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"agreements": out})
	return nil
}
