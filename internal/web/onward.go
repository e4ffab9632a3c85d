package web

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/money"
	"narvard/internal/onward"
	"narvard/internal/org"
)

// maxOnwardUpload bounds the onward decision's form with its key figures'
// CSV file: 290 municipalities' figures are a few kilobytes.
const maxOnwardUpload = 4 << 20

// The web pages of the RSS's onward decisions (vidareförmedling) to its
// county's municipalities: the RSS's overview, the draft form with the
// computed table shown before it is saved, the decision's page with the
// signatory's decision and the payments to the municipalities.
func (s *server) onwardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /vidareformedling", s.signedIn(s.onwardHome))
	mux.HandleFunc("GET /vidareformedling.xlsx", s.signedIn(s.onwardExport))
	mux.HandleFunc("GET /vidareformedling/ny", s.signedIn(s.onwardForm))
	mux.HandleFunc("POST /vidareformedling/ny", s.signedInUploadOf(maxOnwardUpload, s.onwardSave))
	mux.HandleFunc("GET /vidareformedling/{id}", s.signedIn(s.onwardPage))
	mux.HandleFunc("POST /vidareformedling/{id}/besluta", s.signedIn(s.onwardDecide))
	mux.HandleFunc("POST /vidareformedling/{id}/betala", s.signedIn(s.onwardPay))
	mux.HandleFunc("GET /vidareformedling/betalningar/{id}/pain.001", s.signedIn(s.onwardPaymentFile))
}

// keyNames are the keys as the form offers them.
var keyNames = []struct{ Key, Name string }{
	{string(onward.Equal), "Lika till varje kommun"},
	{string(onward.Population), "Efter befolkning"},
	{string(onward.Mixed), "Blandad (vikter för befolkning, kommunal hälso- och sjukvård, lika)"},
	{string(onward.BasePlusPopulation), "Grundbelopp till varje kommun, resten efter befolkning"},
	{string(onward.Manual), "Belopp per kommun (manuellt)"},
}

// onwardTable is an onward split as a table: one row per municipality,
// one column per component, with the totals and the kept parts.
type onwardTable struct {
	Comps  []grant.ComponentAmount
	Rows   []onwardTableRow
	Totals []money.Kr
	Total  money.Kr
	Kept   []onwardKept
}

type onwardTableRow struct {
	Code, Name string
	Cells      []money.Kr
	Total      money.Kr
}

type onwardKept struct {
	Label, For string
	Amount     money.Kr
}

func kommunNames() map[string]string {
	out := map[string]string{}
	for _, m := range geo.Municipalities() {
		out[m.Code] = m.Name
	}
	return out
}

// tableOf lays out the split by the allocation's components.
func tableOf(comps []grant.ComponentAmount, split onward.Split) onwardTable {
	names := kommunNames()
	t := onwardTable{}
	has := map[string]bool{}
	for _, r := range split.Rows {
		has[r.Component] = true
	}
	for _, c := range comps {
		if has[c.ID] {
			t.Comps = append(t.Comps, c)
		}
	}
	t.Totals = make([]money.Kr, len(t.Comps))
	rows := map[string]*onwardTableRow{}
	var order []string
	for _, r := range split.Rows {
		row, ok := rows[r.Kommun]
		if !ok {
			row = &onwardTableRow{Code: r.Kommun, Name: names[r.Kommun], Cells: make([]money.Kr, len(t.Comps))}
			rows[r.Kommun] = row
			order = append(order, r.Kommun)
		}
		i := slices.IndexFunc(t.Comps, func(c grant.ComponentAmount) bool { return c.ID == r.Component })
		row.Cells[i] += r.Amount
		row.Total += r.Amount
		t.Totals[i] += r.Amount
		t.Total += r.Amount
	}
	slices.Sort(order)
	for _, k := range order {
		t.Rows = append(t.Rows, *rows[k])
	}
	for _, k := range split.Kept {
		label := k.Component
		for _, c := range comps {
			if c.ID == k.Component {
				label = c.Label
			}
		}
		t.Kept = append(t.Kept, onwardKept{Label: label, For: k.For, Amount: k.Amount})
	}
	return t
}

