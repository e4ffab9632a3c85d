package web

import (
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
	"narvard/internal/org"
)

// The municipalities' reports to their RSS (issue 13, item 4): the
// municipality's form and page, and the RSS's list of its county's
// municipalities (who has reported, who not) with return and accept.
func (s *server) municipalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /kommunredovisningar", s.signedIn(s.municipalList))
	mux.HandleFunc("GET /kommunredovisningar.xlsx", s.signedIn(s.municipalExport))
	mux.HandleFunc("GET /kommunredovisningar/ny", s.signedIn(s.municipalForm))
	mux.HandleFunc("POST /kommunredovisningar/ny", s.signedIn(s.municipalSave))
	mux.HandleFunc("GET /kommunredovisningar/{id}", s.signedIn(s.municipalPage))
	mux.HandleFunc("GET /kommunredovisningar/{id}/andra", s.signedIn(s.municipalForm))
	mux.HandleFunc("POST /kommunredovisningar/{id}/andra", s.signedIn(s.municipalSave))
	mux.HandleFunc("POST /kommunredovisningar/{id}/{action}", s.signedIn(s.municipalAction))
}

// municipalLine is one component on the form: a cost text and an amount.
type municipalLine struct {
	Component, Label string
	Received         money.Kr
	Item, Amount     string
	Error            string
}

// municipalFormView is the municipality's form.
type municipalFormView struct {
	ID, Agreement, AgreementName, Kommun, KommunName, RSSName string
	Lines                                                     []municipalLine
	Errors                                                    formErrors
}

func (s *server) municipalForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	v := municipalFormView{ID: r.PathValue("id"), Kommun: a.Org}
	values := map[string]string{}
	received := map[string]money.Kr{}
	if v.ID != "" {
		rep, err := s.app.MunicipalReport(r.Context(), a, v.ID)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		v.Agreement, v.Kommun = rep.Agreement, rep.Kommun
		for _, c := range rep.Costs {
			values["item."+c.Component], values["amount."+c.Component] = c.Item, rawKr(c.Amount)
		}
		for _, u := range rep.Uses {
			received[u.Component] = u.Received
		}
	} else {
		ag, ok := s.pageAgreement(w, r, grant.CoordinatingRSS(a.Org))
		if !ok {
			return
		}
		v.Agreement = ag.ID
		if d, ok := s.existingMunicipal(r, a, ag.ID, a.Org); ok && grant.CanWriteReport(a, a.Org) == nil {
			s.showExisting(w, r, http.StatusOK, d)
			return
		}
	}
	s.renderMunicipalForm(w, r, a, http.StatusOK, v, values, received)
}

func rawKr(k money.Kr) string { return strconv.FormatInt(int64(k), 10) }

func (s *server) renderMunicipalForm(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v municipalFormView,
	values map[string]string, received map[string]money.Kr) {
	if err := grant.CanWriteReport(a, v.Kommun); err != nil || grant.CoordinatingRSS(v.Kommun) == "" {
		s.forbidden(w, r, "Bara handläggare och behöriga företrädare för en kommun kan skriva kommunens redovisning till RSS:en.")
		return
	}
	ag, err := s.agreements.Get(v.Agreement)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", v.Agreement))
		return
	}
	rss := grant.CoordinatingRSS(v.Kommun)
	al, _ := s.app.Allocation(ag.ID, rss)
	v.AgreementName, v.KommunName, v.RSSName, v.Lines = ag.Name, s.orgName(r, v.Kommun), s.orgName(r, rss), nil
	for _, c := range al.Components {
		v.Lines = append(v.Lines, municipalLine{Component: c.ID, Label: c.Label, Received: received[c.ID],
			Item: values["item."+c.ID], Amount: values["amount."+c.ID], Error: v.Errors.Fields["amount."+c.ID]})
	}
	s.render(w, r, status, "municipal_form.html", "Redovisning till RSS:en", v)
}

