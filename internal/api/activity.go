package api

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"narvard/internal/auth"
	"narvard/internal/document"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/questionnaire"
)

func (h *API) activityRoutes() {
	h.handle("GET /api/v1/question-templates", h.listTemplates)
	h.handle("GET /api/v1/question-templates/{id}", h.getTemplate)
	h.handle("POST /api/v1/question-templates", h.publishTemplate)
	h.handle("POST /api/v1/activity-reports", h.createActivityReport)
	h.handle("GET /api/v1/activity-reports", h.listActivityReports)
	h.handle("GET /api/v1/activity-reports.csv", h.exportActivityReports)
	h.handle("GET /api/v1/activity-reports.xlsx", h.exportActivityReports)
	h.handle("GET /api/v1/activity-reports/{id}", h.getActivityReport)
	h.handle("GET /api/v1/activity-reports/{id}/pdf", h.file("application/pdf", "verksamhetsrapport-{id}.pdf", h.app.ActivityReportPDF))
	h.handle("PUT /api/v1/activity-reports/{id}", h.correctActivityReport)
	h.handle("POST /api/v1/activity-reports/{id}/sign", h.signActivityReport)
	h.handle("POST /api/v1/activity-reports/{id}/return", h.returnActivityReport)
	h.handle("POST /api/v1/activity-reports/{id}/accept", h.acceptActivityReport)
}

// getTemplate and listTemplates are for every signed-in user, as the
// agreements.
func (h *API) getTemplate(w http.ResponseWriter, r *http.Request, _ auth.Actor) error {
	t, err := h.app.QuestionTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (h *API) listTemplates(w http.ResponseWriter, r *http.Request, _ auth.Actor) error {
	list, err := h.app.QuestionTemplates(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, t := range list {
		out = append(out, map[string]any{"id": t.ID, "title": t.Title, "agreement": t.Agreement, "recipients": t.Recipients,
			"receiver": t.Receiver, "deadline": t.Deadline})
	}
	writeJSON(w, http.StatusOK, map[string]any{"question_templates": out})
	return nil
}

// publishTemplate takes the template's JSON as the body, as the schema
// documents it.
func (h *API) publishTemplate(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return tooLarge(maxBody)
		}
		return fault.Fields{"body": "Begäran kunde inte läsas."}.Err()
	}
	t, err := h.app.PublishTemplate(r.Context(), actor, body)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/question-templates/"+t.ID)
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func activityJSON(rep grant.ActivityReport) map[string]any {
	answers := rep.Answers
	if answers == nil {
		answers = questionnaire.Answers{}
	}
	out := map[string]any{"id": rep.ID, "template": rep.Template, "agreement": rep.Agreement, "recipient": rep.Recipient,
		"receiver": rep.Receiver, "status": rep.Status, "late": rep.Late, "answers": answers,
		"created_by": rep.CreatedBy, "created_at": rep.CreatedAt, "updated_at": rep.UpdatedAt,
		"signed_by": rep.SignedBy, "signed_at": nil, "return_reason": rep.ReturnReason, "accepted_by": rep.AcceptedBy, "accepted_at": nil}
	if !rep.SignedAt.IsZero() {
		out["signed_at"] = rep.SignedAt
	}
	if !rep.AcceptedAt.IsZero() {
		out["accepted_at"] = rep.AcceptedAt
	}
	return out
}

type activityBody struct {
	Template  string                `json:"template"`
	Recipient string                `json:"recipient"`
	Answers   questionnaire.Answers `json:"answers"`
}

func (h *API) createActivityReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var b activityBody
	if err := decode(r, &b); err != nil {
		return err
	}
	if b.Template == "" {
		return fault.Fields{"template": "Ange frågeunderlagets id."}.Err()
	}
	rep, err := h.app.CreateActivityReport(r.Context(), actor, b.Template, orFor(b.Recipient, actor), b.Answers)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/activity-reports/"+rep.ID)
	writeJSON(w, http.StatusCreated, activityJSON(rep))
	return nil
}

func (h *API) correctActivityReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var b struct {
		Answers questionnaire.Answers `json:"answers"`
	}
	if err := decode(r, &b); err != nil {
		return err
	}
	rep, err := h.app.CorrectActivityReport(r.Context(), actor, r.PathValue("id"), b.Answers)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, activityJSON(rep))
	return nil
}

func (h *API) getActivityReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	rep, err := h.app.ActivityReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, activityJSON(rep))
	return nil
}

func (h *API) listActivityReports(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	q := r.URL.Query()
	list, err := h.app.ActivityReports(r.Context(), actor, q.Get("template"), grant.ActivityStatus(q.Get("status")))
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, rep := range list {
		out = append(out, activityJSON(rep))
	}
	body := map[string]any{"activity_reports": out}
	// Those who read everything see, for one template, who has not begun.
	if t := q.Get("template"); t != "" {
		if ids, err := h.app.NotStarted(r.Context(), actor, t); err == nil {
			body["not_started"] = append([]string{}, ids...)
		}
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (h *API) signActivityReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	rep, err := h.app.SignActivityReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, activityJSON(rep))
	return nil
}

func (h *API) returnActivityReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	rep, err := h.app.ReturnActivityReport(r.Context(), actor, r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, activityJSON(rep))
	return nil
}

func (h *API) acceptActivityReport(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	rep, err := h.app.AcceptActivityReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, activityJSON(rep))
	return nil
}

// exportActivityReports serves a template's reports as CSV or XLSX: one
// row per report, one column per answer cell.
func (h *API) exportActivityReports(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id := r.URL.Query().Get("template")
	if id == "" {
		return fault.Fields{"template": "Ange frågeunderlagets id (?template=)."}.Err()
	}
	ex, err := h.app.ExportActivityReports(r.Context(), actor, id)
	if err != nil {
		return err
	}
	header, rows := ex.Table()
	render, ext, ctype := document.ActivityCSV, "csv", "text/csv; charset=utf-8"
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		render, ext, ctype = document.ActivityWorkbook, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	b, err := render(header, rows)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+ex.Template.ID+"."+ext+`"`)
	w.Write(b)
	return nil
}
