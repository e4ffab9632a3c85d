package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/payment"
)

func (s *server) grantRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /logga-in", s.loginForm)
	mux.HandleFunc("POST /logga-in", s.login)
	mux.HandleFunc("POST /logga-ut", s.signedIn(s.logout))
	mux.HandleFunc("GET /start", s.signedIn(s.start))
	mux.HandleFunc("GET /rekvisitioner/ny", s.signedIn(s.requisitionForm))
	mux.HandleFunc("POST /rekvisitioner/ny", s.signedIn(s.requisitionSave))
	mux.HandleFunc("GET /rekvisitioner/{id}", s.signedIn(s.requisitionPage))
	mux.HandleFunc("GET /rekvisitioner/{id}/andra", s.signedIn(s.requisitionForm))
	mux.HandleFunc("POST /rekvisitioner/{id}/andra", s.signedIn(s.requisitionSave))
	mux.HandleFunc("POST /rekvisitioner/{id}/{action}", s.signedIn(s.requisitionAction))
	mux.HandleFunc("GET /rekvisitioner/{id}/pdf", s.signedIn(s.requisitionPDF))
	mux.HandleFunc("GET /kammarkollegiet", s.signedIn(s.worklist))
	mux.HandleFunc("GET /kammarkollegiet.xlsx", s.signedIn(s.worklistExport))
	mux.HandleFunc("POST /betalningar", s.signedIn(s.createBatch))
	mux.HandleFunc("GET /betalningar/{id}", s.signedIn(s.batchPage))
	mux.HandleFunc("GET /betalningar/{id}/pain.001", s.signedIn(s.batchFile))
	mux.HandleFunc("POST /betalningar/{id}/attestera", s.signedIn(s.attestBatch))
	mux.HandleFunc("POST /betalningar/{id}/bekrafta", s.signedIn(s.confirmBatch))
	mux.HandleFunc("POST /aterbetalningar", s.signedIn(s.recordRepayment))
	mux.HandleFunc("POST /aterkrav", s.signedIn(s.issueReclaim))
	mux.HandleFunc("POST /bankaviseringar", s.signedInUploadOf(maxBankUpload, s.bankUpload))
	mux.HandleFunc("GET /bankaviseringar/{id}", s.signedIn(s.bankPage))
	mux.HandleFunc("GET /skulder/{id}/pdf", s.signedIn(s.debtLetter))
	mux.HandleFunc("GET /oversikt", s.signedIn(s.matrix))
	mux.HandleFunc("GET /oversikt.xlsx", s.signedIn(s.matrixXLSX))
	mux.HandleFunc("GET /oversikt/{recipient}", s.signedIn(s.recipientOverview))
	mux.HandleFunc("GET /redovisningar/ny", s.signedIn(s.reportForm))
	mux.HandleFunc("POST /redovisningar/ny", s.signedIn(s.reportSave))
	mux.HandleFunc("GET /redovisningar/{id}", s.signedIn(s.reportPage))
	mux.HandleFunc("GET /redovisningar/{id}/andra", s.signedIn(s.reportForm))
	mux.HandleFunc("POST /redovisningar/{id}/andra", s.signedIn(s.reportSave))
	mux.HandleFunc("POST /redovisningar/{id}/{action}", s.signedIn(s.reportAction))
	mux.HandleFunc("GET /redovisningar/{id}/pdf", s.signedIn(s.reportPDF))
	mux.HandleFunc("GET /uppfoljning", s.signedIn(s.followupForm))
	mux.HandleFunc("POST /uppfoljning", s.signedInUpload(s.followupRun))
	mux.HandleFunc("GET /uppfoljning/korning/{id}", s.signedIn(s.followupJob))
	mux.HandleFunc("POST /uppfoljning/korning/{id}/avbryt", s.signedIn(s.followupCancel))
	mux.HandleFunc("GET /uppfoljning/{id}/{format}", s.signedIn(s.followupDownload))
	mux.HandleFunc("GET /uppfoljning/resultat/{id}", s.signedIn(s.followupSaved))
	mux.HandleFunc("POST /uppfoljning/resultat/{id}/ta-bort", s.signedIn(s.followupDelete))
	s.vfuRoutes(mux)
	s.municipalRoutes(mux)
	s.docRequestRoutes(mux)
	s.planRoutes(mux)
	s.activityRoutes(mux)
	s.surveyRoutes(mux)
}

