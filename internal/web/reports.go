package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"narvard/internal/app"
	"narvard/internal/clock"
	"narvard/internal/document"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// costRows is how many cost lines the report form offers.
const costRows = 8

type costRow struct {
	Item, Component, Amount string
	// Errors are the row's messages by field: item, component, amount_kr.
	Errors map[string]string
}

// reportFormView is the financial report form.
type reportFormView struct {
	ID            string
	Agreement     string // the agreement's id
	AgreementName string
	Values        map[string]string
	Costs         []costRow
	Components    []grant.ComponentAmount
	Errors        formErrors
	FromBooks     string // the books' file the cost lines were filled in from, "" when typed
}

var reportFields = []string{"period_from", "period_to", "contact.name", "contact.email", "contact.phone", "agreement_dnr", "payment_decision_dnr"}

func (s *server) reportForm(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	v := reportFormView{ID: r.PathValue("id"), Values: map[string]string{}}
	if v.ID != "" {
		rep, err := s.app.Report(r.Context(), a, v.ID)
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		v.Values = map[string]string{"period_from": rep.PeriodFrom, "period_to": rep.PeriodTo, "contact.name": rep.Contact.Name,
			"contact.email": rep.Contact.Email, "contact.phone": rep.Contact.Phone, "agreement_dnr": rep.AgreementDnr,
			"payment_decision_dnr": rep.PaymentDecisionDnr}
		v.Agreement = rep.Agreement
		for _, c := range rep.ReportForm.Costs {
			v.Costs = append(v.Costs, costRow{Item: c.Item, Component: c.Component, Amount: groupKr(c.Amount)})
		}
	} else {
		ag, ok := s.pageAgreement(w, r, a.Org)
		if !ok {
			return
		}
		v.Agreement = ag.ID
		if d, ok := s.existingReport(r, a, ag.ID, a.Org); ok && grant.CanWriteReport(a, a.Org) == nil {
			s.showExisting(w, r, http.StatusOK, d)
			return
		}
		v.Values = map[string]string{"period_from": ag.PeriodFrom.String(), "period_to": ag.PeriodTo.String(), "contact.name": a.Name, "contact.email": a.Email}
		if reqs, err := s.app.Requisitions(r.Context(), a, storeFilter(ag.ID, a.Org)); err == nil && len(reqs) > 0 {
			v.Values["agreement_dnr"], v.Values["payment_decision_dnr"] = reqs[0].AgreementDnr, reqs[0].PaymentDecisionDnr
		}
		if b, err := s.app.RecipientBooks(r.Context(), a, ag.ID, a.Org); err == nil && b != nil {
			v.FromBooks = b.Import.FileName
			for _, c := range b.CostLines() {
				v.Costs = append(v.Costs, costRow{Item: c.Item, Component: c.Component, Amount: groupKr(c.Amount)})
			}
		}
	}
	s.renderReportForm(w, r, sess, http.StatusOK, v)
}

func (s *server) renderReportForm(w http.ResponseWriter, r *http.Request, sess *session, status int, v reportFormView) {
	a := sess.Actor()
	if err := grant.CanWriteReport(a, a.Org); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	ag, err := s.agreements.Get(v.Agreement)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", v.Agreement))
		return
	}
	v.AgreementName = ag.Name
	al, _ := s.app.Allocation(ag.ID, a.Org)
	v.Components = al.Components
	for len(v.Costs) < costRows {
		v.Costs = append(v.Costs, costRow{})
	}
	s.render(w, r, status, "report_form.html", "Ekonomisk redovisning", v)
}

func (s *server) reportSave(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	values := formValues(r, reportFields...)
	agreementID, ok := s.formAgreement(w, r, a, r.PathValue("id"), func(id string) (string, error) {
		rep, err := s.app.Report(r.Context(), a, id)
		return rep.Agreement, err
	})
	if !ok {
		return
	}
	f := grant.ReportForm{Agreement: agreementID, Recipient: a.Org, PeriodFrom: values["period_from"], PeriodTo: values["period_to"],
		Contact:      grant.Contact{Name: values["contact.name"], Email: values["contact.email"], Phone: values["contact.phone"]},
		AgreementDnr: values["agreement_dnr"], PaymentDecisionDnr: values["payment_decision_dnr"]}
	rows, rowOf, unparsed := costRowsOf(r, &f)
	var v app.ReportView
	var err error
	if id := r.PathValue("id"); id == "" {
		v, err = s.app.CreateReport(r.Context(), a, f)
	} else {
		v, err = s.app.UpdateReport(r.Context(), a, id, f)
	}
	if err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		if s.conflictExisting(w, r, err, func() (existingDoc, bool) { return s.existingReport(r, a, agreementID, a.Org) }) {
			return
		}
		errs := rowErrors(errorsOf(err), rowOf, unparsed, rows)
		s.renderReportForm(w, r, sess, http.StatusUnprocessableEntity, reportFormView{ID: r.PathValue("id"), Agreement: agreementID, Values: values, Costs: rows, Errors: errs})
		return
	}
	http.Redirect(w, r, "/redovisningar/"+v.ID, http.StatusSeeOther)
}

