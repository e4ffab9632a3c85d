package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/money"
	"narvard/internal/outcome"
	"narvard/internal/plan"
)

func (h *API) planRoutes() {
	h.handle("POST /api/v1/plans", h.createPlan)
	h.handle("GET /api/v1/plans", h.listPlans)
	h.handle("GET /api/v1/plans/{id}", h.getPlan)
	h.handle("PUT /api/v1/plans/{id}", h.updatePlan)
	h.handle("POST /api/v1/plans/{id}/decide", h.decidePlan)
	h.handleOf("POST /api/v1/plans/{id}/outcome", app.MaxOutcomeFile+1<<20, h.importOutcome)
	h.handle("GET /api/v1/plans/{id}/budget", h.planBudget)
	h.handle("GET /api/v1/plans/{id}/decision-basis.pdf", h.decisionBasis)
	h.handle("PUT /api/v1/plans/{id}/forecasts", h.setForecast)
}

// setForecast sets the officer's forecast for a cost object,
// {"cost_object": "9917", "forecast_kr": 31000000}, or removes it with
// "forecast_kr": null.
func (h *API) setForecast(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		CostObject string    `json:"cost_object"`
		Forecast   *money.Kr `json:"forecast_kr"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	v, err := h.app.SetPlanForecasts(r.Context(), actor, r.PathValue("id"), map[string]*money.Kr{body.CostObject: body.Forecast})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, planJSON(v))
	return nil
}

// decisionBasis is the plan's decision basis for the board (?body= names
// the board when the plan has no decision yet).
func (h *API) decisionBasis(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	b, err := h.app.DecisionBasisPDF(r.Context(), actor, r.PathValue("id"), r.URL.Query().Get("body"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="beslutsunderlag-`+r.PathValue("id")+`.pdf"`)
	w.Write(b)
	return nil
}

type planBody struct {
	Agreement    string         `json:"agreement"`
	Recipient    string         `json:"recipient"`
	Measures     []plan.Measure `json:"measures"`
	SIEDimension int            `json:"sie_dimension"`
}

func (h *API) createPlan(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body planBody
	if err := decode(r, &body); err != nil {
		return err
	}
	recipient := orFor(body.Recipient, actor)
	ag, err := h.agreement(r, recipient, body.Agreement)
	if err != nil {
		return err
	}
	v, err := h.app.CreatePlan(r.Context(), actor, ag, recipient, app.PlanInput{Measures: body.Measures, SIEDimension: body.SIEDimension})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/plans/"+v.ID)
	writeJSON(w, http.StatusCreated, planJSON(v))
	return nil
}

func (h *API) updatePlan(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body planBody
	if err := decode(r, &body); err != nil {
		return err
	}
	v, err := h.app.UpdatePlan(r.Context(), actor, r.PathValue("id"), app.PlanInput{Measures: body.Measures, SIEDimension: body.SIEDimension})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, planJSON(v))
	return nil
}

func (h *API) decidePlan(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var d plan.Decision
	if err := decode(r, &d); err != nil {
		return err
	}
	v, err := h.app.DecidePlan(r.Context(), actor, r.PathValue("id"), d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, planJSON(v))
	return nil
}

func (h *API) getPlan(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	v, err := h.app.Plan(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, planJSON(v))
	return nil
}

func (h *API) listPlans(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	recipient := orFor(q.Get("recipient"), actor)
	ag, err := h.agreement(r, recipient, q.Get("agreement"))
	if err != nil {
		return err
	}
	list, err := h.app.Plans(r.Context(), actor, ag, recipient)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, p := range list {
		out = append(out, planHeader(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"plans": out})
	return nil
}

// importOutcome takes a SIE 4 or CSV file as the body (or as the part
// "file" of a multipart form), named by ?filename= or the form's file
// name: 201 with what was read, or 200 with the earlier import when the
// same file was read before.
func (h *API) importOutcome(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	name, data, err := uploadedFile(r)
	if err != nil {
		return err
	}
	res, err := h.app.ImportOutcome(r.Context(), actor, r.PathValue("id"), name, data)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !res.Added {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"id": res.ID, "added": res.Added, "seq": res.Seq, "file_name": res.FileName, "format": res.Format,
		"sha256": res.Digest, "generated": res.Generated, "lines": res.Lines, "imported_by": res.ImportedBy, "imported_at": res.ImportedAt})
	return nil
}