// pageAgreement is the agreement a page or form works on: the one named by
// ?agreement= or the form's agreement field, else the organisation's only
// (live) agreement. With several live and none named it shows a chooser
// (422) and returns false; so it does, with the refusal, for an unknown id.
func (s *server) pageAgreement(w http.ResponseWriter, r *http.Request, orgID string) (*agreement.Agreement, bool) {
	named := r.URL.Query().Get("agreement")
	if named == "" && r.Method == http.MethodPost {
		named = r.PostFormValue("agreement")
	}
	id, err := s.app.ResolveAgreement(r.Context(), orgID, named)
	if err != nil {
		s.chooseAgreement(w, r, orgID, err)
		return nil, false
	}
	ag, err := s.agreements.Get(id)
	if err != nil {
		s.refuse(w, r, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", id))
		return nil, false
	}
	return ag, true
}

// formAgreement is the agreement a saved form belongs to: an existing
// document's own (looked up by id), else the page's.
func (s *server) formAgreement(w http.ResponseWriter, r *http.Request, a auth.Actor, id string, of func(string) (string, error)) (string, bool) {
	if id != "" {
		ag, err := of(id)
		if err != nil {
			s.refuse(w, r, err)
			return "", false
		}
		return ag, true
	}
	ag, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return "", false
	}
	return ag.ID, true
}

// chooserView asks which agreement a page is about.
type chooserView struct {
	Text    string
	Choices []agreementLink
}

// agreementLink is a link to the same page for one agreement.
type agreementLink struct {
	ID, Name, Href string
	Live, Current  bool
}

// agreementLinks links the page's path for each agreement the
// organisation takes part in, newest first, keeping the other query
// parameters.
func (s *server) agreementLinks(r *http.Request, orgID, current string) []agreementLink {
	var out []agreementLink
	states, err := s.app.AgreementStates(r.Context(), orgID)
	if err != nil {
		return nil
	}
	for _, st := range states {
		q := r.URL.Query()
		q.Set("agreement", st.ID)
		out = append(out, agreementLink{ID: st.ID, Name: st.Name, Href: r.URL.Path + "?" + q.Encode(), Live: st.Live, Current: st.ID == current})
	}
	return out
}

// chooseAgreement answers a page that names no agreement when the
// organisation has several live: 422 and a link per agreement.
func (s *server) chooseAgreement(w http.ResponseWriter, r *http.Request, orgID string, err error) {
	if fault.CodeOf(err) != fault.Invalid {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "choose.html", "Välj överenskommelse",
		chooserView{Text: refusalText(err), Choices: s.agreementLinks(r, orgID, "")})
}

// isRecipient reports whether the organisation receives money.
func isRecipient(id string) bool {
	kind, _, ok := org.Parse(id)
	return ok && kind != org.KindKommun
}

// refuse shows a fault as a page: 403 and 404 get their own, others go
// back to where the user came from with the message.
func (s *server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch fault.CodeOf(err) {
	case fault.Forbidden:
		s.forbidden(w, r, err.Error())
	case fault.NotFound:
		s.render(w, r, http.StatusNotFound, "message.html", "Finns inte", messageView{Heading: "Finns inte", Text: err.Error()})
	case fault.BooksBroken:
		s.booksBroken(w, r, err)
	case "":
		s.serverError(w, r, err)
	default:
		s.render(w, r, http.StatusUnprocessableEntity, "message.html", "Det gick inte", messageView{Heading: "Det gick inte", Text: refusalText(err)})
	}
}

// refusalText is a refusal's message and its field messages, in field
// order, without the fields' names.
func refusalText(err error) string {
	var f *fault.Error
	if !errors.As(err, &f) || len(f.Fields) == 0 {
		return err.Error()
	}
	text := f.Message
	for _, k := range slices.Sorted(maps.Keys(f.Fields)) {
		text += " " + f.Fields[k]
	}
	return text
}

// startView is the signed-in user's start page: one section per agreement
// the organisation takes part in, newest first.
type startView struct {
	// Activity: the user's organisation files activity reports, or the
	// user reads them.
	Activity   bool
	Role       string
	OrgName    string
	Recipient  bool
	Payer      bool
	Overview   bool
	AuditLog   bool // the user reads the audit log
	Agreements []startAgreement
	// DocRequests are the open (and overdue) requests for underlag to the
	// user's organisation.
	DocRequests []app.DocRequestView
}

