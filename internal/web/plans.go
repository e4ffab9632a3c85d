package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/money"
	"narvard/internal/plan"
)

// The web pages of a recipient's own plan: its versions, the plan against
// the frames with the board's decision, the form for the measures, and
// the plan against the books read in from a SIE or CSV file.
func (s *server) planRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /planer", s.signedIn(s.plansHome))
	mux.HandleFunc("GET /planer.xlsx", s.signedIn(s.plansExport))
	mux.HandleFunc("GET /planer/ny", s.signedIn(s.planNewForm))
	mux.HandleFunc("POST /planer/ny", s.signedIn(s.planCreate))
	mux.HandleFunc("GET /planer/{id}", s.signedIn(s.planPage))
	mux.HandleFunc("GET /planer/{id}/andra", s.signedIn(s.planEditForm))
	mux.HandleFunc("GET /planer/{id}/beslutsunderlag.pdf", s.signedIn(s.planBasis))
	mux.HandleFunc("POST /planer/{id}/andra", s.signedIn(s.planUpdate))
	mux.HandleFunc("POST /planer/{id}/besluta", s.signedIn(s.planDecide))
	mux.HandleFunc("POST /planer/{id}/prognos", s.signedIn(s.planForecast))
	mux.HandleFunc("POST /planer/{id}/utfall", s.signedInUploadOf(app.MaxOutcomeFile+1<<20, s.planOutcome))
}

// blankMeasures is how many empty rows the form offers after the
// measures written: "add a measure" without JavaScript.
const blankMeasures = 3

// plansView is a recipient's plans under an agreement.
type plansView struct {
	Agreement, AgreementName string
	Recipient, RecipientName string
	Agreements               []agreementLink
	Plans                    []plan.Plan
	CanDraft                 bool
	HasDraft                 bool
	Filter                   listFilter
}

// planRecipient is the recipient a page is about: ?recipient= for those
// who read everything, else the user's own organisation.
func planRecipient(r *http.Request, a auth.Actor) string {
	if id := r.URL.Query().Get("recipient"); id != "" {
		return id
	}
	return a.Org
}

func (s *server) plansHome(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.plansList(w, r, sess.Actor())
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "plans.html", "Plan för medlen", v)
}

// planStatuses are the plan list's status menu.
var planStatuses = statusOptions(plan.Draft, plan.Decided, plan.Replaced)

// planKey is a plan's status and texts for the filter: its id, who wrote
// it and the body that decided it.
func planKey(p plan.Plan) (string, []string) {
	return string(p.Status), []string{p.ID, p.CreatedBy, p.Decision.Body, p.Decision.Paragraph}
}

// plansList reads the recipient's plans, newest first, as the filter
// narrows them.
func (s *server) plansList(w http.ResponseWriter, r *http.Request, a auth.Actor) (plansView, bool) {
	recipient := planRecipient(r, a)
	if err := grant.CanRead(a, recipient); err != nil {
		s.forbidden(w, r, err.Error())
		return plansView{}, false
	}
	ag, ok := s.pageAgreement(w, r, recipient)
	if !ok {
		return plansView{}, false
	}
	list, err := s.app.Plans(r.Context(), a, ag.ID, recipient)
	if err != nil {
		s.refuse(w, r, err)
		return plansView{}, false
	}
	v := plansView{Agreement: ag.ID, AgreementName: ag.Name, Recipient: recipient, Agreements: s.agreementLinks(r, recipient, ag.ID),
		CanDraft: grant.CanDraftPlan(a, recipient) == nil}
	v.RecipientName = s.orgName(r, recipient)
	var all []plan.Plan
	for i := len(list) - 1; i >= 0; i-- { // newest first
		all = append(all, list[i])
		v.HasDraft = v.HasDraft || list[i].Status == plan.Draft
	}
	v.Filter = newListFilter("/planer", r, ag.ID, nil, planStatuses)
	v.Filter.QueryLabel = "Sök (version, skriven av, beslut)"
	if r.URL.Query().Get("recipient") != "" {
		v.Filter.Keep = map[string]string{"recipient": recipient}
	}
	v.Plans = listing.Keep(v.Filter.Filter, all, planKey)
	v.Filter.counted(len(v.Plans), len(all))
	return v, true
}