// municipalCosts reads the form's lines: one per component with an
// amount; an amount that is not whole kronor is a field error.
func municipalCosts(r *http.Request, al grant.Allocation) ([]grant.CostLine, map[string]string, fault.Fields) {
	var costs []grant.CostLine
	values := map[string]string{}
	bad := fault.Fields{}
	for _, c := range al.Components {
		item, amount := r.PostFormValue("item."+c.ID), strings.TrimSpace(r.PostFormValue("amount."+c.ID))
		values["item."+c.ID], values["amount."+c.ID] = item, amount
		if amount == "" {
			continue
		}
		n, ok := parseKr(amount)
		if !ok {
			bad.Add("amount."+c.ID, "Ange kostnaden i hela kronor.")
			continue
		}
		costs = append(costs, grant.CostLine{Item: item, Component: c.ID, Amount: n})
	}
	return costs, values, bad
}

func (s *server) municipalSave(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	v := municipalFormView{ID: id, Kommun: a.Org}
	if id != "" {
		rep, err := s.app.MunicipalReport(ctx, a, id)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		v.Agreement, v.Kommun = rep.Agreement, rep.Kommun
	} else {
		if err := grant.CanWriteReport(a, v.Kommun); err != nil || grant.CoordinatingRSS(v.Kommun) == "" {
			s.forbidden(w, r, "Bara handläggare och behöriga företrädare för en kommun kan skriva kommunens redovisning till RSS:en.")
			return
		}
		ag, ok := s.pageAgreement(w, r, grant.CoordinatingRSS(a.Org))
		if !ok {
			return
		}
		v.Agreement = ag.ID
	}
	al, _ := s.app.Allocation(v.Agreement, grant.CoordinatingRSS(v.Kommun))
	costs, values, bad := municipalCosts(r, al)
	err := bad.Err()
	var saved app.MunicipalView
	if err == nil {
		if id == "" {
			saved, err = s.app.CreateMunicipalReport(ctx, a, v.Agreement, v.Kommun, costs)
		} else {
			saved, err = s.app.UpdateMunicipalReport(ctx, a, id, costs)
		}
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		if s.conflictExisting(w, r, err, func() (existingDoc, bool) { return s.existingMunicipal(r, a, v.Agreement, v.Kommun) }) {
			return
		}
		v.Errors = errorsOf(err)
		s.renderMunicipalForm(w, r, a, http.StatusUnprocessableEntity, v, values, nil)
		return
	}
	http.Redirect(w, r, "/kommunredovisningar/"+saved.ID, http.StatusSeeOther)
}

// municipalPageView is one report and what the user may do with it.
type municipalPageView struct {
	Rep                         app.MunicipalView
	AgreementName, RSSName      string
	CanEdit, CanSign, CanReview bool
	Error                       string
	Changes                     []app.HistoryEntry
}

func (s *server) municipalPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showMunicipal(w, r, sess, http.StatusOK, "")
}

func (s *server) showMunicipal(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	a := sess.Actor()
	rep, err := s.app.MunicipalReport(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := municipalPageView{Rep: rep, RSSName: s.orgName(r, rep.RSS), Error: msg}
	if ag, err := s.agreements.Get(rep.Agreement); err == nil {
		v.AgreementName = ag.Name
	}
	changeable := rep.Status == grant.MunicipalDraft || rep.Status == grant.MunicipalReturned
	v.CanEdit = changeable && grant.CanWriteReport(a, rep.Kommun) == nil
	v.CanSign = changeable && grant.CanSign(a, rep.Kommun) == nil
	v.CanReview = rep.Status == grant.MunicipalSubmitted && grant.CanReviewMunicipalReport(a, rep.Kommun) == nil
	if v.Changes, err = s.app.History(r.Context(), a, "municipal_report:"+rep.ID); err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, status, "municipal.html", "Redovisning till RSS:en "+rep.ID, v)
}

