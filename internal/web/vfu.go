package web

import (
	"net/http"
	"strconv"
	"strings"

	"narvard/internal/app"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/money"
	"narvard/internal/org"
)

// The VFU round's pages (issue 13, item 5): a report form per recipient,
// the report's page with sign and return, and the round's page: the RSS's
// county's municipalities, the paying agency's review list with its close,
// and the closed round's table.
func (s *server) vfuRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vfu", s.signedIn(s.vfuList))
	mux.HandleFunc("GET /vfu.xlsx", s.signedIn(s.vfuExport))
	mux.HandleFunc("POST /vfu/stang", s.signedIn(s.vfuClose))
	mux.HandleFunc("POST /vfu/betala", s.signedIn(s.vfuPay))
	mux.HandleFunc("GET /vfu/ny", s.signedIn(s.vfuForm))
	mux.HandleFunc("POST /vfu/ny", s.signedIn(s.vfuSave))
	mux.HandleFunc("GET /vfu/{id}", s.signedIn(s.vfuPage))
	mux.HandleFunc("GET /vfu/{id}/andra", s.signedIn(s.vfuForm))
	mux.HandleFunc("POST /vfu/{id}/andra", s.signedIn(s.vfuSave))
	mux.HandleFunc("POST /vfu/{id}/{action}", s.signedIn(s.vfuAction))
}

// vfuFieldOf is one of a VFU report's four figures: its name after the
// agreement's period and its Swedish label.
type vfuFieldOf struct {
	Name, Label string
	to          *int64
}

func vfuFields(v agreement.VFUPeriods, f *grant.VFUFigures) []vfuFieldOf {
	return []vfuFieldOf{
		{"weeks_" + v.BasePeriod, "Antal VFU-veckor " + v.BaseLabel, &f.WeeksBase},
		{"places_" + v.BasePeriod, "Antal VFU-platser " + v.BaseLabel, &f.PlacesBase},
		{"weeks_" + v.CurrentPeriod, "Antal VFU-veckor " + v.CurrentLabel, &f.WeeksCurrent},
		{"places_" + v.CurrentPeriod, "Antal VFU-platser " + v.CurrentLabel, &f.PlacesCurrent},
	}
}

// vfuFormView is the VFU report form for one recipient.
type vfuFormView struct {
	ID, Agreement, AgreementName, Recipient, RecipientName string
	Periods                                                agreement.VFUPeriods
	Fields                                                 []field
	Errors                                                 formErrors
}

// Labelled is the form's field messages with the fields' labels, in the
// form's order.
func (v vfuFormView) Labelled() []field {
	var out []field
	for _, f := range v.Fields {
		if f.Error != "" {
			out = append(out, f)
		}
	}
	return out
}

func (s *server) orgName(r *http.Request, id string) string {
	if o, err := s.app.Organisation(r.Context(), id); err == nil && o.Name != "" {
		return o.Name
	}
	return id
}

func (s *server) vfuForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	v := vfuFormView{ID: r.PathValue("id")}
	values := map[string]string{}
	if v.ID != "" {
		rep, err := s.app.VFUReport(r.Context(), a, v.ID)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		v.Agreement, v.Recipient = rep.Agreement, rep.Recipient
		ag, err := s.agreements.Get(rep.Agreement)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		f := rep.VFUFigures
		for _, c := range vfuFields(ag.VFU, &f) {
			values[c.Name] = strconv.FormatInt(*c.to, 10)
		}
	} else {
		v.Recipient = r.URL.Query().Get("recipient")
		if v.Recipient == "" {
			v.Recipient = a.Org
		}
		ag, ok := s.pageAgreement(w, r, v.Recipient)
		if !ok {
			return
		}
		v.Agreement = ag.ID
		if d, ok := s.existingVFU(r, a, ag.ID, v.Recipient); ok && grant.CanReportVFU(a, v.Recipient) == nil {
			s.showExisting(w, r, http.StatusOK, d)
			return
		}
	}
	s.renderVFUForm(w, r, a, http.StatusOK, v, values)
}