// startAgreement is one agreement on the start page: for a recipient its
// status and what to do now.
type startAgreement struct {
	ID, Name string
	Live     bool
	// Conditions are the agreement's conditions that bind the user's
	// organisation's kind of recipient, by development area.
	Conditions []agreement.AreaConditions
	Status     *app.Status
	Next       string
	// Departs: the binding amounts (the signed annex) depart from the
	// exact computation for some component, so the page shows both.
	Departs bool
	// Onward is, for a municipality, its RSS's decision for it and what
	// it has received.
	Onward *app.KommunOnward
	// VFU: the user may act in the agreement's VFU round (report, sign,
	// coordinate for the county's municipalities, or review).
	VFU bool
	// VFUOnly is the status of a municipality whose only money from the
	// agreement is VFU money.
	VFUOnly *app.Status

	// RSSFunds is, for an RSS, what it has received and passed on to its
	// municipalities.
	RSSFunds *app.OnwardFunds
	// DueNote explains what is owed: why, by when, where; preliminary
	// while the report is not accepted.
	DueNote *dueNote
}

func (s *server) start(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	o, err := s.app.Organisation(r.Context(), a.Org)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := startView{Role: a.Role.Swedish(), OrgName: o.Name, Payer: grant.CanDecide(a) == nil, Overview: grant.CanReadAll(a) == nil,
		Activity: len(grant.RecipientKinds(a.Org)) > 0 || grant.CanReadAll(a) == nil, AuditLog: grant.CanReadAuditLog(a) == nil}
	states, err := s.app.AgreementStates(r.Context(), a.Org)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, ag := range states {
		sa := startAgreement{ID: ag.ID, Name: ag.Name, Live: ag.Live, VFU: s.actsInVFU(a, ag.ID)}
		if full, err := s.agreements.Get(ag.ID); err == nil {
			if kinds := grant.RecipientKinds(a.Org); len(kinds) > 0 {
				sa.Conditions = full.ConditionsByArea(kinds...)
			}
		}
		if err := s.fillStart(r.Context(), a, &sa); err != nil {
			s.booksBroken(w, r, err)
			return
		}
		v.Recipient = v.Recipient || sa.Status != nil
		v.Agreements = append(v.Agreements, sa)
	}
	v.DocRequests = s.openDocRequests(r, a)
	s.render(w, r, http.StatusOK, "start.html", "Start", v)
}

// fillStart fills one agreement's part of the start page: a recipient's
// status, a municipality's onward money (and its VFU money when it has no
// allocation), an RSS's funds. Only broken books are an error; what the
// user may not see is left out.
func (s *server) fillStart(ctx context.Context, a auth.Actor, sa *startAgreement) error {
	broken := func(err error) bool { return fault.CodeOf(err) == fault.BooksBroken }
	kind, _, _ := org.Parse(a.Org)
	if _, ok := s.app.Allocation(sa.ID, a.Org); ok && isRecipient(a.Org) {
		st, err := s.app.RecipientStatus(ctx, a, sa.ID, a.Org)
		if broken(err) {
			return err
		}
		if err == nil {
			sa.Status, sa.Next, sa.DueNote = &st, nextStep(st, a), dueNoteOf(st)
			for _, c := range st.Components {
				sa.Departs = sa.Departs || c.Departure() != 0
			}
		}
	}
	switch kind {
	case org.KindKommun:
		k, err := s.app.KommunOnwardStatus(ctx, a, sa.ID, a.Org)
		if broken(err) {
			return err
		}
		if err == nil {
			sa.Onward = &k
		}
		if st, err := s.app.RecipientStatus(ctx, a, sa.ID, a.Org); err == nil && sa.Status == nil {
			sa.VFUOnly = &st
		}
	case org.KindRSS:
		f, _, err := s.app.RSSOnwardFunds(ctx, a, sa.ID, a.Org)
		if broken(err) {
			return err
		}
		if err == nil {
			sa.RSSFunds = &f
		}
	}
	return nil
}

// actsInVFU reports whether the user has work in the agreement's VFU
// round: a region's, municipality's or RSS's officer or signatory, or the
// follow-up officer of the agency that pays VFU.
func (s *server) actsInVFU(a auth.Actor, agreementID string) bool {
	ag, err := s.agreements.Get(agreementID)
	if err != nil {
		return false
	}
	c, ok := grant.VFUComponent(ag)
	if !ok {
		return false
	}
	if grant.CanReviewVFU(a, c.Payer) == nil || grant.CanPay(a, c.Payer) == nil {
		return true
	}
	kind, _, _ := org.Parse(a.Org)
	return (kind == org.KindRegion || kind == org.KindKommun || kind == org.KindRSS) && grant.CanReportVFU(a, a.Org) == nil
}