func (s *server) municipalAction(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	var err error
	var rep app.MunicipalView
	switch r.PathValue("action") {
	case "signera":
		rep, err = s.app.SignMunicipalReport(ctx, a, id)
	case "skicka-tillbaka":
		rep, err = s.app.ReturnMunicipalReport(ctx, a, id, r.PostFormValue("reason"))
	case "godkann":
		rep, err = s.app.AcceptMunicipalReport(ctx, a, id)
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showMunicipal(w, r, sess, http.StatusUnprocessableEntity, refusalText(err))
		return
	}
	if r.PathValue("action") != "signera" {
		http.Redirect(w, r, "/kommunredovisningar?agreement="+url.QueryEscape(rep.Agreement)+"&rss="+url.QueryEscape(rep.RSS), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/kommunredovisningar/"+id, http.StatusSeeOther)
}

// municipalListView is the list of the RSS's county's municipalities and
// their reports.
type municipalListView struct {
	Agreement, AgreementName, RSS, RSSName string
	Rows                                   []app.MunicipalRow
	Reported, Missing                      int
	CanWrite                               bool // a municipality's user who may write its report and has none
	Filter                                 listFilter
}

// municipalStatuses are the municipal list's status menu: not reported,
// then the report's states.
var municipalStatuses = append([]listing.Option{{Value: listing.None, Label: "ej redovisat"}},
	statusOptions(grant.MunicipalDraft, grant.MunicipalSubmitted, grant.MunicipalReturned, grant.MunicipalAccepted)...)

// municipalKey is a municipal row's status and texts for the filter.
func municipalKey(row app.MunicipalRow) (string, []string) {
	if row.Report == nil {
		return listing.None, []string{row.Kommun, row.Name}
	}
	return string(row.Report.Status), []string{row.Kommun, row.Name, row.Report.ID}
}

// municipalRows reads the RSS's list as the filter narrows it.
func (s *server) municipalRows(w http.ResponseWriter, r *http.Request, a auth.Actor) (municipalListView, bool) {
	rss := r.URL.Query().Get("rss")
	if rss == "" {
		rss = a.Org
		if k := grant.CoordinatingRSS(a.Org); k != "" {
			rss = k
		}
	}
	if kind, _, _ := org.Parse(rss); kind != org.KindRSS {
		s.refuse(w, r, fault.New(fault.NotFound, "Välj en RSS (?rss=rss-<län>)."))
		return municipalListView{}, false
	}
	ag, ok := s.pageAgreement(w, r, rss)
	if !ok {
		return municipalListView{}, false
	}
	all, err := s.app.MunicipalReports(r.Context(), a, ag.ID, rss)
	if err != nil {
		s.refuse(w, r, err)
		return municipalListView{}, false
	}
	f := newListFilter(strings.TrimSuffix(r.URL.Path, ".xlsx"), r, ag.ID, s.agreementLinks(r, rss, ag.ID), municipalStatuses)
	f.QueryLabel = "Kommun"
	if r.URL.Query().Get("rss") != "" {
		f.Keep = map[string]string{"rss": rss}
	}
	rows := listing.Keep(f.Filter, all, municipalKey)
	f.counted(len(rows), len(all))
	v := municipalListView{Agreement: ag.ID, AgreementName: ag.Name, RSS: rss, RSSName: s.orgName(r, rss), Rows: rows, Filter: f}
	for _, row := range all {
		if row.Report != nil {
			v.Reported++
		} else {
			v.Missing++
			v.CanWrite = v.CanWrite || (row.Kommun == a.Org && grant.CanWriteReport(a, a.Org) == nil)
		}
	}
	return v, true
}

func (s *server) municipalList(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	v, ok := s.municipalRows(w, r, a)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "municipal_list.html", "Kommunernas redovisningar", v)
}

// municipalExport is the municipal list as a workbook, filtered as the
// page is.
func (s *server) municipalExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.municipalRows(w, r, sess.Actor())
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Kommunredovisningar", Title: "Kommunernas redovisningar till " + v.RSSName,
		Headers: []string{"Kommun-id", "Kommun", "Mottaget från RSS:en", "Redovisat", "Kvar", "Status", "Redovisning", "Inskickad"}}
	for _, row := range v.Rows {
		if row.Report == nil {
			t.Add(row.Kommun, row.Name, row.Received, nil, nil, "ej redovisat", nil, nil)
			continue
		}
		rep := row.Report
		t.Add(row.Kommun, row.Name, row.Received, rep.Reported, rep.Left(), rep.Status.Swedish(), rep.ID, dateText(rep.SignedAt))
	}
	s.sendXLSX(w, r, "kommunredovisningar-"+v.Agreement+".xlsx", t)
}