// uploadedFile reads the file of an upload: the body, or the part "file"
// of a multipart form.
func uploadedFile(r *http.Request) (string, []byte, error) {
	name := r.URL.Query().Get("filename")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var body io.Reader = r.Body
	if strings.HasPrefix(mt, "multipart/") {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			return "", nil, fault.Fields{"file": "Skicka filen i fältet file."}.Err()
		}
		defer f.Close()
		body = f
		if name == "" {
			name = hdr.Filename
		}
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return "", nil, tooLargeOr(err)
	}
	if len(data) == 0 {
		return "", nil, fault.Fields{"file": "Filen är tom."}.Err()
	}
	if name == "" {
		name = "utfall"
	}
	return name, data, nil
}

func tooLargeOr(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return tooLarge(mb.Limit)
	}
	return fault.Fields{"file": "Filen kunde inte läsas."}.Err()
}

func (h *API) planBudget(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	b, err := h.app.PlanBudget(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, budgetJSON(b))
	return nil
}

func planHeader(p plan.Plan) map[string]any {
	return map[string]any{"id": p.ID, "agreement": p.Agreement, "recipient": p.Recipient, "version": p.Version,
		"status": p.Status, "created_by": p.CreatedBy, "created_at": p.CreatedAt, "decided_by": p.DecidedBy,
		"decision": p.Decision, "replaced_by": p.ReplacedBy}
}

func planJSON(v app.PlanView) map[string]any {
	out := planHeader(v.Plan)
	measures := v.Measures
	if measures == nil {
		measures = []plan.Measure{}
	}
	out["measures"] = measures
	out["sie_dimension"] = v.SIEDimension
	forecasts := v.Forecasts
	if forecasts == nil {
		forecasts = map[string]money.Kr{}
	}
	out["forecasts_kr"] = forecasts
	out["components"] = v.Rows
	out["frame_kr"], out["planned_kr"], out["unassigned_kr"] = v.Frame, v.Planned, v.Unassigned
	return out
}

func budgetJSON(b app.BudgetView) map[string]any {
	lines := []map[string]any{}
	for _, l := range b.Lines {
		months := []map[string]any{}
		for _, m := range b.Months {
			months = append(months, map[string]any{"month": monthText(m), "outcome_ore": l.ByMonth[m], "outcome_kr": l.ByMonth[m].Kronor()})
		}
		lines = append(lines, map[string]any{"cost_object": l.CostObject, "components": l.Components, "earmarked": l.Earmarked,
			"budget_kr": l.Budget, "outcome_ore": l.Outcome, "outcome_kr": l.Outcome.Kronor(),
			"remaining_kr": l.Remaining().Kronor(), "forecast_kr": l.Forecast.Kronor(), "own_forecast": l.OwnForecast, "behind_pace": l.BehindPace,
			"months": months, "tertials": tertials(b, l)})
	}
	out := map[string]any{"plan": b.Plan.ID, "agreement": b.Plan.Agreement, "recipient": b.Plan.Recipient,
		"months_elapsed": b.Elapsed, "months_total": b.Total, "unassigned_kr": b.Unassigned, "cost_objects": lines, "import": nil}
	if b.Import != nil {
		out["import"] = map[string]any{"id": b.Import.ID, "file_name": b.Import.FileName, "format": b.Import.Format,
			"generated": b.Import.Generated, "imported_at": b.Import.ImportedAt}
	}
	return out
}

func tertials(b app.BudgetView, l plan.BudgetLine) []map[string]any {
	out := []map[string]any{}
	seen := map[[2]int]bool{}
	for _, m := range b.Months {
		k := [2]int{m.Year, m.Tertial()}
		if seen[k] {
			continue
		}
		seen[k] = true
		o := l.Tertial(m.Year, m.Tertial())
		out = append(out, map[string]any{"year": m.Year, "tertial": m.Tertial(), "outcome_ore": o, "outcome_kr": o.Kronor()})
	}
	return out
}

func monthText(m outcome.Month) string {
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}