func (s *server) renderVFUForm(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v vfuFormView, values map[string]string) {
	if err := grant.CanReportVFU(a, v.Recipient); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	ag, err := s.agreements.Get(v.Agreement)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", v.Agreement))
		return
	}
	if _, ok := grant.VFUComponent(ag); !ok {
		s.refuse(w, r, fault.New(fault.NotFound, "%s har inga VFU-medel.", ag.Name))
		return
	}
	v.AgreementName, v.Periods, v.RecipientName = ag.Name, ag.VFU, s.orgName(r, v.Recipient)
	var f grant.VFUFigures
	v.Fields = nil
	for _, c := range vfuFields(ag.VFU, &f) {
		v.Fields = append(v.Fields, field{Name: c.Name, Label: c.Label, Type: "text", Value: values[c.Name], Error: v.Errors.Fields[c.Name]})
	}
	s.render(w, r, status, "vfu_form.html", "VFU-redovisning", v)
}

// vfuFiguresOf reads the VFU form's figures, and what was typed to show
// again; every field that is not a whole number is named in the error.
func vfuFiguresOf(r *http.Request, ag *agreement.Agreement) (grant.VFUFigures, map[string]string, error) {
	var f grant.VFUFigures
	values := map[string]string{}
	bad := fault.Fields{}
	for _, c := range vfuFields(ag.VFU, &f) {
		values[c.Name] = r.PostFormValue(c.Name)
		n, ok := parseCount(values[c.Name])
		if !ok {
			bad.Add(c.Name, "Ange ett helt tal, noll eller större.")
			continue
		}
		*c.to = n
	}
	return f, values, bad.Err()
}

func (s *server) vfuSave(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	v := vfuFormView{ID: id}
	if id != "" {
		rep, err := s.app.VFUReport(ctx, a, id)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		v.Agreement, v.Recipient = rep.Agreement, rep.Recipient
	} else {
		v.Recipient = strings.TrimSpace(r.PostFormValue("recipient"))
		if v.Recipient == "" {
			v.Recipient = a.Org
		}
		if err := grant.CanReportVFU(a, v.Recipient); err != nil {
			s.forbidden(w, r, err.Error())
			return
		}
		ag, ok := s.pageAgreement(w, r, v.Recipient)
		if !ok {
			return
		}
		v.Agreement = ag.ID
	}
	ag, err := s.agreements.Get(v.Agreement)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	f, values, err := vfuFiguresOf(r, ag)
	var saved grant.VFUReport
	if err == nil {
		if id == "" {
			saved, err = s.app.CreateVFUReport(ctx, a, v.Agreement, v.Recipient, f)
		} else {
			saved, err = s.app.CorrectVFUReport(ctx, a, id, f)
		}
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		if s.conflictExisting(w, r, err, func() (existingDoc, bool) { return s.existingVFU(r, a, v.Agreement, v.Recipient) }) {
			return
		}
		v.Errors = errorsOf(err)
		s.renderVFUForm(w, r, a, http.StatusUnprocessableEntity, v, values)
		return
	}
	http.Redirect(w, r, "/vfu/"+saved.ID, http.StatusSeeOther)
}

// vfuFigure is one figure of a report with its label.
type vfuFigure struct {
	Label string
	N     int64
}

// vfuPageView is one VFU report and what the user may do with it.
type vfuPageView struct {
	Rep                                           grant.VFUReport
	RecipientName, ReportedForName, AgreementName string
	Figures                                       []vfuFigure
	CanEdit, CanSign, CanReturn                   bool
	Error                                         string
	Changes                                       []app.HistoryEntry
}

func (s *server) vfuPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showVFU(w, r, sess, http.StatusOK, "")
}

