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
	h.handle("POST /api/v1/payment-batches/{id}/confirm", h.confirmBatch)
	h.handle("GET /api/v1/recipients/{id}/status", h.recipientStatus)
	h.handle("GET /api/v1/status", h.matrix)
	h.reportRoutes()
	h.bankRoutes()
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
	list, err := h.app.Requisitions(r.Context(), actor, grant.RequisitionFilter{
		Agreement: q.Get("agreement"), Recipient: q.Get("recipient"), Status: grant.Status(q.Get("status"))})
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
	if body.Agreement == "" {
		body.Agreement = h.defaultAgreement()
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
	list, err := h.app.Batches(r.Context(), actor)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, b := range list {
		out = append(out, batchHeader(b))
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
	ag := r.URL.Query().Get("agreement")
	if ag == "" {
		ag = h.defaultAgreement()
	}
	st, err := h.app.RecipientStatus(r.Context(), actor, ag, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(st))
	return nil
}

func (h *API) matrix(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	ag := r.URL.Query().Get("agreement")
	if ag == "" {
		ag = h.defaultAgreement()
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

// defaultAgreement is the newest agreement, used when a request names none.
func (h *API) defaultAgreement() string {
	all := h.app.Agreements.All()
	latest := all[0]
	for _, a := range all {
		if a.Year > latest.Year {
			latest = a
		}
	}
	return latest.ID
}