// plansExport is the recipient's plans as a workbook, filtered as the
// page is: one row per version with its planned total.
func (s *server) plansExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.plansList(w, r, sess.Actor())
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Planer", Title: "Plan för medlen, " + v.RecipientName,
		Headers: []string{"Mottagare-id", "Mottagare", "Plan", "Version", "Läge", "Beslutande organ", "Beslutsdatum", "Paragraf", "Insatser", "Planerat belopp", "Skriven av", "Skriven"}}
	for _, p := range v.Plans {
		var sum money.Kr
		for _, m := range p.Measures {
			if m.Amount != nil {
				sum += *m.Amount
			}
		}
		t.Add(p.Recipient, v.RecipientName, p.ID, p.Version, p.Status.Swedish(), p.Decision.Body, p.Decision.Date, p.Decision.Paragraph,
			len(p.Measures), sum, p.CreatedBy, dateText(p.CreatedAt))
	}
	s.sendXLSX(w, r, "planer-"+v.Recipient+"-"+v.Agreement+".xlsx", t)
}

// planFormView is the form for the measures.
type planFormView struct {
	ID                       string // "" for a new plan
	Agreement, AgreementName string
	RecipientName            string
	Frames                   []plan.Frame
	Rows                     []planFormRow
	Dimension                string
	Errors                   formErrors
	Current                  *existingDoc // the plan in force, which a new plan becomes the next version of
}

// planFormRow is one measure's inputs, by its index in the form.
type planFormRow struct {
	I                                                                        int
	Component, Area, Goal, Measure, Purpose, Amount, CostObject, Responsible string
	Private                                                                  bool
}

// E is the message for field name of the row's measure.
func (v planFormView) E(i int, name string) string {
	return v.Errors.Fields[fmt.Sprintf("measures[%d].%s", i, name)]
}

// Summary is the messages not about one field of a row.
func (v planFormView) Summary() []string {
	var out []string
	for k, msg := range v.Errors.Fields {
		if !strings.HasPrefix(k, "measures[") {
			out = append(out, msg)
		}
	}
	return out
}

// rowsOf puts measures into the form, with blank rows after them.
func rowsOf(measures []plan.Measure) []planFormRow {
	rows := make([]planFormRow, 0, len(measures)+blankMeasures)
	for i, m := range measures {
		row := planFormRow{I: i, Component: m.Component, Area: m.Area, Goal: m.Goal, Measure: m.Measure, Purpose: m.Purpose,
			CostObject: m.CostObject, Responsible: m.Responsible, Private: m.PrivateProviders}
		if m.Amount != nil {
			row.Amount = money.Group(int64(*m.Amount))
		}
		rows = append(rows, row)
	}
	for i := len(measures); i < len(measures)+blankMeasures; i++ {
		rows = append(rows, planFormRow{I: i})
	}
	return rows
}

func (s *server) planNewForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	if err := grant.CanDraftPlan(a, a.Org); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	ag, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return
	}
	// A new version starts from the plan in force.
	var measures []plan.Measure
	dim := plan.DefaultSIEDimension
	var current *existingDoc
	if cur, found, err := s.app.CurrentPlan(r.Context(), a, ag.ID, a.Org); err == nil && found {
		measures, dim = cur.Measures, cur.SIEDimension
		d := s.existing(r, "en plan", ag.ID, a.Org, fmt.Sprintf("Plan för medlen, version %d", cur.Version), cur.Status.Swedish(), "/planer/"+cur.ID)
		current = &d
	}
	v := planFormView{Agreement: ag.ID, Rows: rowsOf(measures), Dimension: strconv.Itoa(dim), Current: current}
	s.renderPlanForm(w, r, a, http.StatusOK, v)
}

func (s *server) renderPlanForm(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v planFormView) {
	ag, err := s.agreements.Get(v.Agreement)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", v.Agreement))
		return
	}
	v.AgreementName, v.RecipientName = ag.Name, s.orgName(r, a.Org)
	if al, ok := s.app.Allocation(ag.ID, a.Org); ok {
		for _, c := range al.Components {
			v.Frames = append(v.Frames, plan.Frame{Component: c.ID, Label: c.Label, Amount: c.Amount, Earmarked: c.Earmarked})
		}
	}
	s.render(w, r, status, "plan_form.html", "Plan för medlen", v)
}

