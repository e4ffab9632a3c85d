package web

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/questionnaire"
	"narvard/internal/survey"
)

// The surveys' pages (issue 15): the list; an invited organisation's
// answers, one section per page saved as the officer goes, and its
// submission; the results with Socialstyrelsen's tables and bar charts and
// their downloads; and, for the survey's runner, who has not answered and
// the reminders.
func (s *server) surveyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /enkater", s.signedIn(s.surveyList))
	mux.HandleFunc("GET /enkater.xlsx", s.signedIn(s.surveyListExport))
	mux.HandleFunc("GET /enkater/{id}/svar/{recipient}", s.signedIn(s.surveyOverview))
	mux.HandleFunc("GET /enkater/{id}/svar/{recipient}/avsnitt/{section}", s.signedIn(s.surveySection))
	mux.HandleFunc("POST /enkater/{id}/svar/{recipient}/avsnitt/{section}", s.signedIn(s.surveySave))
	mux.HandleFunc("POST /enkater/{id}/svar/{recipient}/skicka", s.signedIn(s.surveySubmit))
	mux.HandleFunc("GET /enkater/{id}/resultat", s.signedIn(s.surveyResults))
	mux.HandleFunc("GET /enkater/{id}/resultat.xlsx", s.signedIn(s.surveyResultsFile))
	mux.HandleFunc("GET /enkater/{id}/resultat.csv", s.signedIn(s.surveyResultsFile))
	mux.HandleFunc("GET /enkater/{id}/svar.csv", s.signedIn(s.surveyAnswersFile))
	mux.HandleFunc("GET /enkater/{id}/svar.xlsx", s.signedIn(s.surveyAnswersFile))
	mux.HandleFunc("GET /enkater/{id}/paminnelser", s.signedIn(s.surveyReminders))
	mux.HandleFunc("POST /enkater/{id}/paminnelser", s.signedIn(s.surveyRemind))
}

// surveyLine is a survey on the list: the user's organisation's response
// if it is invited, and what the user may do.
type surveyLine struct {
	S                           survey.Survey
	Org, Opens, Closes          string
	Invited, Submitted, Started bool
	Results, Run                bool
	Phase                       survey.Phase
	Agreement                   string // the agreement its template belongs to
}

// surveyListView is the survey list and its filter.
type surveyListView struct {
	Lines  []surveyLine
	Filter listFilter
}

// surveyPhases are the survey list's status menu.
var surveyPhases = statusOptions(survey.Upcoming, survey.Open, survey.Closed)

func (s *server) surveyList(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.surveyLines(w, r, sess.Actor())
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "survey_list.html", "Enkäter", v)
}

// surveyLines are the surveys the user answers, reads or runs (every
// agreement unless one is chosen) as the filter narrows them: phase, and
// text in the title or id.
func (s *server) surveyLines(w http.ResponseWriter, r *http.Request, a auth.Actor) (surveyListView, bool) {
	list, err := s.app.Surveys(r.Context())
	if err != nil {
		s.refuse(w, r, err)
		return surveyListView{}, false
	}
	agr := r.URL.Query().Get("agreement")
	f := newListFilter("/enkater", r, agr, s.allAgreements(agr), surveyPhases)
	f.AnyAgreement, f.QueryLabel = true, "Enkät"
	now := s.app.Clock.Now()
	var lines []surveyLine
	for _, sv := range list {
		l := surveyLine{S: sv, Org: a.Org, Opens: sv.Opens.Format(time.DateOnly), Closes: sv.Closes.Format(time.DateOnly),
			Invited: sv.Invited(a.Org) && grant.CanAnswerSurvey(a, a.Org) == nil,
			Results: grant.CanReadAll(a) == nil, Run: grant.CanRunSurvey(a, sv.Owner) == nil, Phase: sv.PhaseAt(now)}
		if l.Invited {
			if _, resp, err := s.app.SurveyResponse(r.Context(), a, sv.ID, a.Org); err == nil {
				l.Started, l.Submitted = !resp.At.IsZero(), resp.Submitted
			}
		}
		if !(l.Invited || l.Results || l.Run) {
			continue
		}
		if full, err := s.app.Survey(r.Context(), sv.ID); err == nil && full.Template != nil { // the list carries no template
			l.Agreement = full.Template.Agreement
		}
		if agr == "" || l.Agreement == agr {
			lines = append(lines, l)
		}
	}
	kept := listing.Keep(f.Filter, lines, func(l surveyLine) (string, []string) { return string(l.Phase), []string{l.S.Title, l.S.ID} })
	f.counted(len(kept), len(lines))
	return surveyListView{Lines: kept, Filter: f}, true
}

