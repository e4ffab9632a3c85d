package api

import (
	"net/http"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/grant"
)

func (h *API) municipalRoutes() {
	h.handle("POST /api/v1/municipal-reports", h.createMunicipal)
	h.handle("GET /api/v1/municipal-reports", h.listMunicipal)
	h.handle("GET /api/v1/municipal-reports/{id}", h.getMunicipal)
	h.handle("PUT /api/v1/municipal-reports/{id}", h.updateMunicipal)
	h.handle("POST /api/v1/municipal-reports/{id}/sign", h.municipalAction)
	h.handle("POST /api/v1/municipal-reports/{id}/return", h.municipalAction)
	h.handle("POST /api/v1/municipal-reports/{id}/accept", h.municipalAction)
}

type municipalBody struct {
	Agreement string           `json:"agreement"`
	Kommun    string           `json:"kommun"`
	Costs     []grant.CostLine `json:"costs"`
}

// kommunID takes "2380" or "kommun-2380".
func kommunID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "kommun-") {
		return s
	}
	return "kommun-" + s
}

func (h *API) createMunicipal(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body municipalBody
	if err := decode(r, &body); err != nil {
		return err
	}
	kommun := kommunID(orFor(body.Kommun, actor))
	ag, err := h.agreement(r, orFor(grant.CoordinatingRSS(kommun), actor), body.Agreement)
	if err != nil {
		return err
	}
	v, err := h.app.CreateMunicipalReport(r.Context(), actor, ag, kommun, body.Costs)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/municipal-reports/"+v.ID)
	writeJSON(w, http.StatusCreated, municipalJSON(v))
	return nil
}

func (h *API) updateMunicipal(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body municipalBody
	if err := decode(r, &body); err != nil {
		return err
	}
	v, err := h.app.UpdateMunicipalReport(r.Context(), actor, r.PathValue("id"), body.Costs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, municipalJSON(v))
	return nil
}

func (h *API) municipalAction(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id, ctx := r.PathValue("id"), r.Context()
	var v app.MunicipalView
	var err error
	switch action := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]; action {
	case "sign":
		v, err = h.app.SignMunicipalReport(ctx, actor, id)
	case "accept":
		v, err = h.app.AcceptMunicipalReport(ctx, actor, id)
	case "return":
		var body struct {
			Reason string `json:"reason"`
		}
		if err := decode(r, &body); err != nil {
			return err
		}
		v, err = h.app.ReturnMunicipalReport(ctx, actor, id, body.Reason)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, municipalJSON(v))
	return nil
}

func (h *API) getMunicipal(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	v, err := h.app.MunicipalReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, municipalJSON(v))
	return nil
}

// listMunicipal lists the RSS's county's municipalities (the caller's
// RSS, or a municipality's county's RSS, when none is named) with their
// reports, who has reported and who has not ("kommuner"), and the reports
// alone ("municipal_reports").
func (h *API) listMunicipal(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	rss := q.Get("rss")
	if rss == "" {
		rss = orFor(grant.CoordinatingRSS(actor.Org), actor)
	}
	ag, err := h.agreement(r, rss, q.Get("agreement"))
	if err != nil {
		return err
	}
	rows, err := h.app.MunicipalReports(r.Context(), actor, ag, rss)
	if err != nil {
		return err
	}
	out, reports := []map[string]any{}, []map[string]any{}
	for _, row := range rows {
		m := map[string]any{"kommun": row.Kommun, "name": row.Name, "received_kr": row.Received, "reported": row.Report != nil,
			"status": nil, "report": nil}
		if row.Report != nil {
			rep := municipalJSON(*row.Report)
			m["status"], m["report"] = row.Report.Status, rep
			reports = append(reports, rep)
		}
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"agreement": ag, "rss": rss, "kommuner": out, "municipal_reports": reports})
	return nil
}

// municipalJSON is a municipal report with, per component, what the
// municipality received, reported and has left (negative: reported more
// than received, with "over": true).
func municipalJSON(v app.MunicipalView) map[string]any {
	lines := v.Costs
	if lines == nil {
		lines = []grant.CostLine{}
	}
	out := map[string]any{"id": v.ID, "agreement": v.Agreement, "kommun": v.Kommun, "name": v.KommunName, "rss": v.RSS,
		"status": v.Status, "costs": lines, "components": usesJSON(v.Uses), "received_kr": v.Received, "reported_kr": v.Reported,
		"left_kr": v.Left(), "created_by": v.CreatedBy, "created_at": stamp(v.CreatedAt), "updated_at": stamp(v.UpdatedAt)}
	for k, val := range map[string]string{"signed_by": v.SignedBy, "signed_at": stamp(v.SignedAt), "decided_by": v.DecidedBy,
		"decided_at": stamp(v.DecidedAt), "return_reason": v.ReturnReason} {
		if val != "" {
			out[k] = val
		}
	}
	return out
}

func usesJSON(uses []app.ComponentUseView) []map[string]any {
	out := make([]map[string]any, 0, len(uses))
	for _, u := range uses {
		out = append(out, useJSON(u.ComponentUse, map[string]any{"name": u.Label}))
	}
	return out
}

func useJSON(u grant.ComponentUse, extra map[string]any) map[string]any {
	m := map[string]any{"component": u.Component, "received_kr": u.Received, "reported_kr": u.Reported, "left_kr": u.Left(), "over": u.Over()}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// sharesJSON is an RSS's financial report split per component: its own
// part, one row per municipality and the total.
func sharesJSON(shares []grant.RSSShare) []map[string]any {
	out := make([]map[string]any, 0, len(shares))
	for _, s := range shares {
		rows := make([]map[string]any, 0, len(s.Kommuner))
		for _, k := range s.Kommuner {
			var status any
			if k.Status != "" {
				status = k.Status
			}
			rows = append(rows, useJSON(k.ComponentUse, map[string]any{"kommun": k.Kommun, "name": k.Name, "status": status}))
		}
		out = append(out, map[string]any{"component": s.Component, "name": s.Label, "own": useJSON(s.Own, nil),
			"kommuner": rows, "total": useJSON(s.Total, nil)})
	}
	return out
}
