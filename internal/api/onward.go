package api

import (
	"net/http"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/money"
	"narvard/internal/onward"
)

func (h *API) onwardRoutes() {
	h.handle("POST /api/v1/onward-decisions", h.createOnward)
	h.handle("GET /api/v1/onward-decisions", h.listOnward)
	h.handle("GET /api/v1/onward-decisions/{id}", h.getOnward)
	h.handle("POST /api/v1/onward-decisions/{id}/decide", h.decideOnward)
	h.handle("POST /api/v1/onward-payments", h.payOnward)
	h.handle("GET /api/v1/onward-payments/{id}/pain.001", h.file("application/xml; charset=utf-8", "{id}.pain.001.xml", h.app.OnwardPaymentFile))
	h.handle("GET /api/v1/recipients/{id}/onward", h.kommunOnward)
}

func (h *API) createOnward(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Agreement  string                 `json:"agreement"`
		RSS        string                 `json:"rss"`
		Components map[string]onward.Spec `json:"components"`
		Figures    []onward.Figure        `json:"figures"`
		FiguresCSV string                 `json:"figures_csv"` // kommun,befolkning,kommunal_hsv as a file
		Amounts    []onward.Amount        `json:"amounts"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	rss := orFor(body.RSS, actor)
	ag, err := h.agreement(r, rss, body.Agreement)
	if err != nil {
		return err
	}
	if body.FiguresCSV != "" {
		figs, err := onward.ReadFigures("figures.csv", strings.NewReader(body.FiguresCSV))
		if err != nil {
			return fault.Fields{"figures_csv": err.Error()}.Err()
		}
		body.Figures = append(body.Figures, figs...)
	}
	d, err := h.app.CreateOnward(r.Context(), actor, ag, rss, onward.Plan{Components: body.Components, Figures: body.Figures, Amounts: body.Amounts})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/onward-decisions/"+d.ID)
	writeJSON(w, http.StatusCreated, onwardJSON(d))
	return nil
}

func (h *API) listOnward(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	rss := orFor(q.Get("rss"), actor)
	ag, err := h.agreement(r, rss, q.Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.Onwards(r.Context(), actor, ag, rss)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, d := range list {
		out = append(out, onwardHeader(d))
	}
	writeJSON(w, http.StatusOK, map[string]any{"onward_decisions": out})
	return nil
}

func (h *API) getOnward(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	d, err := h.app.Onward(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, onwardJSON(d))
	return nil
}

func (h *API) decideOnward(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		DecisionDate string `json:"decision_date"`
		Reference    string `json:"reference"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	d, err := h.app.DecideOnward(r.Context(), actor, r.PathValue("id"), body.DecisionDate, body.Reference)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, onwardJSON(d))
	return nil
}

func (h *API) payOnward(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Decision string               `json:"decision"`
		PaidOn   string               `json:"paid_on"`
		Lines    []onward.PaymentLine `json:"lines"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	p, err := h.app.PayOnward(r.Context(), actor, body.Decision, body.PaidOn, body.Lines)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": p.ID, "agreement": p.Agreement, "rss": p.RSS, "decision": p.Decision,
		"paid_on": p.PaidOn, "lines": p.Lines, "total_kr": p.Total()})
	return nil
}

func (h *API) kommunOnward(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id := r.PathValue("id")
	ag, err := h.agreement(r, id, r.URL.Query().Get("agreement"))
	if err != nil {
		return err
	}
	k, err := h.app.KommunOnwardStatus(r.Context(), actor, ag, id)
	if err != nil {
		return err
	}
	pays := []map[string]any{}
	for _, p := range k.Payments {
		pays = append(pays, map[string]any{"id": p.ID, "paid_on": p.PaidOn, "amount_kr": p.Amount})
	}
	out := map[string]any{"agreement": k.Agreement, "recipient": id, "rss": k.RSS, "rss_name": k.RSSName,
		"decided_kr": k.Decided, "received_kr": k.Received, "payments": pays, "decision": nil}
	if k.Decision != nil {
		out["decision"] = onwardJSON(*k.Decision)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func onwardHeader(d onward.Decision) map[string]any {
	var decidedAt any
	if !d.DecidedAt.IsZero() {
		decidedAt = d.DecidedAt.Format(time.RFC3339)
	}
	return map[string]any{"id": d.ID, "agreement": d.Agreement, "rss": d.RSS, "status": d.Status,
		"created_by": d.CreatedBy, "created_at": d.CreatedAt.Format(time.RFC3339),
		"decided_by": d.DecidedBy, "decided_at": decidedAt, "decision_date": d.DecisionDate, "reference": d.Reference,
		"replaced_by": d.ReplacedBy}
}

// onwardJSON is a decision with its table: one row per municipality and
// component, the kept parts and each municipality's total.
func onwardJSON(d onward.Decision) map[string]any {
	out := onwardHeader(d)
	rows := []map[string]any{}
	totals := map[string]money.Kr{}
	for _, r := range d.Split.Rows {
		name := ""
		if m, ok := geo.Kommun(r.Kommun); ok {
			name = m.Name
		}
		rows = append(rows, map[string]any{"kommun": r.Kommun, "name": name, "component": r.Component,
			"amount_kr": r.Amount, "earmarked": r.Earmarked})
		totals[r.Kommun] += r.Amount
	}
	kept := d.Split.Kept
	if kept == nil {
		kept = []onward.Kept{}
	}
	out["components"], out["figures"], out["amounts"] = d.Plan.Components, d.Plan.Figures, d.Plan.Amounts
	out["rows"], out["kept"], out["totals"] = rows, kept, totals
	return out
}