// onwardHomeView is the RSS's page of onward decisions under an agreement.
type onwardHomeView struct {
	Agreement, AgreementName string
	RSS, RSSName             string
	Agreements               []agreementLink
	Funds                    *app.OnwardFunds
	Decisions                []onward.Decision
	Payments                 []onward.Payment
	CanDraft                 bool
	CanFile                  bool // the RSS's officer or signatory: its payments' pain.001 files
	Names                    map[string]string
	Filter                   listFilter
}

// onwardRSS is the RSS a page is about: ?rss= for those who read
// everything, else the user's own organisation.
func onwardRSS(r *http.Request, a auth.Actor) string {
	if rss := r.URL.Query().Get("rss"); rss != "" {
		return rss
	}
	return a.Org
}

func (s *server) onwardHome(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.onwardList(w, r, sess.Actor())
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "onward.html", "Vidareförmedling till kommunerna", v)
}

// onwardStatuses are the decisions' status menu.
var onwardStatuses = statusOptions(onward.Draft, onward.Decided, onward.Replaced)

// onwardList reads the RSS's decisions and payments as the filter narrows
// them: the status narrows the decisions; the text finds a decision by
// its id, reference or writer and a payment by its decision or a
// municipality it paid (id or name).
func (s *server) onwardList(w http.ResponseWriter, r *http.Request, a auth.Actor) (onwardHomeView, bool) {
	rss := onwardRSS(r, a)
	if err := grant.CanReadOnward(a, rss); err != nil {
		s.forbidden(w, r, err.Error())
		return onwardHomeView{}, false
	}
	if kind, _, _ := org.Parse(rss); kind != org.KindRSS {
		s.refuse(w, r, fault.New(fault.Invalid, "Bara en RSS beslutar om vidareförmedling till kommunerna."))
		return onwardHomeView{}, false
	}
	ag, ok := s.pageAgreement(w, r, rss)
	if !ok {
		return onwardHomeView{}, false
	}
	v := onwardHomeView{Agreement: ag.ID, AgreementName: ag.Name, RSS: rss, Agreements: s.agreementLinks(r, rss, ag.ID),
		CanDraft: grant.CanDraftOnward(a, rss) == nil, CanFile: grant.CanPayOnward(a, rss) == nil}
	if o, err := s.app.Organisation(r.Context(), rss); err == nil {
		v.RSSName = o.Name
	}
	list, err := s.app.Onwards(r.Context(), a, ag.ID, rss)
	if err != nil {
		s.refuse(w, r, err)
		return onwardHomeView{}, false
	}
	slices.Reverse(list) // newest first
	var pays []onward.Payment
	if f, p, err := s.app.RSSOnwardFunds(r.Context(), a, ag.ID, rss); err == nil {
		v.Funds, pays = &f, p
	} else if fault.CodeOf(err) == fault.BooksBroken {
		s.booksBroken(w, r, err)
		return onwardHomeView{}, false
	}
	if v.Names, err = s.orgNames(r); err != nil {
		s.serverError(w, r, err)
		return onwardHomeView{}, false
	}
	v.Filter = newListFilter("/vidareformedling", r, ag.ID, nil, onwardStatuses)
	v.Filter.QueryLabel = "Sök (beslut, referens, kommun)"
	if r.URL.Query().Get("rss") != "" {
		v.Filter.Keep = map[string]string{"rss": rss}
	}
	v.Decisions = listing.Keep(v.Filter.Filter, list, func(d onward.Decision) (string, []string) {
		return string(d.Status), []string{d.ID, d.Reference, d.CreatedBy}
	})
	byText := listing.Filter{Query: v.Filter.Query}
	v.Payments = listing.Keep(byText, pays, func(p onward.Payment) (string, []string) {
		texts := []string{p.ID, p.Decision}
		for _, l := range p.Lines {
			texts = append(texts, org.KommunID(l.Kommun), v.Names[org.KommunID(l.Kommun)])
		}
		return "", texts
	})
	v.Filter.counted(len(v.Decisions)+len(v.Payments), len(list)+len(pays))
	return v, true
}