func (s *server) showVFU(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	a := sess.Actor()
	rep, err := s.app.VFUReport(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	ag, err := s.agreements.Get(rep.Agreement)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	round, _ := s.app.VFURound(r.Context(), ag.ID)
	open := round.Status != grant.VFUClosed
	c, _ := grant.VFUComponent(ag)
	v := vfuPageView{Rep: rep, RecipientName: s.orgName(r, rep.Recipient), ReportedForName: s.orgName(r, rep.ReportedFor), AgreementName: ag.Name, Error: msg}
	f := rep.VFUFigures
	for _, x := range vfuFields(ag.VFU, &f) {
		v.Figures = append(v.Figures, vfuFigure{x.Label, *x.to})
	}
	changeable := open && (rep.Status == grant.VFUDraft || rep.Status == grant.VFUReturned)
	v.CanEdit = changeable && grant.CanReportVFU(a, rep.Recipient) == nil
	v.CanSign = changeable && grant.CanSignVFU(a, rep.Recipient) == nil
	v.CanReturn = open && rep.Status == grant.VFUSubmitted && grant.CanReviewVFU(a, c.Payer) == nil
	if v.Changes, err = s.app.History(r.Context(), a, "vfu:"+rep.ID); err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, status, "vfu.html", "VFU-redovisning "+rep.ID, v)
}

