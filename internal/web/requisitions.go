package web

import (
	"net/http"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/document"
	"narvard/internal/fault"
	"narvard/internal/grant"
)

// requisitionFormView is the requisition form with what the user typed and
// the messages for it.
type requisitionFormView struct {
	ID            string
	Agreement     string // the agreement's id
	AgreementName string
	OrgName       string
	Allocation    string
	Values        map[string]string
	Errors        formErrors
	Late          bool
}

var requisitionFields = []string{"amount_kr", "period_from", "period_to", "account.type", "account.number", "payment_reference",
	"contact.name", "contact.email", "contact.phone", "agreement_dnr", "payment_decision_dnr"}

func (s *server) requisitionForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	v := requisitionFormView{ID: r.PathValue("id"), Values: map[string]string{}}
	if v.ID != "" {
		req, err := s.app.Requisition(r.Context(), a, v.ID)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		v.Values, v.Agreement = formOf(req.Form), req.Agreement
	} else {
		ag, ok := s.pageAgreement(w, r, a.Org)
		if !ok {
			return
		}
		v.Agreement = ag.ID
		if d, ok := s.existingRequisition(r, a, ag.ID, a.Org); ok && grant.CanDraft(a, a.Org) == nil {
			s.showExisting(w, r, http.StatusOK, d)
			return
		}
		v.Values = map[string]string{"period_from": ag.PeriodFrom.String(), "period_to": ag.PeriodTo.String(), "account.type": "bankgiro",
			"contact.name": a.Name, "contact.email": a.Email}
		if al, ok := s.app.Allocation(ag.ID, a.Org); ok {
			v.Values["amount_kr"] = groupKr(al.Total())
		}
	}
	s.renderRequisitionForm(w, r, sess, http.StatusOK, v)
}

func (s *server) renderRequisitionForm(w http.ResponseWriter, r *http.Request, sess *session, status int, v requisitionFormView) {
	a := sess.Actor()
	if err := grant.CanDraft(a, a.Org); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	if o, err := s.app.Organisation(r.Context(), a.Org); err == nil {
		v.OrgName = o.Name
	}
	ag, err := s.agreements.Get(v.Agreement)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", v.Agreement))
		return
	}
	v.AgreementName = ag.Name
	if al, ok := s.app.Allocation(ag.ID, a.Org); ok {
		v.Allocation = al.Total().String()
	}
	if d, ok := ag.Deadline(agreement.DeadlineRequisition); ok {
		v.Late = passed(s, d.Date.Time)
	}
	s.render(w, r, status, "requisition_form.html", "Rekvisition", v)
}

func (s *server) requisitionSave(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	values := formValues(r, requisitionFields...)
	agreementID, ok := s.formAgreement(w, r, a, r.PathValue("id"), func(id string) (string, error) {
		req, err := s.app.Requisition(r.Context(), a, id)
		return req.Agreement, err
	})
	if !ok {
		return
	}
	f := grant.Form{Agreement: agreementID, Recipient: a.Org, PeriodFrom: values["period_from"], PeriodTo: values["period_to"],
		Account:          grant.Account{Type: values["account.type"], Number: values["account.number"]},
		PaymentReference: values["payment_reference"],
		Contact:          grant.Contact{Name: values["contact.name"], Email: values["contact.email"], Phone: values["contact.phone"]},
		AgreementDnr:     values["agreement_dnr"], PaymentDecisionDnr: values["payment_decision_dnr"]}
	// An amount that does not parse goes on as 0, which the use case
	// refuses with every other message at once; the parse's message wins.
	amount, amountOK := parseKr(values["amount_kr"])
	f.Amount = amount
	var req grant.Requisition
	var err error
	if id := r.PathValue("id"); id == "" {
		req, err = s.app.CreateRequisition(r.Context(), a, f)
	} else {
		req, err = s.app.UpdateRequisition(r.Context(), a, id, f)
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		if s.conflictExisting(w, r, err, func() (existingDoc, bool) { return s.existingRequisition(r, a, agreementID, a.Org) }) {
			return
		}
		errs := errorsOf(err)
		if !amountOK {
			setField(&errs, "amount_kr", "Ange beloppet i hela kronor utan decimaler, t.ex. 1 234 567.")
		}
		s.renderRequisitionForm(w, r, sess, http.StatusUnprocessableEntity,
			requisitionFormView{ID: r.PathValue("id"), Agreement: agreementID, Values: values, Errors: errs})
		return
	}
	http.Redirect(w, r, "/rekvisitioner/"+req.ID, http.StatusSeeOther)
}

func formOf(f grant.Form) map[string]string {
	return map[string]string{"amount_kr": groupKr(f.Amount), "period_from": f.PeriodFrom, "period_to": f.PeriodTo,
		"account.type": f.Account.Type, "account.number": f.Account.Number, "payment_reference": f.PaymentReference,
		"contact.name": f.Contact.Name, "contact.email": f.Contact.Email, "contact.phone": f.Contact.Phone,
		"agreement_dnr": f.AgreementDnr, "payment_decision_dnr": f.PaymentDecisionDnr}
}

// requisitionView is one requisition and what the user may do with it.
type requisitionView struct {
	Req                                      grant.Requisition
	OrgName, OrgNr, Address, AgreementName   string
	Attestation                              string
	CanSign, CanEdit, CanWithdraw, CanDecide bool
	Error                                    string
	// Reason is the reason for a rejection as typed, kept when refused.
	Reason string
	// History is every change of the requisition, oldest first.
	History []app.HistoryEntry
}