// onwardExport is the RSS's payments to its municipalities as a workbook,
// one row per municipality paid, filtered as the page is.
func (s *server) onwardExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.onwardList(w, r, sess.Actor())
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Vidareförmedling", Title: "Vidareförmedling till kommunerna, " + v.RSSName,
		Headers: []string{"Utbetalning", "Utbetalningsdag", "Beslut", "Kommun-id", "Kommun", "Belopp"}}
	byText := listing.Filter{Query: v.Filter.Query}
	for _, p := range v.Payments {
		whole := byText.Match("", p.ID, p.Decision)
		for _, l := range p.Lines {
			id := org.KommunID(l.Kommun)
			if whole || byText.Match("", id, v.Names[id]) {
				t.Add(p.ID, p.PaidOn, p.Decision, id, v.Names[id], l.Amount)
			}
		}
	}
	s.sendXLSX(w, r, "vidareformedling-"+v.RSS+"-"+v.Agreement+".xlsx", t)
}

// onwardFormView is the draft form: per component a key, the kept part
// and its purpose, the key's parameters and the manual amounts; the key
// figures per municipality or their CSV file; and, once computed, the
// table.
type onwardFormView struct {
	Agreement, AgreementName string
	RSS, RSSName             string
	Comps                    []grant.ComponentAmount
	Kommuner                 []geo.Municipality
	Keys                     []struct{ Key, Name string }
	Values                   url.Values
	Errors                   formErrors
	Preview                  *onwardTable
}

// V is what was typed in the named field.
func (v onwardFormView) V(name string) string { return v.Values.Get(name) }

// E is the message for the named field, "" when none.
func (v onwardFormView) E(name string) string { return v.Errors.Fields[name] }

// FiguresError gathers the messages about the key figures.
func (v onwardFormView) FiguresError() string {
	var out []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range v.Errors.Fields {
			if !yield(k) {
				return
			}
		}
	}) {
		if strings.HasPrefix(k, "figures") && k != "figures_csv" {
			out = append(out, v.Errors.Fields[k])
		}
	}
	return strings.Join(out, " ")
}

// Labelled is the form's messages by the label of their field, for the
// summary at the top.
func (v onwardFormView) Labelled() []string {
	var out []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range v.Errors.Fields {
			if !yield(k) {
				return
			}
		}
	}) {
		out = append(out, v.label(k)+": "+v.Errors.Fields[k])
	}
	return out
}

func (v onwardFormView) label(key string) string {
	switch {
	case key == "figures_csv":
		return "Fil med nyckeltal"
	case strings.HasPrefix(key, "figures"):
		return "Nyckeltal"
	case key == "rss":
		return "RSS"
	case strings.HasPrefix(key, "components."):
		rest := strings.TrimPrefix(key, "components.")
		id, sub, _ := strings.Cut(rest, ".")
		label := id
		for _, c := range v.Comps {
			if c.ID == id {
				label = c.Label
			}
		}
		switch sub {
		case "kept_kr":
			return label + ", belopp som behålls"
		case "kept_for":
			return label + ", vad som behålls ska användas till"
		case "base_kr":
			return label + ", grundbelopp"
		case "weights":
			return label + ", vikter"
		case "":
			return label
		}
		return label + ", " + sub
	}
	return key
}

func (s *server) onwardForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	v := onwardFormView{Values: url.Values{}}
	v.Values.Set("agreement", r.URL.Query().Get("agreement"))
	s.renderOnwardForm(w, r, a, http.StatusOK, v)
}

