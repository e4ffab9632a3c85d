package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"narvard/internal/app"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// The payer's forms on the work list: making, attesting and confirming a
// batch, recording a repayment, issuing a reclaim. A refusal the payer can
// act on comes back on the work list beside its form, with what was typed;
// confirming a payment and issuing a reclaim are asked again first.

// worklistOf is the work list's address for the agreement.
func worklistOf(agreementID string) string {
	return "/kammarkollegiet?agreement=" + url.QueryEscape(agreementID)
}

// actionable reports whether a refusal belongs beside the form (bad
// input, a conflict) rather than on a page of its own.
func actionable(err error) bool {
	c := fault.CodeOf(err)
	return c != fault.Forbidden && c != fault.NotFound && c != fault.BooksBroken && c != ""
}

// refusedForm is a work-list form as typed with the refusal's messages;
// a refusal without fields is the form's message.
func refusedForm(r *http.Request, err error, names ...string) worklistForm {
	return worklistForm{Values: formValues(r, names...), Errors: errorsOf(err)}
}

func (s *server) createBatch(w http.ResponseWriter, r *http.Request, sess *session) {
	ag, ok := s.pageAgreement(w, r, sess.Actor().Org)
	if !ok {
		return
	}
	b, err := s.app.CreateBatch(r.Context(), sess.Actor(), ag.ID, r.PostForm["rekvisition"])
	if err != nil {
		if actionable(err) {
			s.showWorklist(w, r, sess, http.StatusUnprocessableEntity, worklistView{Error: labelledText(err)})
			return
		}
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/betalningar/"+b.ID, http.StatusSeeOther)
}

func (s *server) attestBatch(w http.ResponseWriter, r *http.Request, sess *session) {
	b, err := s.app.AttestBatch(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, backFromBatch(r, b.ID, b.Agreement), http.StatusSeeOther)
}

// backFromBatch is where a batch's form leads back to: the batch's page
// when it was sent from there, else the work list.
func backFromBatch(r *http.Request, id, agreementID string) string {
	if r.PostFormValue("from") == "batch" {
		return "/betalningar/" + id
	}
	return worklistOf(agreementID)
}

func (s *server) batchFile(w http.ResponseWriter, r *http.Request, sess *session) {
	b, err := s.app.PaymentFile(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/xml; charset=utf-8", r.PathValue("id")+".pain.001.xml", b)
}

func (s *server) confirmBatch(w http.ResponseWriter, r *http.Request, sess *session) {
	a, id := sess.Actor(), r.PathValue("id")
	on, perr := time.Parse(time.DateOnly, r.PostFormValue("paid_on"))
	refused := func(err error) {
		if !actionable(err) {
			s.refuse(w, r, err)
			return
		}
		if r.PostFormValue("from") == "batch" {
			s.showBatch(w, r, sess, http.StatusUnprocessableEntity, refusedForm(r, err, "paid_on"))
			return
		}
		s.showWorklist(w, r, sess, http.StatusUnprocessableEntity, worklistView{Confirm: refusedForm(r, err, "paid_on"), ConfirmBatch: id})
	}
	if perr != nil {
		on = time.Time{} // the use case refuses it with the other messages
	}
	if !confirmed(r) {
		if bv, err := s.app.Batch(r.Context(), a, id); err == nil && grant.CanPay(a, bv.Payer) == nil && grant.CanDecide(a) == nil && bv.Attested() && !bv.Confirmed() {
			if err := grant.CheckMoneyDate("paid_on", "Betalningsdagen", on, s.app.Clock.Now(), time.Date(bv.CreatedAt.Year(), 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				refused(err)
				return
			}
			s.askConfirm(w, r, s.confirmBatchView(r, bv, on))
			return
		}
	}
	b, err := s.app.ConfirmBatch(r.Context(), a, id, on)
	if err != nil {
		refused(err)
		return
	}
	http.Redirect(w, r, backFromBatch(r, b.ID, b.Agreement), http.StatusSeeOther)
}

// confirmBatchView restates a batch before it is confirmed as paid.
func (s *server) confirmBatchView(r *http.Request, b app.BatchView, on time.Time) confirmView {
	count, sum := batchTotals(b)
	v := confirmView{Heading: "Bekräfta betalningen", Button: "Ja, bekräfta betald", Back: "/betalningar/" + b.ID,
		What: "Du bekräftar att betalningsomgång " + b.ID + " är betald " + on.Format(time.DateOnly) + ": " + sum.String() +
			" till " + strconv.Itoa(count) + " mottagare bokförs som utbetalt.",
		Lines: []confirmLine{{"Omgång", b.ID}, {"Betalningsdag", on.Format(time.DateOnly)}, {"Antal betalningar", strconv.Itoa(count)}, {"Summa", sum.String()}}}
	for _, l := range batchLines(r, s, b) {
		v.Lines = append(v.Lines, confirmLine{"Mottagare", l.Name + ": " + l.Amount.String()})
	}
	return v
}

func (s *server) recordRepayment(w http.ResponseWriter, r *http.Request, sess *session) {
	fields := []string{"recipient", "amount_kr", "received_on", "reference"}
	amount, amountOK := parseKr(r.PostFormValue("amount_kr"))
	on, dateErr := time.Parse(time.DateOnly, r.PostFormValue("received_on"))
	recipient := r.PostFormValue("recipient")
	ag, ok := s.pageAgreement(w, r, recipient)
	if !ok {
		return
	}
	// What did not parse goes on as a value the use case refuses, so that
	// every field's message comes at once; the parse's own message wins.
	if !amountOK {
		amount = 0
	}
	if dateErr != nil {
		on = time.Time{}
	}
	_, err := s.app.RecordRepayment(r.Context(), sess.Actor(), grant.Repayment{Agreement: ag.ID,
		Recipient: recipient, Amount: amount, ReceivedOn: on, Reference: r.PostFormValue("reference")})
	if err != nil {
		if !actionable(err) {
			s.refuse(w, r, err)
			return
		}
		f := refusedForm(r, err, fields...)
		if !amountOK {
			setField(&f.Errors, "amount_kr", "Ange beloppet i hela kronor, t.ex. 75 000.")
		}
		s.showWorklist(w, r, sess, http.StatusUnprocessableEntity, worklistView{Repayment: f})
		return
	}
	http.Redirect(w, r, worklistOf(ag.ID), http.StatusSeeOther)
}

func (s *server) issueReclaim(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	fields := []string{"recipient", "amount_kr", "reason"}
	amount, amountOK := parseKr(r.PostFormValue("amount_kr"))
	recipient := r.PostFormValue("recipient")
	ag, ok := s.pageAgreement(w, r, recipient)
	if !ok {
		return
	}
	if !amountOK {
		amount = 0 // refused by the use case with the other messages
	}
	c := grant.Reclaim{Agreement: ag.ID, Recipient: recipient, Amount: amount, Reason: r.PostFormValue("reason")}
	if amountOK && amount > 0 && c.Reason != "" && !confirmed(r) && s.app.MayDecide(a, ag.ID, recipient) {
		o, _ := s.app.Organisation(r.Context(), recipient)
		s.askConfirm(w, r, confirmView{Heading: "Besluta om återkrav", Button: "Ja, besluta om återkrav", Back: worklistOf(ag.ID) + "#aterkrav",
			What:  "Du beslutar att " + o.Name + " ska betala tillbaka " + amount.String() + "; beslutet blir en skuld och ett återkravsbeslut.",
			Lines: []confirmLine{{"Mottagare", o.Name}, {"Belopp", amount.String()}, {"Skäl", c.Reason}}})
		return
	}
	if _, err := s.app.IssueReclaim(r.Context(), a, c); err != nil {
		if !actionable(err) {
			s.refuse(w, r, err)
			return
		}
		f := refusedForm(r, err, fields...)
		if !amountOK {
			setField(&f.Errors, "amount_kr", "Ange beloppet i hela kronor, t.ex. 75 000.")
		}
		s.showWorklist(w, r, sess, http.StatusUnprocessableEntity, worklistView{Reclaim: f})
		return
	}
	http.Redirect(w, r, worklistOf(ag.ID), http.StatusSeeOther)
}

// setField puts a message on a field, over what the use case said.
func setField(e *formErrors, field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if e.Message == "" {
		e.Message = "Uppgifterna är inte fullständiga eller inte giltiga."
	}
	e.Fields[field] = msg
}

// batchTotals are a batch's number of payments and their sum.
func batchTotals(b app.BatchView) (int, money.Kr) {
	var sum money.Kr
	for _, r := range b.Requisitions {
		sum += r.Amount
	}
	for _, l := range b.VFU {
		sum += l.Amount
	}
	return len(b.Requisitions) + len(b.VFU), sum
}
