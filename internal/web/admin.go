package web

import (
	"net/http"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/org"
)

// The admin's pages for organisations: the paying agencies' own accounts
// (the debtor of their payment files) and every organisation's name, org
// nr, host and address.
func (s *server) adminRoutes(mux *http.ServeMux) {
	s.mailAdminRoutes(mux)
	mux.HandleFunc("GET /admin/organisationer", s.signedIn(s.organisations))
	mux.HandleFunc("GET /admin/organisationer.xlsx", s.signedIn(s.organisationsExport))
	mux.HandleFunc("GET /admin/organisationer/{id}", s.signedIn(s.organisationForm))
	mux.HandleFunc("POST /admin/organisationer/{id}", s.signedIn(s.organisationSave))
}

// organisationsView lists the organisations, the paying agencies first.
type organisationsView struct {
	Agencies, Others []org.Organisation
	Saved            string
	Filter           listFilter
}

// The organisation list's status menu: whether an account to pay to (or,
// for a paying agency, from) is set.
const (
	orgWithAccount    = "konto"
	orgWithoutAccount = "utan-konto"
)

var orgStatuses = []listing.Option{{Value: orgWithAccount, Label: "med konto"}, {Value: orgWithoutAccount, Label: "utan konto"}}

// orgKey is an organisation's status and texts for the filter.
func orgKey(o org.Organisation) (string, []string) {
	st := orgWithoutAccount
	if o.Account.IsSet() {
		st = orgWithAccount
	}
	return st, []string{o.ID, o.Name, o.OrgNr, o.Host}
}

func (s *server) organisations(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.organisationList(w, r, sess.Actor())
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "organisations.html", "Organisationer", v)
}

// organisationList reads the organisations, the paying agencies apart,
// as the filter narrows them.
func (s *server) organisationList(w http.ResponseWriter, r *http.Request, a auth.Actor) (organisationsView, bool) {
	if err := grant.CanManageOrganisations(a); err != nil {
		s.forbidden(w, r, err.Error())
		return organisationsView{}, false
	}
	all, err := s.app.Organisations(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return organisationsView{}, false
	}
	v := organisationsView{Filter: newListFilter("/admin/organisationer", r, "", nil, orgStatuses)}
	v.Filter.QueryLabel = "Organisation (namn, id, organisationsnummer)"
	kept := listing.Keep(v.Filter.Filter, all, orgKey)
	v.Filter.counted(len(kept), len(all))
	for _, o := range kept {
		if org.IsPayingAgency(o.ID) {
			v.Agencies = append(v.Agencies, o)
		} else {
			v.Others = append(v.Others, o)
		}
	}
	for _, o := range all {
		if o.ID == r.URL.Query().Get("sparad") {
			v.Saved = o.Name
		}
	}
	return v, true
}

// organisationsExport is the organisation list as a workbook, filtered as
// the page is.
func (s *server) organisationsExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.organisationList(w, r, sess.Actor())
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Organisationer", Title: "Organisationer",
		Headers: []string{"Id", "Namn", "Typ", "Organisationsnummer", "Värdorganisation", "Adress", "Kontotyp", "Konto"}}
	for _, o := range append(v.Agencies, v.Others...) {
		t.Add(o.ID, o.Name, o.Kind, o.OrgNr, o.Host, o.Address, o.Account.Type, o.Account.String())
	}
	s.sendXLSX(w, r, "organisationer.xlsx", t)
}

// organisationFormView is one organisation's form with what the admin
// typed and the messages for it, each message named by its field's label.
type organisationFormView struct {
	Org          org.Organisation
	PayingAgency bool
	Values       map[string]string
	Errors       formErrors
}

// organisationLabels are the form's labels, also used to name each
// message in the summary.
var organisationLabels = map[string]string{
	"name": "Namn", "org_nr": "Organisationsnummer", "host": "Värdorganisation", "address": "Postadress",
	"account.type": "Kontotyp", "account.number": "Bankgironummer eller IBAN", "account.bic": "BIC (bankens kod, för IBAN)",
}

var organisationFields = []string{"name", "org_nr", "host", "address", "account.type", "account.number", "account.bic"}

// FormValue is what the admin typed in the field.
func (v organisationFormView) FormValue(name string) string { return v.Values[name] }

// FormError is the field's message, if any.
func (v organisationFormView) FormError(name string) string { return v.Errors.Fields[name] }

// Label is the field's label.
func (v organisationFormView) Label(name string) string { return organisationLabels[name] }

// Messages are the field messages in the form's order, each with its
// field and label.
func (v organisationFormView) Messages() []fieldMessage {
	var out []fieldMessage
	for _, f := range organisationFields {
		if m := v.Errors.Fields[f]; m != "" {
			out = append(out, fieldMessage{Field: f, Label: organisationLabels[f], Message: m})
		}
	}
	return out
}

// fieldMessage is one message of a form's summary.
type fieldMessage struct{ Field, Label, Message string }

func (s *server) organisationForm(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := grant.CanManageOrganisations(sess.Actor()); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	o, err := s.app.Organisation(r.Context(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	values := map[string]string{"name": o.Name, "org_nr": o.OrgNr, "host": o.Host, "address": o.Address,
		"account.type": o.Account.Type, "account.number": o.Account.Number, "account.bic": o.Account.BIC}
	if values["account.type"] == "" {
		values["account.type"] = org.AccountBankgiro
	}
	s.render(w, r, http.StatusOK, "organisation_form.html", o.Name, organisationFormView{Org: o, PayingAgency: org.IsPayingAgency(o.ID), Values: values})
}

func (s *server) organisationSave(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id := sess.Actor(), r.PathValue("id")
	values := formValues(r, organisationFields...)
	e := app.OrganisationEdit{Name: values["name"], OrgNr: values["org_nr"], Host: values["host"], Address: values["address"]}
	switch {
	case values["account.number"] == "" && values["account.bic"] == "":
		e.Account = &org.Account{} // none, or removed
	case org.IsPayingAgency(id):
		e.Account = &org.Account{Type: values["account.type"], Number: values["account.number"], BIC: values["account.bic"]}
	default: // a recipient's bankgiro, for the VFU money and the onward payments
		e.Account = &org.Account{Type: org.AccountBankgiro, Number: values["account.number"]}
	}
	o, err := s.app.UpdateOrganisation(r.Context(), a, id, e)
	if err == nil {
		http.Redirect(w, r, "/admin/organisationer?sparad="+o.ID, http.StatusSeeOther)
		return
	}
	if c := fault.CodeOf(err); c != fault.Invalid {
		s.refuse(w, r, err)
		return
	}
	o, lookup := s.app.Organisation(r.Context(), id)
	if lookup != nil {
		s.refuse(w, r, lookup)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "organisation_form.html", o.Name,
		organisationFormView{Org: o, PayingAgency: org.IsPayingAgency(id), Values: values, Errors: errorsOf(err)})
}