// reportView is one financial report and what the user may do with it.
type reportView struct {
	Rep                                        app.ReportView
	OrgName, OrgNr, AgreementName, Attestation string
	CanEdit, CanReview, CanSign, CanDecide     bool
	Labels                                     map[string]string
	Error                                      string
	// Review is the CFO's review form as typed, kept when it was refused.
	Review reviewForm
	// History is every change of the report, oldest first.
	History []app.HistoryEntry
}

// reviewForm is what the CFO chose and typed in the review form.
type reviewForm struct {
	Alternative, Deviations, Actions, Title, Phone string
	Errors                                         map[string]string
}

// Alt2 reports whether the report's review says it is not correct.
func (v reportView) Alt2() bool { return v.Rep.Review != nil && v.Rep.Review.Alternative == 2 }

// reviewFormOf is the review form as the CFO sent it when the request is
// a refused review, else the form's defaults (nothing chosen).
func reviewFormOf(r *http.Request, msg error) reviewForm {
	f := reviewForm{Title: "Ekonomichef"}
	if r.Method != http.MethodPost || r.PathValue("action") != "granska" {
		return f
	}
	f = reviewForm{Alternative: r.PostFormValue("alternative"), Deviations: r.PostFormValue("deviations"),
		Actions: r.PostFormValue("actions"), Title: r.PostFormValue("title"), Phone: r.PostFormValue("phone")}
	if msg != nil {
		f.Errors = errorsOf(msg).Fields
	}
	return f
}

// BooksOf is what the recipient's books say the component cost.
func (v reportView) BooksOf(component string) money.Kr {
	c, _ := v.Rep.Books.Of(component)
	return c.Amount
}

// BooksDifference is the report's costs of the component less the books'.
func (v reportView) BooksDifference(component string) money.Kr {
	var reported money.Kr
	for _, c := range v.Rep.ReportForm.Costs {
		if c.Component == component {
			reported += c.Amount
		}
	}
	return reported - v.BooksOf(component)
}

func (s *server) reportPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showReport(w, r, sess, http.StatusOK, nil)
}