// surveyListExport is the survey list as a workbook, filtered as the page
// is.
func (s *server) surveyListExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.surveyLines(w, r, sess.Actor())
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Enkäter", Title: "Enkäter",
		Headers: []string{"Enkät-id", "Enkät", "Överenskommelse", "Öppnar", "Stänger", "Läge", "Inbjudna", "Ert svar"}}
	for _, l := range v.Lines {
		answer := ""
		switch {
		case l.Submitted:
			answer = "inskickat"
		case l.Started:
			answer = "påbörjat"
		case l.Invited:
			answer = "inte besvarat"
		}
		t.Add(l.S.ID, l.S.Title, l.Agreement, l.Opens, l.Closes, l.Phase.Swedish(), len(l.S.Recipients), answer)
	}
	s.sendXLSX(w, r, "enkater.xlsx", t)
}

// surveyAnswerView is an organisation's answers to a survey on one page,
// with the button that submits them.
type surveyAnswerView struct {
	S          survey.Survey
	Resp       survey.Response
	Recipient  string
	Name       string
	Closes     string
	Sections   []sectionAnswersView
	Open       bool
	Errors     formErrors
	ErrorLines []errorLine
}

func (s *server) surveyOverview(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showSurveyAnswers(w, r, sess, http.StatusOK, formErrors{})
}

func (s *server) showSurveyAnswers(w http.ResponseWriter, r *http.Request, sess *session, status int, errs formErrors) {
	a, rec := sess.Actor(), r.PathValue("recipient")
	sv, resp, err := s.app.SurveyResponse(r.Context(), a, r.PathValue("id"), rec)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := surveyAnswerView{S: sv, Resp: resp, Recipient: rec, Name: s.orgName(r, rec), Closes: sv.Closes.Format(time.DateOnly),
		Open: sv.CheckOpen(s.app.Clock.Now()) == nil && grant.CanAnswerSurvey(a, rec) == nil, Errors: errs, ErrorLines: errorLines(sv.Template, errs.Fields)}
	for _, sec := range sv.Template.Sections {
		sa := sectionAnswersView{Section: sec}
		for _, q := range sec.Questions {
			if lines := q.AnswerText(resp.Answers[q.ID]); len(resp.Answers[q.ID]) > 0 && len(lines) > 0 {
				sa.Lines = append(sa.Lines, answerLine{q.Text, lines})
			}
		}
		v.Sections = append(v.Sections, sa)
	}
	s.render(w, r, status, "survey_answers.html", sv.Title, v)
}

// surveySectionView is one section of the survey's form.
type surveySectionView struct {
	S             survey.Survey
	Recipient     string
	Section       questionnaire.Section
	Number, Count int
	Questions     []questionInput
	Errors        formErrors
	ErrorLines    []errorLine
	Last          bool
}

func (s *server) surveySection(w http.ResponseWriter, r *http.Request, sess *session) {
	a, rec := sess.Actor(), r.PathValue("recipient")
	sv, resp, err := s.app.SurveyResponse(r.Context(), a, r.PathValue("id"), rec)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	if sv.CheckOpen(s.app.Clock.Now()) != nil || grant.CanAnswerSurvey(a, rec) != nil {
		http.Redirect(w, r, "/enkater/"+sv.ID+"/svar/"+rec, http.StatusSeeOther)
		return
	}
	s.renderSurveySection(w, r, http.StatusOK, sv, resp.Answers, answerInputs(sv.Template, resp.Answers), formErrors{})
}