// measuresOf reads the form's rows; a row left wholly empty is no
// measure. An amount left empty is "ej fördelat".
func measuresOf(form url.Values) ([]plan.Measure, []planFormRow, fault.Fields) {
	bad := fault.Fields{}
	var measures []plan.Measure
	var rows []planFormRow
	for i := 0; i < plan.MaxMeasures+blankMeasures; i++ {
		p := fmt.Sprintf("m%d.", i)
		if _, ok := form[p+"measure"]; !ok {
			break
		}
		row := planFormRow{I: len(measures), Component: form.Get(p + "component"), Area: form.Get(p + "area"), Goal: form.Get(p + "goal"),
			Measure: form.Get(p + "measure"), Purpose: form.Get(p + "purpose"), Amount: strings.TrimSpace(form.Get(p + "amount")),
			CostObject: strings.TrimSpace(form.Get(p + "cost_object")), Responsible: form.Get(p + "responsible"), Private: form.Get(p+"private") != ""}
		if strings.TrimSpace(row.Area+row.Goal+row.Measure+row.Purpose+row.Amount+row.CostObject+row.Responsible) == "" {
			continue
		}
		m := plan.Measure{Component: row.Component, Area: strings.TrimSpace(row.Area), Goal: strings.TrimSpace(row.Goal),
			Measure: strings.TrimSpace(row.Measure), Purpose: strings.TrimSpace(row.Purpose), CostObject: row.CostObject,
			Responsible: strings.TrimSpace(row.Responsible), PrivateProviders: row.Private}
		if row.Amount != "" {
			k, ok := parseKr(row.Amount)
			if !ok {
				bad.Add(fmt.Sprintf("measures[%d].amount_kr", row.I), "Insats %d: ange beloppet i hela kronor, eller lämna tomt för ej fördelat.", row.I+1)
			}
			m.Amount = &k
		}
		measures = append(measures, m)
		rows = append(rows, row)
	}
	for i := 0; i < blankMeasures; i++ {
		rows = append(rows, planFormRow{I: len(rows)})
	}
	return measures, rows, bad
}

func dimensionOf(text string) (int, bool) {
	if strings.TrimSpace(text) == "" {
		return plan.DefaultSIEDimension, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(text))
	return n, err == nil
}

func (s *server) planCreate(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	if err := grant.CanDraftPlan(a, a.Org); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	ag, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return
	}
	measures, rows, bad := measuresOf(r.PostForm)
	v := planFormView{Agreement: ag.ID, Rows: rows, Dimension: r.PostFormValue("sie_dimension")}
	dim, ok := dimensionOf(v.Dimension)
	if !ok {
		bad.Add("sie_dimension", "Ange SIE-dimensionen för kostnadsobjekten som ett tal, 1 för kostnadsställe.")
	}
	if err := bad.Err(); err != nil {
		v.Errors = errorsOf(err)
		s.renderPlanForm(w, r, a, http.StatusUnprocessableEntity, v)
		return
	}
	p, err := s.app.CreatePlan(r.Context(), a, ag.ID, a.Org, app.PlanInput{Measures: measures, SIEDimension: dim})
	if err != nil {
		s.planFormError(w, r, a, v, err)
		return
	}
	http.Redirect(w, r, "/planer/"+p.ID, http.StatusSeeOther)
}

// planFormError shows the form again with a refusal the user can correct;
// others are refused.
func (s *server) planFormError(w http.ResponseWriter, r *http.Request, a auth.Actor, v planFormView, err error) {
	switch fault.CodeOf(err) {
	case fault.Invalid, fault.Conflict:
		v.Errors = errorsOf(err)
		if fault.CodeOf(err) == fault.Conflict {
			v.Errors.Fields = map[string]string{"plan": err.Error()}
		}
		s.renderPlanForm(w, r, a, http.StatusUnprocessableEntity, v)
	default:
		s.refuse(w, r, err)
	}
}

func (s *server) planEditForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	p, err := s.app.Plan(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	if err := grant.CanDraftPlan(a, p.Recipient); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	v := planFormView{ID: p.ID, Agreement: p.Agreement, Rows: rowsOf(p.Measures), Dimension: strconv.Itoa(p.SIEDimension)}
	s.renderPlanForm(w, r, a, http.StatusOK, v)
}