// nextStep tells a recipient's user what to do now, in the imperative
// for the one who is to act (the signatory signs, the CFO reviews).
func nextStep(st app.Status, a auth.Actor) string {
	r := st.Requisition
	switch {
	case st.Lapsed && st.Paid == 0:
		return "Rätten till bidraget har förfallit: ingen rekvisition skrevs under senast sista dagen."
	case r == nil:
		return "Skriv rekvisition."
	case r.Status == grant.Draft && grant.CanSign(a, a.Org) == nil:
		return "Granska rekvisitionen och skriv under den: då skickas den till Kammarkollegiet."
	case r.Status == grant.Draft:
		return "Be behörig företrädare (firmatecknare) skriva under rekvisitionen."
	case r.Status == grant.Rejected:
		return "Kammarkollegiet har avslagit rekvisitionen: rätta den och skriv under igen."
	case r.Status == grant.Submitted:
		return "Inskickad – väntar på Kammarkollegiet."
	case r.Status == grant.Approved:
		return "Godkänd – väntar på utbetalning."
	}
	return reportStep(st, a)
}

// reportStep is nextStep once the money is paid: the financial report.
func reportStep(st app.Status, a auth.Actor) string {
	paid := "Utbetald " + st.Requisition.PaidOn.Format(time.DateOnly) + ". "
	rep := st.Report
	switch {
	case rep == nil:
		return paid + "Skriv den ekonomiska redovisningen."
	case rep.Status == grant.ReportDraft && grant.CanReview(a, a.Org) == nil:
		return "Granska och intyga den ekonomiska redovisningen: Alt 1 om den är korrekt, Alt 2 om den inte är det."
	case rep.Status == grant.ReportDraft:
		return paid + "Be ekonomichefen granska och intyga den ekonomiska redovisningen."
	case rep.Status == grant.ReportReviewed && grant.CanSign(a, a.Org) == nil:
		return "Skriv under den ekonomiska redovisningen: då skickas den till Kammarkollegiet."
	case rep.Status == grant.ReportReviewed:
		return "Redovisningen är granskad. Be behörig företrädare (firmatecknare) skriva under den."
	case rep.Status == grant.ReportReturned:
		return "Kammarkollegiet har skickat tillbaka redovisningen: rätta den."
	case st.Due > 0:
		return "Betala tillbaka " + st.Due.String() + " till Kammarkollegiet."
	}
	return paid + "Redovisningen är inskickad; inget återstår."
}

// formErrors is a form's messages: one for the form and one per field.
type formErrors struct {
	Message string
	Fields  map[string]string
}

func errorsOf(err error) formErrors {
	var f *fault.Error
	if errors.As(err, &f) {
		return formErrors{Message: f.Message, Fields: f.Fields}
	}
	return formErrors{Message: err.Error()}
}

// parseKr reads an amount people typed: "1 234 567", "1234567 kr". What
// is not a whole number of kronor within int64 is 0 and false.
func parseKr(s string) (money.Kr, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "kr")
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return money.Kr(n), true
}

func formValues(r *http.Request, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = r.PostFormValue(n)
	}
	return out
}

func today(s *server) string { return clock.Today(s.app.Clock.Now()).Format(time.DateOnly) }

func (s *server) matrixRows(r *http.Request, a auth.Actor, agreementID string) ([]app.Status, error) {
	all, err := s.app.Matrix(r.Context(), a, agreementID)
	if err != nil {
		return nil, err
	}
	kind := r.URL.Query().Get("typ")
	if kind == "" {
		return all, nil
	}
	var out []app.Status
	for _, st := range all {
		if k, _, _ := org.Parse(st.Recipient); k == kind {
			out = append(out, st)
		}
	}
	return out, nil
}

type matrixView struct {
	Agreement                                   string // the agreement's id
	AgreementName                               string
	Agreements                                  []agreementLink
	Rows                                        []app.Status
	Kind                                        string
	Allocation, Requisitioned, Paid, Costs, Due money.Kr
	VFU, VFUPaid                                money.Kr
}

