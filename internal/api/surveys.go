package api

import (
	"bytes"
	"net/http"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/questionnaire"
	"narvard/internal/survey"
)

func (h *API) surveyRoutes() {
	h.handle("POST /api/v1/surveys", h.createSurvey)
	h.handle("GET /api/v1/surveys", h.listSurveys)
	h.handle("GET /api/v1/surveys/{id}", h.getSurvey)
	h.handle("PUT /api/v1/surveys/{id}/responses/{recipient}", h.answerSurvey)
	h.handle("GET /api/v1/surveys/{id}/responses/{recipient}", h.getSurveyResponse)
	h.handle("POST /api/v1/surveys/{id}/responses/import", h.importSurveyResponses)
	h.handle("GET /api/v1/surveys/{id}/responses.csv", h.surveyAnswers)
	h.handle("GET /api/v1/surveys/{id}/responses.xlsx", h.surveyAnswers)
	h.handle("GET /api/v1/surveys/{id}/results", h.surveyResults)
	h.handle("GET /api/v1/surveys/{id}/results.csv", h.surveyResults)
	h.handle("GET /api/v1/surveys/{id}/results.xlsx", h.surveyResults)
	h.handle("GET /api/v1/surveys/{id}/missing", h.surveyMissing)
	h.handle("POST /api/v1/surveys/{id}/reminders", h.remindSurvey)
}

func surveyJSON(s survey.Survey) map[string]any {
	return map[string]any{"id": s.ID, "title": s.Title, "template": s.Template, "owner": s.Owner, "recipients": s.Recipients,
		"opens": s.Opens.Format(time.DateOnly), "closes": s.Closes.Format(time.DateOnly), "created_by": s.CreatedBy, "created_at": s.CreatedAt}
}

func (h *API) createSurvey(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var f app.SurveyForm
	if err := decode(r, &f); err != nil {
		return err
	}
	s, err := h.app.CreateSurvey(r.Context(), actor, f)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/surveys/"+s.ID)
	writeJSON(w, http.StatusCreated, surveyJSON(s))
	return nil
}

// listSurveys and getSurvey are for every signed-in user, as the
// templates.
func (h *API) listSurveys(w http.ResponseWriter, r *http.Request, _ auth.Actor) error {
	list, err := h.app.Surveys(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, s := range list {
		out = append(out, map[string]any{"id": s.ID, "title": s.Title, "owner": s.Owner, "invited": len(s.Recipients),
			"opens": s.Opens.Format(time.DateOnly), "closes": s.Closes.Format(time.DateOnly)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"surveys": out})
	return nil
}

func (h *API) getSurvey(w http.ResponseWriter, r *http.Request, _ auth.Actor) error {
	s, err := h.app.Survey(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, surveyJSON(s))
	return nil
}

func responseJSON(resp survey.Response) map[string]any {
	answers := resp.Answers
	if answers == nil {
		answers = questionnaire.Answers{}
	}
	out := map[string]any{"survey": resp.Survey, "recipient": resp.Recipient, "answers": answers, "submitted": resp.Submitted,
		"source": resp.Source, "answered_by": resp.By, "answered_at": nil}
	if !resp.At.IsZero() {
		out["answered_at"] = resp.At
	}
	return out
}

// answerSurvey saves and submits the recipient's answers: every visible
// required question must be answered.
func (h *API) answerSurvey(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var b struct {
		Answers questionnaire.Answers `json:"answers"`
	}
	if err := decode(r, &b); err != nil {
		return err
	}
	resp, err := h.app.AnswerSurvey(r.Context(), actor, r.PathValue("id"), r.PathValue("recipient"), b.Answers, true, survey.SourceAPI)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, responseJSON(resp))
	return nil
}

func (h *API) getSurveyResponse(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	_, resp, err := h.app.SurveyResponse(r.Context(), actor, r.PathValue("id"), r.PathValue("recipient"))
	if err != nil {
		return err
	}
	resp.Survey, resp.Recipient = r.PathValue("id"), r.PathValue("recipient")
	writeJSON(w, http.StatusOK, responseJSON(resp))
	return nil
}

// importSurveyResponses takes the CSV file as the body (or the part
// "file" of a multipart form), its name in ?filename=.
func (h *API) importSurveyResponses(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	name, data, err := uploadedFile(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("filename") == "" && name == "utfall" { // uploadedFile's default name
		name = "svar.csv"
	}
	n, err := h.app.ImportSurveyResponses(r.Context(), actor, r.PathValue("id"), name, bytes.NewReader(data))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"survey": r.PathValue("id"), "imported": n, "file_name": name})
	return nil
}

// surveyResults serves the results as JSON, or the tables as CSV or XLSX
// by the path's extension.
func (h *API) surveyResults(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	s, res, err := h.app.SurveyResults(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	tables := survey.Tables(res, app.SurveySource(s))
	var buf bytes.Buffer
	switch ext(r) {
	case ".csv":
		err = survey.WriteCSV(&buf, res.Title, res.Summary(), tables)
	case ".xlsx":
		err = survey.WriteXLSX(&buf, res.Title, res.Summary(), tables)
	default:
		writeJSON(w, http.StatusOK, res)
		return nil
	}
	if err != nil {
		return err
	}
	serveDownload(w, r, "enkatresultat-"+s.ID, buf.Bytes())
	return nil
}

// surveyAnswers serves every respondent's answers, one row each.
func (h *API) surveyAnswers(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	s, e, err := h.app.SurveyAnswers(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if ext(r) == ".xlsx" {
		err = e.WriteXLSX(&buf, s.Title)
	} else {
		err = e.WriteCSV(&buf)
	}
	if err != nil {
		return err
	}
	serveDownload(w, r, "enkatsvar-"+s.ID, buf.Bytes())
	return nil
}

func ext(r *http.Request) string {
	p := r.URL.Path
	for _, e := range []string{".csv", ".xlsx"} {
		if len(p) > len(e) && p[len(p)-len(e):] == e {
			return e
		}
	}
	return ""
}

func serveDownload(w http.ResponseWriter, r *http.Request, base string, b []byte) {
	if ext(r) == ".xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+base+ext(r)+`"`)
	w.Write(b)
}

func (h *API) surveyMissing(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	f, err := h.app.SurveyMissing(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	missing := make([]map[string]string, 0, len(f.Missing))
	for _, o := range f.Missing {
		missing = append(missing, map[string]string{"id": o.ID, "name": o.Name})
	}
	writeJSON(w, http.StatusOK, map[string]any{"survey": f.Survey.ID, "invited": len(f.Survey.Recipients), "missing": missing,
		"reminders": remindersJSON(f.Reminders)})
	return nil
}

func remindersJSON(list []survey.Reminder) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, rem := range list {
		m := map[string]any{"id": rem.ID, "recipient": rem.Recipient, "sent_by": rem.By, "sent_at": rem.At, "mailed_at": nil}
		if !rem.Mailed.IsZero() {
			m["mailed_at"] = rem.Mailed
		}
		out = append(out, m)
	}
	return out
}

// remindSurvey records reminders to the named recipients, or to all who
// have not answered when the body names none.
func (h *API) remindSurvey(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var b struct {
		Recipients []string `json:"recipients"`
	}
	if err := decodeOptional(r, &b); err != nil {
		return err
	}
	list, err := h.app.RemindSurvey(r.Context(), actor, r.PathValue("id"), b.Recipients)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"reminders": remindersJSON(list)})
	return nil
}