// renderSurveySection shows a section's questions; a question whose
// visible_if looks at an earlier section's answer is left out unless that
// answer shows it (a question of the same section says when it is asked,
// and the server drops its answer when it is not).
func (s *server) renderSurveySection(w http.ResponseWriter, r *http.Request, status int, sv survey.Survey, saved questionnaire.Answers, values map[string][]string, errs formErrors) {
	t := sv.Template
	i := sectionIndex(t, r.PathValue("section"))
	if i < 0 {
		s.notFound(w, r)
		return
	}
	sec := t.Sections[i]
	v := surveySectionView{S: sv, Recipient: r.PathValue("recipient"), Section: sec, Number: i + 1, Count: len(t.Sections),
		Errors: errs, ErrorLines: errorLines(t, errs.Fields), Last: i+1 == len(t.Sections)}
	for _, in := range s.inputsOf(t, sec, "", values, errs.Fields) {
		if hiddenByEarlier(t, sec, in.Q, saved) {
			continue
		}
		v.Questions = append(v.Questions, in)
	}
	s.render(w, r, status, "survey_section.html", sec.Title, v)
}

// hiddenByEarlier reports whether the question's visible_if looks at a
// question of an earlier section whose saved answer does not show it.
func hiddenByEarlier(t *questionnaire.Template, sec questionnaire.Section, q questionnaire.Question, saved questionnaire.Answers) bool {
	if q.VisibleIf == nil {
		return false
	}
	target, tsec, _ := t.Question(q.VisibleIf.Question)
	if tsec.ID == sec.ID {
		return false
	}
	return string(saved[target.ID]) != `"`+q.VisibleIf.Equals+`"`
}

func (s *server) surveySave(w http.ResponseWriter, r *http.Request, sess *session) {
	a, rec := sess.Actor(), r.PathValue("recipient")
	sv, resp, err := s.app.SurveyResponse(r.Context(), a, r.PathValue("id"), rec)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	i := sectionIndex(sv.Template, r.PathValue("section"))
	if i < 0 {
		s.notFound(w, r)
		return
	}
	sec := sv.Template.Sections[i]
	typed := sectionAnswers(r.PostForm, sec, questionnaire.Context{})
	merged := questionnaire.Answers{}
	for id, v := range resp.Answers {
		merged[id] = v
	}
	for _, q := range sec.Questions {
		delete(merged, q.ID)
	}
	for id, v := range typed {
		merged[id] = v
	}
	if _, err := s.app.AnswerSurvey(r.Context(), a, sv.ID, rec, merged, false, survey.SourceWeb); err != nil {
		if fault.CodeOf(err) != fault.Invalid {
			s.refuse(w, r, err)
			return
		}
		s.renderSurveySection(w, r, http.StatusUnprocessableEntity, sv, resp.Answers, answerInputs(sv.Template, typed), errorsOf(err))
		return
	}
	next := "/enkater/" + sv.ID + "/svar/" + rec
	if i+1 < len(sv.Template.Sections) && r.PostFormValue("then") != "overview" {
		next += "/avsnitt/" + sv.Template.Sections[i+1].ID
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) surveySubmit(w http.ResponseWriter, r *http.Request, sess *session) {
	a, rec := sess.Actor(), r.PathValue("recipient")
	sv, resp, err := s.app.SurveyResponse(r.Context(), a, r.PathValue("id"), rec)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	if _, err := s.app.AnswerSurvey(r.Context(), a, sv.ID, rec, resp.Answers, true, survey.SourceWeb); err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showSurveyAnswers(w, r, sess, http.StatusUnprocessableEntity, errorsOf(err))
		return
	}
	http.Redirect(w, r, "/enkater/"+sv.ID+"/svar/"+rec, http.StatusSeeOther)
}