// overviewAgreement is the agreement of a page for those who read every
// recipient: a refusal for others comes before any chooser.
func (s *server) overviewAgreement(w http.ResponseWriter, r *http.Request, a auth.Actor) (*agreement.Agreement, bool) {
	if err := grant.CanReadAll(a); err != nil {
		s.refuse(w, r, err)
		return nil, false
	}
	return s.pageAgreement(w, r, a.Org)
}

func (s *server) matrix(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	ag, ok := s.overviewAgreement(w, r, a)
	if !ok {
		return
	}
	rows, err := s.matrixRows(r, a, ag.ID)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := matrixView{Agreement: ag.ID, AgreementName: ag.Name, Agreements: s.agreementLinks(r, a.Org, ag.ID), Rows: rows, Kind: r.URL.Query().Get("typ")}
	for _, st := range rows {
		v.Allocation += st.Allocation
		v.Requisitioned += st.Requisitioned
		v.Paid += st.Paid
		v.Costs += st.Costs
		v.Due += st.Due
		v.VFU += st.VFU
		v.VFUPaid += st.VFUPaid
	}
	s.render(w, r, http.StatusOK, "matrix.html", "Nationell översikt", v)
}

func (s *server) matrixXLSX(w http.ResponseWriter, r *http.Request, sess *session) {
	ag, ok := s.overviewAgreement(w, r, sess.Actor())
	if !ok {
		return
	}
	b, err := s.app.StatusWorkbook(r.Context(), sess.Actor(), ag.ID)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	attach(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "status-"+ag.ID+".xlsx", b)
}

func attach(w http.ResponseWriter, contentType, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(b)
}

// worklistView is Kammarkollegiet's work list.
type worklistView struct {
	Agreement           string // the agreement's id
	AgreementName       string
	Agreements          []agreementLink
	Submitted, Approved []grant.Requisition
	Batches             []batchRow
	Reports             []app.ReportView
	Flagged, Owing      []app.Status
	BankImports         []app.BankImportView
	Today               string
	Names               map[string]string
	// Agency is the payer's own agency: its name and, when an admin has
	// set it, the account its batches are paid from.
	Agency org.Organisation
	// Repayment, Reclaim and Confirm are the forms as typed when one was
	// refused, with their messages; Confirm is the batch's.
	Repayment, Reclaim, Confirm worklistForm
	ConfirmBatch                string
	// Error is a refusal that belongs to no form (making a batch).
	Error string
	// Filter narrows the sections to one and the rows to a recipient.
	Filter listFilter
}

// worklistForm is one form of the work list as typed, and its messages
// per field, each named by its field's label.
type worklistForm struct {
	Values map[string]string
	Errors formErrors
}

// Value is what was typed in the field, or def when the form is fresh.
func (f worklistForm) Value(name, def string) string {
	if f.Values == nil {
		return def
	}
	return f.Values[name]
}

// Error is the field's message.
func (f worklistForm) Error(name string) string { return f.Errors.Fields[name] }

// Messages are the form's messages named by their fields' labels.
func (f worklistForm) Messages() []fieldMessage { return labelledMessages(f.Errors.Fields, nil) }

// batchRow is a batch on the work list: who made it and who attested it,
// and whether the signed-in payer may attest it (another payer of its
// agency than its maker) or confirm it.
type batchRow struct {
	payment.Batch
	CanAttest, CanConfirm bool
	Count                 int
	Sum                   money.Kr
}

// batchRows are the batches as the actor sees them on the work list.
func batchRows(a auth.Actor, list []payment.Batch) []batchRow {
	out := make([]batchRow, 0, len(list))
	for _, b := range list {
		out = append(out, batchRow{Batch: b,
			CanAttest:  !b.Attested() && grant.CanAttest(a, b) == nil,
			CanConfirm: b.Attested() && !b.Confirmed() && grant.CanPay(a, b.Payer) == nil})
	}
	return out
}