func (s *server) vfuAction(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	var err error
	var rep grant.VFUReport
	switch r.PathValue("action") {
	case "signera":
		rep, err = s.app.SignVFUReport(ctx, a, id)
	case "skicka-tillbaka":
		rep, err = s.app.ReturnVFUReport(ctx, a, id, r.PostFormValue("reason"))
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showVFU(w, r, sess, http.StatusUnprocessableEntity, refusalText(err))
		return
	}
	if r.PathValue("action") == "skicka-tillbaka" {
		http.Redirect(w, r, vfuRoundOf(rep.Agreement), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/vfu/"+id, http.StatusSeeOther)
}

// vfuLine is a recipient on the round's page: its report, if any, and
// whether the user may write it.
type vfuLine struct {
	Recipient, Name string
	Report          *grant.VFUReport
	CanWrite        bool
	CanReturn       bool
}

// vfuRowView is a row of the closed round's table.
type vfuRowView struct {
	Recipient, Name string
	Okning          int64
	Amount          money.Kr
}

// vfuListView is the round's page.
type vfuListView struct {
	Agreement, AgreementName string
	Periods                  agreement.VFUPeriods
	Deadline                 string
	Closed                   bool
	Lines                    []vfuLine
	Coordinated              bool // the RSS's page: its county's municipalities
	Reviewer                 bool // the paying agency's follow-up officer
	Rows                     []vfuRowView
	Total                    money.Kr
	Error                    string
	Payout                   *vfuPayout // for a payer of the agency that pays VFU, once the round is closed
	Filter                   listFilter
}

func (s *server) vfuList(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showVFUList(w, r, sess, http.StatusOK, "")
}

func (s *server) showVFUList(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	v, ok := s.vfuView(w, r, sess, msg)
	if !ok {
		return
	}
	s.render(w, r, status, "vfu_list.html", "VFU-omgången", v)
}

// vfuStatuses are the VFU list's status menu.
var vfuStatuses = append([]listing.Option{{Value: listing.None, Label: "ej redovisad"}},
	statusOptions(grant.VFUDraft, grant.VFUSubmitted, grant.VFUReturned)...)

// vfuKey is a VFU line's status and texts for the filter.
func vfuKey(l vfuLine) (string, []string) {
	if l.Report == nil {
		return listing.None, []string{l.Recipient, l.Name}
	}
	return string(l.Report.Status), []string{l.Recipient, l.Name, l.Report.ID}
}

// vfuView reads the round's page, its lines as the filter narrows them.
func (s *server) vfuView(w http.ResponseWriter, r *http.Request, sess *session, msg string) (vfuListView, bool) {
	a, ctx := sess.Actor(), r.Context()
	ag, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return vfuListView{}, false
	}
	c, ok := grant.VFUComponent(ag)
	if !ok {
		s.refuse(w, r, fault.New(fault.NotFound, "%s har inga VFU-medel.", ag.Name))
		return vfuListView{}, false
	}
	reports, err := s.app.VFUReports(ctx, a, ag.ID)
	if err != nil {
		s.refuse(w, r, err)
		return vfuListView{}, false
	}
	round, err := s.app.VFURound(ctx, ag.ID)
	if err != nil {
		s.refuse(w, r, err)
		return vfuListView{}, false
	}
	v := vfuListView{Agreement: ag.ID, AgreementName: ag.Name, Periods: ag.VFU, Closed: round.Status == grant.VFUClosed, Error: msg,
		Reviewer: grant.CanReviewVFU(a, c.Payer) == nil}
	for _, d := range ag.Deadlines {
		if d.ID == agreement.DeadlineVFUReport {
			v.Deadline = d.Date.String()
		}
	}
	kind, _, _ := org.Parse(a.Org)
	v.Coordinated = kind == org.KindRSS
	v.Lines = s.vfuLines(r, a, v, reports)
	for _, row := range round.Rows {
		v.Rows = append(v.Rows, vfuRowView{Recipient: row.Recipient, Name: s.orgName(r, row.Recipient), Okning: row.Okning, Amount: row.Amount})
		v.Total += row.Amount
	}
	s.fillVFUPayout(r, a, c.Payer, round.BatchID, &v)
	v.Filter = newListFilter("/vfu", r, ag.ID, s.agreementLinks(r, a.Org, ag.ID), vfuStatuses)
	all := v.Lines
	v.Lines = listing.Keep(v.Filter.Filter, all, vfuKey)
	v.Filter.counted(len(v.Lines), len(all))
	return v, true
}

// vfuLines are the lines of the round's page: for an RSS its county's
// municipalities, for a region or municipality its own, for the agencies
// every report.
func (s *server) vfuLines(r *http.Request, a auth.Actor, v vfuListView, reports []grant.VFUReport) []vfuLine {
	byRecipient := map[string]*grant.VFUReport{}
	for i := range reports {
		byRecipient[reports[i].Recipient] = &reports[i]
	}
	line := func(rec, name string) vfuLine {
		l := vfuLine{Recipient: rec, Name: name, Report: byRecipient[rec]}
		l.CanWrite = !v.Closed && l.Report == nil && grant.CanReportVFU(a, rec) == nil
		l.CanReturn = !v.Closed && l.Report != nil && l.Report.Status == grant.VFUSubmitted && v.Reviewer
		return l
	}
	kind, county, _ := org.Parse(a.Org)
	var lines []vfuLine
	switch {
	case kind == org.KindRSS:
		for _, m := range geo.Municipalities() {
			if m.County == county {
				lines = append(lines, line(org.KommunID(m.Code), m.Name))
			}
		}
	case kind == org.KindRegion || kind == org.KindKommun:
		lines = append(lines, line(a.Org, s.orgName(r, a.Org)))
	default:
		for _, rep := range reports {
			lines = append(lines, line(rep.Recipient, s.orgName(r, rep.Recipient)))
		}
	}
	return lines
}

// vfuExport is the round's reports as a workbook, filtered as the page is.
func (s *server) vfuExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.vfuView(w, r, sess, "")
	if !ok {
		return
	}
	t := listing.Table{Sheet: "VFU", Title: "VFU-redovisningar, " + v.AgreementName,
		Headers: []string{"Mottagare-id", "Mottagare", "Status", "Redovisning", "Veckor " + v.Periods.BaseLabel, "Veckor " + v.Periods.CurrentLabel,
			"Platser " + v.Periods.BaseLabel, "Platser " + v.Periods.CurrentLabel, "Redovisad av", "Underskriven"}}
	for _, l := range v.Lines {
		rep := l.Report
		if rep == nil {
			t.Add(l.Recipient, l.Name, "ej redovisad", nil, nil, nil, nil, nil, nil, nil)
			continue
		}
		t.Add(l.Recipient, l.Name, rep.Status.Swedish(), rep.ID, rep.WeeksBase, rep.WeeksCurrent, rep.PlacesBase, rep.PlacesCurrent, rep.ReportedFor, dateText(rep.SignedAt))
	}
	s.sendXLSX(w, r, "vfu-"+v.Agreement+".xlsx", t)
}

func (s *server) vfuClose(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	ag, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return
	}
	if _, err := s.app.CloseVFURound(r.Context(), a, ag.ID); err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showVFUList(w, r, sess, http.StatusUnprocessableEntity, refusalText(err))
		return
	}
	http.Redirect(w, r, vfuRoundOf(ag.ID), http.StatusSeeOther)
}