// resultTable is a printed table with its chart.
type resultTable struct {
	T     survey.Table
	Chart template.HTML // server-rendered SVG, its text escaped by survey.SVG
}

type surveyResultsView struct {
	S       survey.Survey
	Res     survey.Results
	Summary string
	Tables  []resultTable
	Other   []survey.QuestionResult // integer, table and text questions
	Run     bool
}

func (s *server) surveyResults(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	sv, res, err := s.app.SurveyResults(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := surveyResultsView{S: sv, Res: res, Summary: res.Summary(), Run: grant.CanRunSurvey(a, sv.Owner) == nil}
	for _, t := range survey.Tables(res, app.SurveySource(sv)) {
		v.Tables = append(v.Tables, resultTable{T: t, Chart: template.HTML(survey.SVG(t))}) // #nosec: SVG escapes every text
	}
	for _, q := range res.Questions {
		if len(q.Options) == 0 {
			v.Other = append(v.Other, q)
		}
	}
	s.render(w, r, http.StatusOK, "survey_results.html", "Resultat: "+sv.Title, v)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *server) surveyResultsFile(w http.ResponseWriter, r *http.Request, sess *session) {
	sv, res, err := s.app.SurveyResults(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	tables := survey.Tables(res, app.SurveySource(sv))
	var buf bytes.Buffer
	if path := r.URL.Path; len(path) > 5 && path[len(path)-5:] == ".xlsx" {
		err = survey.WriteXLSX(&buf, res.Title, res.Summary(), tables)
		if err == nil {
			attach(w, xlsxType, "enkatresultat-"+sv.ID+".xlsx", buf.Bytes())
		}
	} else if err = survey.WriteCSV(&buf, res.Title, res.Summary(), tables); err == nil {
		attach(w, "text/csv; charset=utf-8", "enkatresultat-"+sv.ID+".csv", buf.Bytes())
	}
	if err != nil {
		s.serverError(w, r, err)
	}
}

func (s *server) surveyAnswersFile(w http.ResponseWriter, r *http.Request, sess *session) {
	sv, e, err := s.app.SurveyAnswers(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	var buf bytes.Buffer
	if path := r.URL.Path; len(path) > 5 && path[len(path)-5:] == ".xlsx" {
		err = e.WriteXLSX(&buf, sv.Title)
		if err == nil {
			attach(w, xlsxType, "enkatsvar-"+sv.ID+".xlsx", buf.Bytes())
		}
	} else if err = e.WriteCSV(&buf); err == nil {
		attach(w, "text/csv; charset=utf-8", "enkatsvar-"+sv.ID+".csv", buf.Bytes())
	}
	if err != nil {
		s.serverError(w, r, err)
	}
}

type surveyRemindersView struct {
	F       app.SurveyFollowUp
	Names   map[string]string
	Errors  formErrors
	Invited int
}

func (s *server) surveyReminders(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showSurveyReminders(w, r, sess, http.StatusOK, formErrors{})
}

func (s *server) showSurveyReminders(w http.ResponseWriter, r *http.Request, sess *session, status int, errs formErrors) {
	f, err := s.app.SurveyMissing(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := surveyRemindersView{F: f, Names: map[string]string{}, Errors: errs, Invited: len(f.Survey.Recipients)}
	for _, rem := range f.Reminders {
		v.Names[rem.Recipient] = s.orgName(r, rem.Recipient)
	}
	s.render(w, r, status, "survey_reminders.html", "Påminnelser: "+f.Survey.Title, v)
}

func (s *server) surveyRemind(w http.ResponseWriter, r *http.Request, sess *session) {
	recipients := slices.DeleteFunc(r.PostForm["recipient"], func(x string) bool { return x == "" })
	if _, err := s.app.RemindSurvey(r.Context(), sess.Actor(), r.PathValue("id"), recipients); err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showSurveyReminders(w, r, sess, http.StatusUnprocessableEntity, errorsOf(err))
		return
	}
	http.Redirect(w, r, "/enkater/"+r.PathValue("id")+"/paminnelser", http.StatusSeeOther)
}