// fillWorklist reads what the payer has to do under the view's agreement:
// requisitions to decide and to pay, batches, reports, bank files, and
// the recipients flagged or owing.
func (s *server) fillWorklist(ctx context.Context, a auth.Actor, v *worklistView) error {
	ag := v.Agreement
	var err error
	if v.Submitted, err = s.app.Requisitions(ctx, a, grant.RequisitionFilter{Agreement: ag, Status: grant.Submitted}); err != nil {
		return err
	}
	// To decide: what the payer's own agency pays.
	v.Submitted = slices.DeleteFunc(v.Submitted, func(r grant.Requisition) bool { return !s.app.MayDecide(a, r.Agreement, r.Recipient) })
	if v.Approved, err = s.app.Requisitions(ctx, a, grant.RequisitionFilter{Agreement: ag, Status: grant.Approved}); err != nil {
		return err
	}
	// Approved are those still to put in a batch: a batched requisition
	// stays approved until its batch is confirmed, and shows under its
	// batch.
	v.Approved = slices.DeleteFunc(v.Approved, func(r grant.Requisition) bool { return s.payerOf(r) != a.Org || r.BatchID != "" })
	batches, err := s.app.Batches(ctx, a)
	if err != nil {
		return err
	}
	v.Batches = batchRows(a, slices.DeleteFunc(batches, func(b payment.Batch) bool { return b.Agreement != ag || b.Payer != a.Org }))
	for i := range v.Batches {
		bv, err := s.app.Batch(ctx, a, v.Batches[i].ID)
		if err != nil {
			return err
		}
		v.Batches[i].Count, v.Batches[i].Sum = batchTotals(bv)
	}
	if v.Reports, err = s.app.Reports(ctx, a, grant.ReportFilter{Agreement: ag, Status: grant.ReportSubmitted}); err != nil {
		return err
	}
	v.Reports = slices.DeleteFunc(v.Reports, func(r app.ReportView) bool { return !s.app.MayDecide(a, r.Agreement, r.Recipient) })
	if v.BankImports, err = s.app.BankNotifications(ctx, a); err != nil {
		return err
	}
	if v.Agency, err = s.app.Organisation(ctx, a.Org); err != nil {
		return err
	}
	all, err := s.app.Matrix(ctx, a, ag)
	if err != nil {
		return err
	}
	for _, st := range all {
		v.Names[st.Recipient] = st.Name
		if st.Reclaim {
			v.Flagged = append(v.Flagged, st)
		}
		if st.Due > 0 {
			v.Owing = append(v.Owing, st)
		}
	}
	return nil
}

func (s *server) worklist(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showWorklist(w, r, sess, http.StatusOK, worklistView{})
}

// showWorklist renders the work list with the forms as given (a refused
// form keeps what was typed and its messages).
func (s *server) showWorklist(w http.ResponseWriter, r *http.Request, sess *session, status int, v worklistView) {
	if v, ok := s.worklistData(w, r, sess, v); ok {
		s.render(w, r, status, "worklist.html", v.Agency.Name+"s arbetslista", v)
	}
}

// worklistData reads the work list for a payer, narrowed by its filter.
func (s *server) worklistData(w http.ResponseWriter, r *http.Request, sess *session, v worklistView) (worklistView, bool) {
	a := sess.Actor()
	if grant.CanDecide(a) != nil {
		s.forbidden(w, r, "Arbetslistan är för Kammarkollegiets och Socialstyrelsens utbetalare.")
		return v, false
	}
	agr, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return v, false
	}
	v.Agreement, v.AgreementName, v.Agreements, v.Today, v.Names = agr.ID, agr.Name, s.agreementLinks(r, a.Org, agr.ID), today(s), map[string]string{}
	if err := s.fillWorklist(r.Context(), a, &v); err != nil {
		s.refuse(w, r, err)
		return v, false
	}
	v.Filter = newListFilter("/kammarkollegiet", r, agr.ID, v.Agreements, worklistSections)
	v.Filter.StatusLabel = "Avsnitt"
	v.Filter.counted(filterWorklist(v.Filter.Filter, &v))
	return v, true
}

// payerOf is the agency that pays the requisition ("" when unknown): a
// payer's batch takes only what its own agency pays.
func (s *server) payerOf(r grant.Requisition) string {
	ag, err := s.agreements.Get(r.Agreement)
	if err != nil {
		return ""
	}
	al, ok := s.app.Allocation(r.Agreement, r.Recipient)
	if !ok {
		return ""
	}
	p, _ := grant.PayerOf(ag, al)
	return p
}

func storeFilter(agreementID, recipient string) grant.RequisitionFilter {
	return grant.RequisitionFilter{Agreement: agreementID, Recipient: recipient}
}

// parseCount reads a whole number of zero or more as people type it, with
// grouped digits (spaces, no-break spaces).
func parseCount(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}
