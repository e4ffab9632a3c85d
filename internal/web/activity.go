package web

import (
	"net/http"
	"slices"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/document"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/questionnaire"
)

// The activity reports' pages (issue 14, item 4): the templates a
// recipient answers and the reports a receiver gets; a report's page with
// its answers, sign, return and accept; and one form per section of the
// template, saved as the user goes, without JavaScript. Questions shown
// only for an answer say so; the server drops the answers of hidden ones.
func (s *server) activityRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /verksamhetsrapporter", s.signedIn(s.activityList))
	mux.HandleFunc("POST /verksamhetsrapporter/ny", s.signedIn(s.activityNew))
	mux.HandleFunc("GET /verksamhetsrapporter/{id}", s.signedIn(s.activityPage))
	mux.HandleFunc("GET /verksamhetsrapporter/{id}/pdf", s.signedIn(s.activityPDF))
	mux.HandleFunc("GET /verksamhetsrapporter.csv", s.signedIn(s.activityExport))
	mux.HandleFunc("GET /verksamhetsrapporter.xlsx", s.signedIn(s.activityExport))
	mux.HandleFunc("GET /verksamhetsrapporter/{id}/avsnitt/{section}", s.signedIn(s.activitySection))
	mux.HandleFunc("POST /verksamhetsrapporter/{id}/avsnitt/{section}", s.signedIn(s.activitySave))
	mux.HandleFunc("POST /verksamhetsrapporter/{id}/{action}", s.signedIn(s.activityAction))
}

// templateLine is a template the user's organisation answers, with its
// report if it has begun one.
type templateLine struct {
	T        *questionnaire.Template
	Deadline string
	Report   *grant.ActivityReport
	CanStart bool
}

// reportLine is a report the user may read.
type reportLine struct {
	Rep                          grant.ActivityReport
	RecipientName, TemplateTitle string
}

// notStarted is, for those who read everything, a template's recipients
// without a report.
type notStarted struct {
	Title string
	Names []string
}

type activityListView struct {
	Templates  []templateLine
	Reports    []reportLine
	NotStarted []notStarted
	Exports    []*questionnaire.Template // for those who read everything: one export per template
	Filter     listFilter
}

// activityStatuses are the report list's status menu.
var activityStatuses = statusOptions(grant.ActivityStatuses...)

// activityLines are the other organisations' reports the user sees (all
// agreements unless one is chosen) as the filter narrows them: status,
// and text in the recipient's id or name, the report's id or its title.
func (s *server) activityLines(r *http.Request, a auth.Actor, reports []grant.ActivityReport, titles map[string]string) ([]reportLine, listFilter) {
	agr := r.URL.Query().Get("agreement")
	f := newListFilter("/verksamhetsrapporter", r, agr, s.allAgreements(agr), activityStatuses)
	f.AnyAgreement = true
	var all []reportLine
	for _, rep := range reports {
		if rep.Recipient != a.Org && (agr == "" || rep.Agreement == agr) {
			all = append(all, reportLine{rep, s.orgName(r, rep.Recipient), titles[rep.Template]})
		}
	}
	lines := listing.Keep(f.Filter, all, func(l reportLine) (string, []string) {
		return string(l.Rep.Status), []string{l.Rep.Recipient, l.RecipientName, l.Rep.ID, l.TemplateTitle}
	})
	f.counted(len(lines), len(all))
	return lines, f
}

// activityListExport is the list of reports as a workbook, filtered as
// the page is (without ?template=: with it, the answers to one template).
func (s *server) activityListExport(w http.ResponseWriter, r *http.Request, a auth.Actor) {
	templates, err := s.app.QuestionTemplates(r.Context())
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	reports, err := s.app.ActivityReports(r.Context(), a, "", "")
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	titles := map[string]string{}
	for _, t := range templates {
		titles[t.ID] = t.Title
	}
	lines, _ := s.activityLines(r, a, reports, titles)
	t := listing.Table{Sheet: "Verksamhetsrapporter", Title: "Verksamhetsrapporter",
		Headers: []string{"Rapport", "Överenskommelse", "Mottagare-id", "Mottagare", "Frågeunderlag", "Status", "Sen", "Underskriven", "Godkänd"}}
	for _, l := range lines {
		late := ""
		if l.Rep.Late {
			late = "sen"
		}
		t.Add(l.Rep.ID, l.Rep.Agreement, l.Rep.Recipient, l.RecipientName, l.TemplateTitle, l.Rep.Status.Swedish(), late, dateText(l.Rep.SignedAt), dateText(l.Rep.AcceptedAt))
	}
	s.sendXLSX(w, r, "verksamhetsrapporter.xlsx", t)
}

func (s *server) activityList(w http.ResponseWriter, r *http.Request, sess *session) {
	a, ctx := sess.Actor(), r.Context()
	templates, err := s.app.QuestionTemplates(ctx)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	reports, err := s.app.ActivityReports(ctx, a, "", "")
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	var v activityListView
	titles := map[string]string{}
	for _, t := range templates {
		titles[t.ID] = t.Title
		if !s.app.Answers(t, a.Org) {
			continue
		}
		line := templateLine{T: t, CanStart: grant.CanWriteActivityReport(a, a.Org) == nil}
		if ag, err := s.agreements.Get(t.Agreement); err == nil {
			d, _ := ag.Deadline(t.Deadline)
			line.Deadline = d.Date.String()
		}
		for i := range reports {
			if reports[i].Template == t.ID && reports[i].Recipient == a.Org {
				line.Report = &reports[i]
			}
		}
		v.Templates = append(v.Templates, line)
	}
	v.Reports, v.Filter = s.activityLines(r, a, reports, titles)
	v.NotStarted = s.notStarted(r, a, templates)
	if grant.CanReadAll(a) == nil {
		v.Exports = templates
	}
	s.render(w, r, http.StatusOK, "activity_list.html", "Verksamhetsrapporter", v)
}