// renderOnwardForm fills in the form's agreement, components and
// municipalities and renders it; a user who may not draft is refused.
func (s *server) renderOnwardForm(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v onwardFormView) {
	if err := grant.CanDraftOnward(a, a.Org); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	if kind, _, _ := org.Parse(a.Org); kind != org.KindRSS {
		s.refuse(w, r, fault.New(fault.Invalid, "Bara en RSS beslutar om vidareförmedling till kommunerna."))
		return
	}
	agID, err := s.app.ResolveAgreement(r.Context(), a.Org, v.Values.Get("agreement"))
	if err != nil {
		s.chooseAgreement(w, r, a.Org, err)
		return
	}
	ag, err := s.agreements.Get(agID)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", agID))
		return
	}
	al, ok := s.app.Allocation(ag.ID, a.Org)
	if !ok {
		s.refuse(w, r, fault.New(fault.Invalid, "RSS:en har ingen tilldelning i %s.", ag.Name))
		return
	}
	v.Agreement, v.AgreementName, v.RSS, v.Comps, v.Kommuner, v.Keys = ag.ID, ag.Name, a.Org, al.Components, app.OnwardKommuner(a.Org), keyNames
	v.Values.Set("agreement", ag.ID)
	if o, err := s.app.Organisation(r.Context(), a.Org); err == nil {
		v.RSSName = o.Name
	}
	for _, c := range v.Comps {
		if v.Values.Get("key."+c.ID) == "" {
			v.Values.Set("key."+c.ID, string(onward.Population))
		}
	}
	s.render(w, r, status, "onward_form.html", "Nytt beslut om vidareförmedling", v)
}

// readOnwardForm reads the multipart form after its CSRF token: the
// fields, and the key figures' CSV file if one was chosen.
func readOnwardForm(mr *multipart.Reader) (url.Values, []byte, error) {
	vals := url.Values{}
	var file []byte
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return vals, file, nil
		}
		if err != nil {
			return nil, nil, err
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, p); err != nil {
			return nil, nil, err
		}
		if p.FormName() == "figures_csv" {
			if p.FileName() != "" {
				file = buf.Bytes()
			}
			continue
		}
		vals.Add(p.FormName(), buf.String())
	}
}