func (s *server) requisitionPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showRequisition(w, r, sess, http.StatusOK, nil)
}

func (s *server) showRequisition(w http.ResponseWriter, r *http.Request, sess *session, status int, refusal error) {
	a := sess.Actor()
	req, err := s.app.Requisition(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	history, err := s.app.History(r.Context(), a, "requisition:"+req.ID)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	o, _ := s.app.Organisation(r.Context(), req.Recipient)
	ag, _ := s.agreements.Get(req.Agreement)
	editable := req.Status == grant.Draft || req.Status == grant.Rejected
	v := requisitionView{Req: req, OrgName: o.Name, OrgNr: o.OrgNr, Address: o.Address, AgreementName: ag.Name,
		Attestation: document.Attestation, Error: labelledText(refusal), History: history, Reason: r.PostFormValue("reason"),
		CanSign:     req.Status == grant.Draft && grant.CanSign(a, req.Recipient) == nil,
		CanEdit:     editable && grant.CanDraft(a, req.Recipient) == nil,
		CanWithdraw: editable && grant.CanDraft(a, req.Recipient) == nil,
		CanDecide:   req.Status == grant.Submitted && s.app.MayDecide(a, req.Agreement, req.Recipient)}
	s.render(w, r, status, "requisition.html", "Rekvisition "+req.ID, v)
}

func (s *server) requisitionAction(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	if s.confirmRequisition(w, r, sess) {
		return
	}
	var err error
	switch r.PathValue("action") {
	case "signera":
		_, err = s.app.SignRequisition(ctx, a, id)
	case "godkann":
		_, err = s.app.ApproveRequisition(ctx, a, id)
	case "avsla":
		_, err = s.app.RejectRequisition(ctx, a, id, r.PostFormValue("reason"))
	case "aterkalla":
		_, err = s.app.WithdrawRequisition(ctx, a, id)
	default:
		s.notFound(w, r)
		return
	}
	s.afterAction(w, r, sess, err, "/rekvisitioner/"+id, s.showRequisition)
}

// confirmRequisition asks again before signing or approving a
// requisition the user may sign or approve, and reports whether it did.
// Others fall through to the use case, which refuses them.
func (s *server) confirmRequisition(w http.ResponseWriter, r *http.Request, sess *session) bool {
	action := r.PathValue("action")
	if confirmed(r) || (action != "signera" && action != "godkann") {
		return false
	}
	a := sess.Actor()
	req, err := s.app.Requisition(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return false
	}
	o, _ := s.app.Organisation(r.Context(), req.Recipient)
	v := confirmView{Back: "/rekvisitioner/" + req.ID, Lines: []confirmLine{
		{"Rekvisition", req.ID}, {"Mottagare", o.Name}, {"Belopp", req.Amount.String()},
		{"Utbetalas till", accountText(req.Account)}, {"Period", req.PeriodFrom + " – " + req.PeriodTo}}}
	switch {
	case action == "signera" && req.Status == grant.Draft && grant.CanSign(a, req.Recipient) == nil:
		v.Heading, v.Button = "Skriv under rekvisitionen", "Ja, skriv under och skicka"
		v.What = "Du skriver under rekvisitionen av " + req.Amount.String() + " för " + o.Name + " och skickar den till Kammarkollegiet. " + document.Attestation
	case action == "godkann" && req.Status == grant.Submitted && s.app.MayDecide(a, req.Agreement, req.Recipient):
		v.Heading, v.Button = "Godkänn rekvisitionen", "Ja, godkänn"
		v.What = "Du godkänner att " + req.Amount.String() + " betalas ut till " + o.Name + "."
	default:
		return false
	}
	s.askConfirm(w, r, v)
	return true
}

// accountText is an account as people read it: "Bankgiro 5050-1055".
func accountText(acc grant.Account) string {
	if acc.Type == "plusgiro" {
		return "Plusgiro " + acc.Number
	}
	return "Bankgiro " + acc.Number
}

// afterAction finishes a button's POST: on success it goes back to the
// document (the payer to the work list); a refusal the user can act on is
// shown on the document, others get their own page.
func (s *server) afterAction(w http.ResponseWriter, r *http.Request, sess *session, err error, next string,
	show func(http.ResponseWriter, *http.Request, *session, int, error)) {
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		show(w, r, sess, http.StatusUnprocessableEntity, err)
		return
	}
	if grant.CanDecide(sess.Actor()) == nil {
		next = "/kammarkollegiet"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) requisitionPDF(w http.ResponseWriter, r *http.Request, sess *session) {
	b, err := s.app.RequisitionPDF(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/pdf", "rekvisition-"+r.PathValue("id")+".pdf", b)
}

// FormValue is what the user typed in the field.
func (v requisitionFormView) FormValue(name string) string { return v.Values[name] }

// FormError is the field's message, if any.
func (v requisitionFormView) FormError(name string) string { return v.Errors.Fields[name] }

// HelpSet: the hints of Bilaga 1's fields.
func (v requisitionFormView) HelpSet() string { return "bilaga1" }

// Messages are the form's messages in the form's order, each named by
// its field's label.
func (v requisitionFormView) Messages() []fieldMessage {
	return labelledMessages(v.Errors.Fields, requisitionFields)
}