// activityPDF downloads a report as a PDF, for those who may read it.
func (s *server) activityPDF(w http.ResponseWriter, r *http.Request, sess *session) {
	b, err := s.app.ActivityReportPDF(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/pdf", "verksamhetsrapport-"+r.PathValue("id")+".pdf", b)
}

// activityExport downloads every report on a template (?template=) as a
// table, CSV or XLSX by the path, for those who read everything.
func (s *server) activityExport(w http.ResponseWriter, r *http.Request, sess *session) {
	if r.URL.Query().Get("template") == "" && strings.HasSuffix(r.URL.Path, ".xlsx") {
		s.activityListExport(w, r, sess.Actor())
		return
	}
	ex, err := s.app.ExportActivityReports(r.Context(), sess.Actor(), r.URL.Query().Get("template"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	header, rows := ex.Table()
	render, ext, ctype := document.ActivityCSV, "csv", "text/csv; charset=utf-8"
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		render, ext, ctype = document.ActivityWorkbook, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	b, err := render(header, rows)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	attach(w, ctype, ex.Template.ID+"."+ext, b)
}

// notStarted lists, for those who read everything, each template's
// recipients that have not begun their report.
func (s *server) notStarted(r *http.Request, a auth.Actor, templates []*questionnaire.Template) []notStarted {
	var out []notStarted
	for _, t := range templates {
		ids, err := s.app.NotStarted(r.Context(), a, t.ID)
		if err != nil || len(ids) == 0 {
			continue
		}
		n := notStarted{Title: t.Title}
		for _, id := range ids {
			n.Names = append(n.Names, s.orgName(r, id))
		}
		out = append(out, n)
	}
	return out
}

func (s *server) activityNew(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	recipient := strings.TrimSpace(r.PostFormValue("recipient"))
	if recipient == "" {
		recipient = a.Org
	}
	rep, err := s.app.CreateActivityReport(r.Context(), a, r.PostFormValue("template"), recipient, nil)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	t, err := s.app.QuestionTemplate(r.Context(), rep.Template)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/verksamhetsrapporter/"+rep.ID+"/avsnitt/"+t.Sections[0].ID, http.StatusSeeOther)
}

// report loads a report the user may read and its template.
func (s *server) report(r *http.Request, a auth.Actor) (grant.ActivityReport, *questionnaire.Template, error) {
	rep, err := s.app.ActivityReport(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return rep, nil, err
	}
	t, err := s.app.QuestionTemplate(r.Context(), rep.Template)
	return rep, t, err
}

func editable(rep grant.ActivityReport) bool {
	return rep.Status == grant.ActivityDraft || rep.Status == grant.ActivityReturned
}

func (s *server) activitySection(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	rep, t, err := s.report(r, a)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	if !editable(rep) || grant.CanWriteActivityReport(a, rep.Recipient) != nil {
		http.Redirect(w, r, "/verksamhetsrapporter/"+rep.ID, http.StatusSeeOther)
		return
	}
	s.renderSection(w, r, http.StatusOK, rep, t, answerInputs(t, rep.Answers), formErrors{})
}

func (s *server) activitySave(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	rep, t, err := s.report(r, a)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	i := sectionIndex(t, r.PathValue("section"))
	if i < 0 {
		s.notFound(w, r)
		return
	}
	sec := t.Sections[i]
	typed := sectionAnswers(r.PostForm, sec, app.AnswerContext(rep.Recipient))
	merged := questionnaire.Answers{}
	for id, v := range rep.Answers {
		merged[id] = v
	}
	for _, q := range sec.Questions {
		delete(merged, q.ID)
	}
	for id, v := range typed {
		merged[id] = v
	}
	if _, err := s.app.CorrectActivityReport(r.Context(), a, rep.ID, merged); err != nil {
		if c := fault.CodeOf(err); c != fault.Invalid {
			s.refuse(w, r, err)
			return
		}
		s.renderSection(w, r, http.StatusUnprocessableEntity, rep, t, answerInputs(t, typed), errorsOf(err))
		return
	}
	next := "/verksamhetsrapporter/" + rep.ID
	if i+1 < len(t.Sections) && r.PostFormValue("then") != "overview" {
		next += "/avsnitt/" + t.Sections[i+1].ID
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func sectionIndex(t *questionnaire.Template, id string) int {
	return slices.IndexFunc(t.Sections, func(s questionnaire.Section) bool { return s.ID == id })
}

func (s *server) activityAction(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	var err error
	switch r.PathValue("action") {
	case "signera":
		_, err = s.app.SignActivityReport(ctx, a, id)
	case "skicka-tillbaka":
		_, err = s.app.ReturnActivityReport(ctx, a, id, r.PostFormValue("reason"))
	case "godkann":
		_, err = s.app.AcceptActivityReport(ctx, a, id)
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showActivity(w, r, sess, http.StatusUnprocessableEntity, errorsOf(err))
		return
	}
	http.Redirect(w, r, "/verksamhetsrapporter/"+id, http.StatusSeeOther)
}

func (s *server) activityPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showActivity(w, r, sess, http.StatusOK, formErrors{})
}

func (s *server) kommunName(code string) string {
	if m, ok := geo.Kommun(code); ok {
		return m.Name
	}
	return code
}