// planOf builds the plan from the form; the figures' file, when given,
// replaces the typed figures and fills them in for the next round.
func planOf(vals url.Values, file []byte, comps []grant.ComponentAmount, kommuner []geo.Municipality) (onward.Plan, fault.Fields) {
	bad := fault.Fields{}
	p := onward.Plan{Components: map[string]onward.Spec{}}
	for _, c := range comps {
		f := "components." + c.ID
		spec := onward.Spec{Key: onward.Key(vals.Get("key." + c.ID)), KeptFor: strings.TrimSpace(vals.Get("kept_for." + c.ID))}
		if t := strings.TrimSpace(vals.Get("kept." + c.ID)); t != "" {
			k, ok := parseKr(t)
			if !ok {
				bad.Add(f+".kept_kr", "Ange beloppet i hela kronor.")
			}
			spec.KeptKr = k
		}
		switch spec.Key {
		case onward.BasePlusPopulation:
			k, ok := parseKr(vals.Get("base." + c.ID))
			if !ok {
				bad.Add(f+".base_kr", "Ange grundbeloppet i hela kronor.")
			}
			spec.BaseKr = k
		case onward.Mixed:
			spec.Weights = map[string]string{}
			for _, factor := range []string{onward.FactorPopulation, onward.FactorHSV, onward.FactorEqual} {
				if w := strings.TrimSpace(vals.Get("w_" + factor + "." + c.ID)); w != "" {
					spec.Weights[factor] = w
				}
			}
		case onward.Manual:
			for _, m := range kommuner {
				t := strings.TrimSpace(vals.Get("amount." + c.ID + "." + m.Code))
				if t == "" {
					continue
				}
				k, ok := parseKr(t)
				if !ok {
					bad.Add(f, "Beloppet till %s ska vara hela kronor.", m.Name)
					continue
				}
				p.Amounts = append(p.Amounts, onward.Amount{Kommun: m.Code, Component: c.ID, Amount: k})
			}
		}
		p.Components[c.ID] = spec
	}
	if len(file) > 0 {
		figs, err := onward.ReadFigures("figures.csv", bytes.NewReader(file))
		if err != nil {
			bad.Add("figures_csv", "%s", err.Error())
			return p, bad
		}
		p.Figures = figs
		for _, fg := range figs {
			vals.Set("befolkning."+fg.Kommun, strconv.FormatInt(fg.Befolkning, 10))
			vals.Set("kommunal_hsv."+fg.Kommun, strconv.FormatInt(fg.KommunalHSV, 10))
		}
		return p, bad
	}
	for _, m := range kommuner {
		pt, ht := strings.TrimSpace(vals.Get("befolkning."+m.Code)), strings.TrimSpace(vals.Get("kommunal_hsv."+m.Code))
		if pt == "" && ht == "" {
			continue
		}
		fg := onward.Figure{Kommun: m.Code}
		var ok bool
		if fg.Befolkning, ok = parseCount(pt); !ok {
			bad.Add("figures", "Befolkningen i %s ska vara ett heltal, 0 eller mer.", m.Name)
		}
		if ht != "" {
			if fg.KommunalHSV, ok = parseCount(ht); !ok {
				bad.Add("figures", "Kommunal hälso- och sjukvård i %s ska vara ett heltal, 0 eller mer.", m.Name)
			}
		}
		p.Figures = append(p.Figures, fg)
	}
	return p, bad
}

// onwardSave computes the table from the form ("Beräkna", the default)
// and shows it with the form, or saves the draft ("Spara utkast") and
// goes to its page.
func (s *server) onwardSave(w http.ResponseWriter, r *http.Request, sess *session, mr *multipart.Reader) {
	a := sess.Actor()
	if err := grant.CanDraftOnward(a, a.Org); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	vals, file, err := readOnwardForm(mr)
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "message.html", "Det gick inte", messageView{Heading: "Det gick inte", Text: "Formuläret kunde inte tas emot: " + err.Error()})
		return
	}
	v := onwardFormView{Values: vals}
	agID, err := s.app.ResolveAgreement(r.Context(), a.Org, vals.Get("agreement"))
	if err != nil {
		s.chooseAgreement(w, r, a.Org, err)
		return
	}
	al, ok := s.app.Allocation(agID, a.Org)
	if !ok {
		s.refuse(w, r, fault.New(fault.Invalid, "Bara en RSS med en tilldelning beslutar om vidareförmedling till kommunerna."))
		return
	}
	plan, bad := planOf(vals, file, al.Components, app.OnwardKommuner(a.Org))
	if len(bad) > 0 {
		v.Errors = errorsOf(bad.Err())
		s.renderOnwardForm(w, r, a, http.StatusUnprocessableEntity, v)
		return
	}
	if vals.Get("action") == "save" {
		d, err := s.app.CreateOnward(r.Context(), a, agID, a.Org, plan)
		if err != nil {
			s.onwardFormError(w, r, a, v, err)
			return
		}
		http.Redirect(w, r, "/vidareformedling/"+d.ID, http.StatusSeeOther)
		return
	}
	split, err := s.app.PreviewOnward(r.Context(), a, agID, a.Org, plan)
	if err != nil {
		s.onwardFormError(w, r, a, v, err)
		return
	}
	t := tableOf(al.Components, split)
	v.Preview = &t
	s.renderOnwardForm(w, r, a, http.StatusOK, v)
}

func (s *server) onwardFormError(w http.ResponseWriter, r *http.Request, a auth.Actor, v onwardFormView, err error) {
	if fault.CodeOf(err) != fault.Invalid {
		s.refuse(w, r, err)
		return
	}
	v.Errors = errorsOf(err)
	s.renderOnwardForm(w, r, a, http.StatusUnprocessableEntity, v)
}

