package web

import (
	"net/http"

	"narvard/internal/app"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
)

// The admin's pages for organisations: the paying agencies' own accounts
// (the debtor of their payment files) and every organisation's name, org
// nr, host and address.
func (s *server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/organisationer", s.signedIn(s.organisations))
	mux.HandleFunc("GET /admin/organisationer/{id}", s.signedIn(s.organisationForm))
	mux.HandleFunc("POST /admin/organisationer/{id}", s.signedIn(s.organisationSave))
}

// organisationsView lists the organisations, the paying agencies first.
type organisationsView struct {
	Agencies, Others []org.Organisation
	Saved            string
}

func (s *server) organisations(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := grant.CanManageOrganisations(sess.Actor()); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	all, err := s.app.Organisations(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := organisationsView{}
	for _, o := range all {
		if org.IsPayingAgency(o.ID) {
			v.Agencies = append(v.Agencies, o)
		} else {
			v.Others = append(v.Others, o)
		}
		if o.ID == r.URL.Query().Get("sparad") {
			v.Saved = o.Name
		}
	}
	s.render(w, r, http.StatusOK, "organisations.html", "Organisationer", v)
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