func (s *server) planUpdate(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	id := r.PathValue("id")
	p, err := s.app.Plan(r.Context(), a, id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	measures, rows, bad := measuresOf(r.PostForm)
	v := planFormView{ID: id, Agreement: p.Agreement, Rows: rows, Dimension: r.PostFormValue("sie_dimension")}
	dim, ok := dimensionOf(v.Dimension)
	if !ok {
		bad.Add("sie_dimension", "Ange SIE-dimensionen för kostnadsobjekten som ett tal, 1 för kostnadsställe.")
	}
	if err := grant.CanDraftPlan(a, p.Recipient); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	if err := bad.Err(); err != nil {
		v.Errors = errorsOf(err)
		s.renderPlanForm(w, r, a, http.StatusUnprocessableEntity, v)
		return
	}
	if _, err := s.app.UpdatePlan(r.Context(), a, id, app.PlanInput{Measures: measures, SIEDimension: dim}); err != nil {
		s.planFormError(w, r, a, v, err)
		return
	}
	http.Redirect(w, r, "/planer/"+id, http.StatusSeeOther)
}

func (s *server) planDecide(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	id := r.PathValue("id")
	values := formValues(r, "body", "date", "paragraph")
	d := plan.Decision{Body: values["body"], Date: values["date"], Paragraph: values["paragraph"]}
	if _, err := s.app.DecidePlan(r.Context(), a, id, d); err != nil {
		s.planPageError(w, r, a, id, values, err)
		return
	}
	http.Redirect(w, r, "/planer/"+id, http.StatusSeeOther)
}

// planOutcome reads the uploaded file of the books (the part "file",
// after the CSRF token) and shows the plan against it.
func (s *server) planOutcome(w http.ResponseWriter, r *http.Request, sess *session, mr *multipart.Reader) {
	a := sess.Actor()
	id := r.PathValue("id")
	name, data, err := uploadPart(mr, "file")
	if err != nil {
		s.planPageError(w, r, a, id, nil, err)
		return
	}
	res, err := s.app.ImportOutcome(r.Context(), a, id, name, data)
	if err != nil {
		s.planPageError(w, r, a, id, nil, err)
		return
	}
	read := "ny"
	if !res.Added {
		read = "samma"
	}
	http.Redirect(w, r, "/planer/"+id+"?inlast="+read+"#utfall", http.StatusSeeOther)
}

// uploadPart reads the named file part of a multipart form.
func uploadPart(mr *multipart.Reader, field string) (string, []byte, error) {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", nil, fault.Fields{"file": "Välj en fil att läsa in."}.Err()
		}
		if err != nil {
			return "", nil, fault.Fields{"file": "Filen kunde inte tas emot: " + err.Error()}.Err()
		}
		if p.FormName() != field {
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return "", nil, fault.New(fault.TooLarge, "Filen är större än %d MB.", app.MaxOutcomeFile>>20)
		}
		if p.FileName() == "" || len(data) == 0 {
			return "", nil, fault.Fields{"file": "Välj en fil att läsa in."}.Err()
		}
		return p.FileName(), data, nil
	}
}

// planBasis downloads the plan's decision basis for the board.
func (s *server) planBasis(w http.ResponseWriter, r *http.Request, sess *session) {
	b, err := s.app.DecisionBasisPDF(r.Context(), sess.Actor(), r.PathValue("id"), r.URL.Query().Get("organ"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/pdf", "beslutsunderlag-"+r.PathValue("id")+".pdf", b)
}

// planForecast saves the officer's own forecasts, one field per cost
// object ("forecast.9917"); an empty field is the straight line.
func (s *server) planForecast(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	id := r.PathValue("id")
	p, err := s.app.Plan(r.Context(), a, id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	values := map[string]string{}
	forecasts := map[string]*money.Kr{}
	bad := fault.Fields{}
	for _, object := range p.CostObjects() {
		name := "forecast." + object
		text := strings.TrimSpace(r.PostFormValue(name))
		values[name] = text
		if text == "" {
			forecasts[object] = nil
			continue
		}
		k, ok := parseKr(text)
		if !ok {
			bad.Add(name, "Prognosen för kostnadsobjekt %s ska vara hela kronor.", object)
			continue
		}
		forecasts[object] = &k
	}
	if err := grant.CanDraftPlan(a, p.Recipient); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	if err := bad.Err(); err != nil {
		s.planPageError(w, r, a, id, values, err)
		return
	}
	if _, err := s.app.SetPlanForecasts(r.Context(), a, id, forecasts); err != nil {
		s.planPageError(w, r, a, id, values, err)
		return
	}
	http.Redirect(w, r, "/planer/"+id+"#utfall", http.StatusSeeOther)
}