// onwardPageView is one decision's page.
type onwardPageView struct {
	D                       onward.Decision
	AgreementName, RSSName  string
	Table                   onwardTable
	History                 []onward.Decision
	Payments                []onward.Payment
	CanDecide, CanPay       bool
	CanFile                 bool // the RSS's officer or signatory: its payments' pain.001 files
	PayRows                 []onwardPayRow
	Values                  map[string]string
	Errors                  formErrors
	KeyNames                map[string]string
	Specs                   []onwardSpecRow
	PaidTotal, DecidedTotal money.Kr
	ShowFunds               bool
	Funds                   app.OnwardFunds
	AgreementID             string
	Changes                 []app.HistoryEntry // every change of this decision and its payments
}

type onwardSpecRow struct {
	Label, Key, Detail string
}

type onwardPayRow struct {
	Code, Name          string
	Decided, Paid, Left money.Kr
	Value               string
}

// FormValue and FormError make the page a form for the "field" template.
func (v onwardPageView) FormValue(name string) string { return v.Values[name] }
func (v onwardPageView) FormError(name string) string { return v.Errors.Fields[name] }

func (s *server) onwardPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.renderOnwardPage(w, r, sess.Actor(), http.StatusOK, r.PathValue("id"), map[string]string{}, formErrors{})
}

func (s *server) renderOnwardPage(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, id string, values map[string]string, errs formErrors) {
	d, err := s.app.Onward(r.Context(), a, id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := onwardPageView{D: d, Values: values, Errors: errs, AgreementID: d.Agreement}
	if ag, err := s.agreements.Get(d.Agreement); err == nil {
		v.AgreementName = ag.Name
	}
	if o, err := s.app.Organisation(r.Context(), d.RSS); err == nil {
		v.RSSName = o.Name
	}
	al, _ := s.app.Allocation(d.Agreement, d.RSS)
	v.Table = tableOf(al.Components, d.Split)
	keys := map[string]string{}
	for _, k := range keyNames {
		keys[k.Key] = k.Name
	}
	for _, c := range al.Components {
		spec, ok := d.Plan.Components[c.ID]
		if !ok {
			continue
		}
		row := onwardSpecRow{Label: c.Label, Key: keys[string(spec.Key)]}
		switch spec.Key {
		case onward.BasePlusPopulation:
			row.Detail = "grundbelopp " + spec.BaseKr.String()
		case onward.Mixed:
			var parts []string
			for _, f := range slices.Sorted(func(yield func(string) bool) {
				for f := range spec.Weights {
					if !yield(f) {
						return
					}
				}
			}) {
				parts = append(parts, f+" "+spec.Weights[f])
			}
			row.Detail = strings.Join(parts, ", ")
		}
		v.Specs = append(v.Specs, row)
	}
	if hist, err := s.app.Onwards(r.Context(), a, d.Agreement, d.RSS); err == nil {
		slices.Reverse(hist)
		v.History = hist
	}
	paid := map[string]money.Kr{}
	if a.ActsFor(d.RSS) || grant.CanReadAll(a) == nil {
		if f, pays, err := s.app.RSSOnwardFunds(r.Context(), a, d.Agreement, d.RSS); err == nil {
			v.ShowFunds, v.Funds = true, f
			for _, p := range pays {
				for _, l := range p.Lines {
					paid[l.Kommun] += l.Amount
				}
				if p.Decision == d.ID {
					v.Payments = append(v.Payments, p)
				}
			}
		}
	}
	v.CanDecide = d.Status == onward.Draft && grant.CanDecideOnward(a, d.RSS) == nil
	v.CanFile = grant.CanPayOnward(a, d.RSS) == nil
	v.CanPay = d.Status == onward.Decided && v.CanFile
	if _, ok := v.Values["decision_date"]; !ok {
		v.Values["decision_date"] = today(s)
	}
	if _, ok := v.Values["paid_on"]; !ok {
		v.Values["paid_on"] = today(s)
	}
	for _, row := range v.Table.Rows {
		pr := onwardPayRow{Code: row.Code, Name: row.Name, Decided: row.Total, Paid: paid[row.Code], Left: row.Total - paid[row.Code]}
		if val, ok := v.Values["amount."+row.Code]; ok {
			pr.Value = val
		} else if pr.Left > 0 {
			pr.Value = strconv.FormatInt(int64(pr.Left), 10)
		}
		v.PayRows = append(v.PayRows, pr)
		v.DecidedTotal += pr.Decided
		v.PaidTotal += pr.Paid
	}
	if v.Changes, err = s.app.History(r.Context(), a, "onward:"+d.ID); err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, status, "onward_decision.html", "Beslut om vidareförmedling", v)
}

