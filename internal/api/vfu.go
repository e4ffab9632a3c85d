package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
)

func (h *API) vfuRoutes() {
	h.handle("POST /api/v1/vfu-reports", h.createVFUReport)
	h.handle("GET /api/v1/vfu-reports", h.listVFUReports)
	h.handle("GET /api/v1/vfu-reports/{id}", h.getVFUReport)
	h.handle("PUT /api/v1/vfu-reports/{id}", h.correctVFUReport)
	h.handle("POST /api/v1/vfu-reports/{id}/sign", h.signVFUReport)
	h.handle("POST /api/v1/vfu-reports/{id}/return", h.returnVFUReport)
	h.handle("GET /api/v1/vfu-rounds/{agreement}", h.getVFURound)
	h.handle("POST /api/v1/vfu-rounds/{agreement}/close", h.closeVFURound)
	h.handle("POST /api/v1/vfu-rounds/{agreement}/payment-batch", h.vfuBatch)
}

// vfuBody reads a VFU report's body: agreement, recipient and the four
// figures, named after the agreement's periods (weeks_<period>,
// places_<period>), whole numbers of zero or more.
func (h *API) vfuBody(r *http.Request, actor auth.Actor) (agreementID, recipient string, f grant.VFUFigures, err error) {
	var raw map[string]json.RawMessage
	if err = decode(r, &raw); err != nil {
		return
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(raw[k], &s)
		return s
	}
	recipient = str("recipient")
	if agreementID, err = h.agreement(r, orFor(recipient, actor), str("agreement")); err != nil {
		return
	}
	ag, err := h.app.Agreements.Get(agreementID)
	if err != nil {
		return "", "", f, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", agreementID)
	}
	bad := fault.Fields{}
	for _, c := range vfuFields(ag.VFU, &f) {
		v, ok := raw[c.name]
		if !ok {
			bad.Add(c.name, "Ange %s.", c.what)
			continue
		}
		n, perr := strconv.ParseInt(string(v), 10, 64)
		if perr != nil || n < 0 {
			bad.Add(c.name, "Ange ett helt tal, noll eller större.")
			continue
		}
		*c.to = n
	}
	return agreementID, recipient, f, bad.Err()
}

type vfuField struct {
	name, what string
	to         *int64
}

// vfuFields names the figures after the agreement's periods.
func vfuFields(v agreement.VFUPeriods, f *grant.VFUFigures) []vfuField {
	return []vfuField{
		{"weeks_" + v.BasePeriod, "antalet VFU-veckor " + v.BaseLabel, &f.WeeksBase},
		{"places_" + v.BasePeriod, "antalet VFU-platser " + v.BaseLabel, &f.PlacesBase},
		{"weeks_" + v.CurrentPeriod, "antalet VFU-veckor " + v.CurrentLabel, &f.WeeksCurrent},
		{"places_" + v.CurrentPeriod, "antalet VFU-platser " + v.CurrentLabel, &f.PlacesCurrent},
	}
}

func (h *API) vfuJSON(rep grant.VFUReport) map[string]any {
	out := map[string]any{"id": rep.ID, "agreement": rep.Agreement, "recipient": rep.Recipient, "status": rep.Status,
		"reported_by": rep.ReportedBy, "reported_for": rep.ReportedFor, "created_at": rep.CreatedAt, "updated_at": rep.UpdatedAt,
		"signed_by": rep.SignedBy, "signed_at": nil, "return_reason": rep.ReturnReason, "okning": rep.Increase()}
	if !rep.SignedAt.IsZero() {
		out["signed_at"] = rep.SignedAt
	}
	if ag, err := h.app.Agreements.Get(rep.Agreement); err == nil {
		f := rep.VFUFigures
		for _, c := range vfuFields(ag.VFU, &f) {
			out[c.name] = *c.to
		}
	}
	return out
}

func (h *API) createVFUReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	agreementID, recipient, f, err := h.vfuBody(r, actor)
	if err != nil {
		return err
	}
	rep, err := h.app.CreateVFUReport(r.Context(), actor, agreementID, recipient, f)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/vfu-reports/"+rep.ID)
	writeJSON(w, http.StatusCreated, h.vfuJSON(rep))
	return nil
}

func (h *API) correctVFUReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	old, err := h.app.VFUReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Set("agreement", old.Agreement)
	r.URL.RawQuery = q.Encode()
	_, _, f, err := h.vfuBody(r, actor)
	if err != nil {
		return err
	}
	rep, err := h.app.CorrectVFUReport(r.Context(), actor, old.ID, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.vfuJSON(rep))
	return nil
}

func (h *API) getVFUReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	rep, err := h.app.VFUReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.vfuJSON(rep))
	return nil
}

func (h *API) listVFUReports(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	ag, err := h.agreement(r, actor.Org, r.URL.Query().Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.VFUReports(r.Context(), actor, ag)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, rep := range list {
		out = append(out, h.vfuJSON(rep))
	}
	writeJSON(w, http.StatusOK, map[string]any{"vfu_reports": out})
	return nil
}

func (h *API) signVFUReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	rep, err := h.app.SignVFUReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.vfuJSON(rep))
	return nil
}

func (h *API) returnVFUReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	rep, err := h.app.ReturnVFUReport(r.Context(), actor, r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.vfuJSON(rep))
	return nil
}

func vfuRoundJSON(round grant.VFURound) map[string]any {
	rows := round.Rows
	if rows == nil {
		rows = []grant.VFURow{}
	}
	out := map[string]any{"agreement": round.Agreement, "status": round.Status, "rows": rows, "closed_by": round.ClosedBy,
		"closed_at": nil, "payment_batch": round.BatchID}
	if !round.ClosedAt.IsZero() {
		out["closed_at"] = round.ClosedAt
	}
	return out
}

// getVFURound is for every signed-in user, as the agreement's allocation
// tables.
func (h *API) getVFURound(w http.ResponseWriter, r *http.Request, _ auth.Actor) error {
	round, err := h.app.VFURound(r.Context(), r.PathValue("agreement"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, vfuRoundJSON(round))
	return nil
}

func (h *API) closeVFURound(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	round, err := h.app.CloseVFURound(r.Context(), actor, r.PathValue("agreement"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, vfuRoundJSON(round))
	return nil
}

func (h *API) vfuBatch(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	b, err := h.app.CreateVFUBatch(r.Context(), actor, r.PathValue("agreement"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/payment-batches/"+b.ID)
	writeJSON(w, http.StatusCreated, batchJSON(b))
	return nil
}