func (s *server) showReport(w http.ResponseWriter, r *http.Request, sess *session, status int, refusal error) {
	a := sess.Actor()
	v, err := s.app.Report(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	history, err := s.app.History(r.Context(), a, "report:"+v.ID)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	o, _ := s.app.Organisation(r.Context(), v.Recipient)
	ag, _ := s.agreements.Get(v.Agreement)
	labels := map[string]string{}
	for _, c := range v.Components {
		labels[c.ID] = c.Label
	}
	st := v.Status
	s.render(w, r, status, "report.html", "Ekonomisk redovisning "+v.ID, reportView{Rep: v, OrgName: o.Name, OrgNr: o.OrgNr,
		AgreementName: ag.Name, Attestation: document.ReportAttestation, Labels: labels, Error: labelledText(refusal),
		Review: reviewFormOf(r, refusal), History: history,
		CanEdit:   (st == grant.ReportDraft || st == grant.ReportReviewed || st == grant.ReportReturned) && grant.CanWriteReport(a, v.Recipient) == nil,
		CanReview: st == grant.ReportDraft && grant.CanReview(a, v.Recipient) == nil,
		CanSign:   st == grant.ReportReviewed && grant.CanSign(a, v.Recipient) == nil,
		CanDecide: st == grant.ReportSubmitted && s.app.MayDecide(a, v.Agreement, v.Recipient)})
}

func (s *server) reportAction(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id, ctx := sess.Actor(), r.PathValue("id"), r.Context()
	if s.confirmReport(w, r, sess) {
		return
	}
	var err error
	switch r.PathValue("action") {
	case "granska":
		alt, _ := strconv.Atoi(r.PostFormValue("alternative"))
		_, err = s.app.ReviewReport(ctx, a, id, grant.Review{Alternative: alt, Deviations: r.PostFormValue("deviations"),
			Actions: r.PostFormValue("actions"), Title: r.PostFormValue("title"), Phone: r.PostFormValue("phone")})
	case "signera":
		_, err = s.app.SignReport(ctx, a, id)
	case "godkann":
		_, err = s.app.AcceptReport(ctx, a, id)
	case "skicka-tillbaka":
		_, err = s.app.ReturnReport(ctx, a, id, r.PostFormValue("reason"))
	default:
		s.notFound(w, r)
		return
	}
	s.afterAction(w, r, sess, err, "/redovisningar/"+id, s.showReport)
}

// confirmReport asks again before signing or accepting a report the user
// may sign or accept, and reports whether it did; an Alt 2 review is
// restated prominently. Others fall through to the use case.
func (s *server) confirmReport(w http.ResponseWriter, r *http.Request, sess *session) bool {
	action := r.PathValue("action")
	if confirmed(r) || (action != "signera" && action != "godkann") {
		return false
	}
	a := sess.Actor()
	rep, err := s.app.Report(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return false
	}
	o, _ := s.app.Organisation(r.Context(), rep.Recipient)
	v := confirmView{Back: "/redovisningar/" + rep.ID, Lines: []confirmLine{
		{"Redovisning", rep.ID}, {"Mottagare", o.Name}, {"Utbetalt", rep.Paid.String()}, {"Kostnader", rep.Costs.String()},
		{"Att återbetala", rep.Due.String()}}}
	if rep.Review != nil && rep.Review.Alternative == 2 {
		v.Alt2 = rep.Review
	}
	switch {
	case action == "signera" && rep.Status == grant.ReportReviewed && grant.CanSign(a, rep.Recipient) == nil:
		v.Heading, v.Button = "Skriv under redovisningen", "Ja, skriv under och skicka"
		v.What = "Du skriver under " + o.Name + "s ekonomiska redovisning och skickar den till Kammarkollegiet; " +
			rep.Due.String() + " ska då betalas tillbaka. " + document.ReportAttestation
	case action == "godkann" && rep.Status == grant.ReportSubmitted && s.app.MayDecide(a, rep.Agreement, rep.Recipient):
		v.Heading, v.Button = "Godkänn redovisningen", "Ja, godkänn"
		v.What = "Du godkänner " + o.Name + "s ekonomiska redovisning; " + rep.Due.String() + " blir då skuld att betala tillbaka."
	default:
		return false
	}
	s.askConfirm(w, r, v)
	return true
}

func (s *server) reportPDF(w http.ResponseWriter, r *http.Request, sess *session) {
	b, err := s.app.ReportPDF(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/pdf", "ekonomisk-redovisning-"+r.PathValue("id")+".pdf", b)
}

func groupKr(k money.Kr) string { return money.Group(int64(k)) }

func passed(s *server, date time.Time) bool { return clock.Passed(date, s.app.Clock.Now()) }

// FormValue is what the user typed in the field.
func (v reportFormView) FormValue(name string) string { return v.Values[name] }

// FormError is the field's message, if any.
func (v reportFormView) FormError(name string) string { return v.Errors.Fields[name] }

// HelpSet: the hints of Bilaga 1's fields.
func (v reportFormView) HelpSet() string { return "bilaga1" }

// costRowsOf reads the form's cost rows into f.Costs, skipping empty
// rows: rowOf[i] is the form row (0-based) of f.Costs[i]. An amount that
// does not parse goes on as −1, which the use case refuses with every
// other message at once; unparsed lists those rows.
func costRowsOf(r *http.Request, f *grant.ReportForm) (rows []costRow, rowOf []int, unparsed []int) {
	for i := range costRows {
		c := costRow{Item: r.PostFormValue(fmt.Sprintf("item%d", i)), Component: r.PostFormValue(fmt.Sprintf("component%d", i)), Amount: r.PostFormValue(fmt.Sprintf("amount%d", i))}
		rows = append(rows, c)
		if c.Item == "" && c.Amount == "" {
			continue
		}
		amount, ok := parseKr(c.Amount)
		if !ok {
			amount = -1
			unparsed = append(unparsed, i)
		}
		rowOf = append(rowOf, i)
		f.Costs = append(f.Costs, grant.CostLine{Item: c.Item, Component: c.Component, Amount: amount})
	}
	return rows, rowOf, unparsed
}

// rowErrors keys the use case's messages on cost lines by the form's row
// (costs[2].amount_kr is the form's third row, named "Rad 3"), puts the
// parse's message on rows whose amount did not parse, and marks each
// row's messages on the row.
func rowErrors(errs formErrors, rowOf, unparsed []int, rows []costRow) formErrors {
	out := formErrors{Message: errs.Message, Fields: map[string]string{}}
	for k, m := range errs.Fields {
		if g := rowKey.FindStringSubmatch(k); g != nil {
			if i, err := strconv.Atoi(g[1]); err == nil && i < len(rowOf) {
				k = "costs[" + strconv.Itoa(rowOf[i]) + "]." + g[2]
			}
		}
		out.Fields[k] = m
	}
	for _, i := range unparsed {
		setField(&out, "costs["+strconv.Itoa(i)+"].amount_kr", "Ange beloppet i hela kronor utan decimaler, t.ex. 75 000.")
	}
	for k, m := range out.Fields {
		g := rowKey.FindStringSubmatch(k)
		if g == nil {
			continue
		}
		i, _ := strconv.Atoi(g[1])
		if i < len(rows) {
			if rows[i].Errors == nil {
				rows[i].Errors = map[string]string{}
			}
			rows[i].Errors[g[2]] = m
		}
	}
	return out
}

// Messages are the form's messages, each named by its field's label and
// a cost row's by the row's number.
func (v reportFormView) Messages() []fieldMessage {
	return labelledMessages(v.Errors.Fields, reportFields)
}