func (s *server) onwardDecide(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	id := r.PathValue("id")
	values := formValues(r, "decision_date", "reference")
	if _, err := s.app.DecideOnward(r.Context(), a, id, values["decision_date"], values["reference"]); err != nil {
		s.onwardPageError(w, r, a, id, values, err)
		return
	}
	http.Redirect(w, r, "/vidareformedling/"+id, http.StatusSeeOther)
}

// onwardPay records a payment to the municipalities from the decision:
// the amounts typed per municipality (the form offers what is left of
// each), or, with none typed, what each has left.
func (s *server) onwardPay(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	id := r.PathValue("id")
	values := formValues(r, "paid_on")
	var lines []onward.PaymentLine
	bad := fault.Fields{}
	for _, m := range geo.Municipalities() {
		name := "amount." + m.Code
		t, ok := r.PostForm[name]
		if !ok {
			continue
		}
		values[name] = t[0]
		if strings.TrimSpace(t[0]) == "" {
			continue
		}
		k, ok := parseKr(t[0])
		if !ok {
			bad.Add(name, "Ange beloppet till %s i hela kronor.", m.Name)
			continue
		}
		if k != 0 {
			lines = append(lines, onward.PaymentLine{Kommun: m.Code, Amount: k})
		}
	}
	if err := bad.Err(); err != nil {
		// Show the refusal only to those who may see the decision.
		d, rerr := s.app.Onward(r.Context(), a, id)
		if rerr != nil {
			s.refuse(w, r, rerr)
			return
		}
		if perr := grant.CanPayOnward(a, d.RSS); perr != nil {
			s.forbidden(w, r, perr.Error())
			return
		}
		s.onwardPageError(w, r, a, id, values, err)
		return
	}
	if _, err := s.app.PayOnward(r.Context(), a, id, values["paid_on"], lines); err != nil {
		s.onwardPageError(w, r, a, id, values, err)
		return
	}
	http.Redirect(w, r, "/vidareformedling/"+id, http.StatusSeeOther)
}

// onwardPageError shows the decision's page again with a refusal that the
// user can correct (422) or a conflict (409); others are refused.
func (s *server) onwardPageError(w http.ResponseWriter, r *http.Request, a auth.Actor, id string, values map[string]string, err error) {
	switch fault.CodeOf(err) {
	case fault.Invalid:
		s.renderOnwardPage(w, r, a, http.StatusUnprocessableEntity, id, values, errorsOf(err))
	case fault.Conflict:
		s.renderOnwardPage(w, r, a, http.StatusConflict, id, values, errorsOf(err))
	default:
		s.refuse(w, r, err)
	}
}

// onwardPaymentFile downloads a recorded onward payment as a pain.001
// file for the RSS's bank.
func (s *server) onwardPaymentFile(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("id")
	b, err := s.app.OnwardPaymentFile(r.Context(), sess.Actor(), id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/xml; charset=utf-8", id+".pain.001.xml", b)
}
