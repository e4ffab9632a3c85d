package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/followup"
	"narvard/internal/grant"
	"narvard/internal/grant/granttest"
	"narvard/internal/onward"
	"narvard/internal/org"
	planpkg "narvard/internal/plan"
)

// webPost is one POST to a route of the web app: the form, or the files
// of a multipart upload, the rules of internal/grant its use case calls
// (all must allow), and whether it is about the caller's own organisation
// whoever calls (a new requisition is the caller's organisation's).
type webPost struct {
	pattern, path string
	form          url.Values
	files         map[string]string // a multipart upload, with form's fields after the files
	rules         []string
	self          bool
}

// send posts the request as b, with b's CSRF token first.
func (p webPost) send(b *browser, token string) *httptest.ResponseRecorder {
	b.t.Helper()
	if p.files == nil {
		form := url.Values{"csrf": {token}}
		for k, v := range p.form {
			form[k] = v
		}
		return b.do("POST", p.path, form)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", token)
	for _, field := range slices.Sorted(func(yield func(string) bool) {
		for k := range p.files {
			if !yield(k) {
				return
			}
		}
	}) {
		fw, _ := mw.CreateFormFile(field, field+".csv")
		fw.Write([]byte(p.files[field]))
	}
	for k, vs := range p.form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	mw.Close()
	req := httptest.NewRequest("POST", p.path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// TestEveryWebPostFollowsTheTable posts to every POST route of the web
// app as every role, of the organisation the route is about and of
// others, and checks the answer against the one table of who may do what
// (granttest.Rules), as the API's route test does: refused is 403 or 404,
// allowed anything else (a redirect, a form back with its messages, a
// conflict, a busy follow-up). A POST route not listed here fails.
func TestEveryWebPostFollowsTheTable(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	release := make(chan struct{})
	t.Cleanup(func() {
		// Let the held follow-up jobs end, and wait for them to remove
		// their uploads before the temporary directory goes.
		close(release)
		for deadline := time.Now().Add(10 * time.Second); len(tempDirs(t, tmp)) > 0 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
	})
	h, _ := newHandlerWith(t, nil, Options{compute: holdingCompute("besök", release)})
	a := handlerApp
	ctx := context.Background()
	type user struct {
		b    *browser
		org  string
		role auth.Role
	}
	var users []user
	for _, o := range []string{"region-25", "region-24", "rss-25", "rss-24", org.Kammarkollegiet, org.Socialstyrelsen, org.Socialdepartementet} {
		organisation, err := a.Organisation(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range auth.Roles {
			if grant.CanHoldRole(role, organisation) == nil {
				users = append(users, user{signedInAs(t, h, fmt.Sprintf("%s@%s.matrix", role, o), o, role), o, role})
			}
		}
	}
	actor := func(email, o string, role auth.Role) auth.Actor {
		u, err := a.AddUser(ctx, email, "", o, role, "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	officer25, sign25 := actor("o@nll.se", "region-25", auth.RecipientOfficer), actor("s@nll.se", "region-25", auth.Signatory)
	officer24, sign24 := actor("o@vll.se", "region-24", auth.RecipientOfficer), actor("s@vll.se", "region-24", auth.Signatory)
	maker, second := actor("maker@kk.se", "kammarkollegiet", auth.Payer), actor("second@kk.se", "kammarkollegiet", auth.Payer)
	admin := actor("admin@kk.se", "kammarkollegiet", auth.Admin)
	victim := strconv.FormatInt(actor("victim@vll.se", "region-24", auth.RecipientOfficer).UserID, 10)
	check2 := func(_ any, err error) { t.Helper(); check(err) }
	check2(a.UpdateOrganisation(ctx, admin, "kammarkollegiet", app.OrganisationEdit{Name: "Kammarkollegiet", Bankgiro: "5050-1055"}))
	form := func(recipient string) grant.Form {
		return grant.Form{Agreement: "gnv-2023", Recipient: recipient, Amount: 1000000, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
			Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
			Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	}
	approved := func(officer, signatory auth.Actor, recipient string) string {
		r, err := a.CreateRequisition(ctx, officer, form(recipient))
		check(err)
		check2(a.SignRequisition(ctx, signatory, r.ID))
		check2(a.ApproveRequisition(ctx, maker, r.ID))
		return r.ID
	}
	// Region Norrbotten's requisition, paid, and its financial report, a
	// draft; Region Västerbotten's requisition in a batch not yet attested.
	r1 := approved(officer25, sign25, "region-25")
	b1, err := a.CreateBatch(ctx, maker, "gnv-2023", nil)
	check(err)
	check2(a.AttestBatch(ctx, second, b1.ID))
	check2(a.ConfirmBatch(ctx, maker, b1.ID, demoNow))
	r2 := approved(officer24, sign24, "region-24")
	b2, err := a.CreateBatch(ctx, maker, "gnv-2023", []string{r2})
	check(err)
	al, _ := a.Allocation("gnv-2023", "region-25")
	rep, err := a.CreateReport(ctx, officer25, grant.ReportForm{Agreement: "gnv-2023", Recipient: "region-25", PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Costs:   []grant.CostLine{{Item: "Personal", Component: al.Components[0].ID, Amount: 1000}},
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"})
	check(err)
	// Region Norrbotten's VFU report, a draft written before the VFU
	// deadline.
	frozen := a.Clock.(*clock.Frozen)
	frozen.Set(time.Date(2023, 3, 1, 9, 0, 0, 0, clock.Stockholm))
	vfu, err := a.CreateVFUReport(ctx, officer25, "gnv-2023", "region-25", grant.VFUFigures{WeeksBase: 10, WeeksCurrent: 12})
	frozen.Set(demoNow)
	check(err)
	// Region Norrbotten's draft activity report.
	activity, err := a.CreateActivityReport(ctx, officer25, "gnv-2023-verksamhetsrapport", "region-25", nil)
	check(err)
	// A survey to the regions, open all the time the test runs.
	sv, err := a.CreateSurvey(ctx, actor("uppf@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp),
		app.SurveyForm{Template: []byte(`"enkat-kommuner-2019"`), Recipients: []byte(`"regioner"`), Opens: "2023-01-01", Closes: "2030-12-31"})
	check(err)
	vfuForm := url.Values{"agreement": {"gnv-2023"}, "recipient": {"region-25"}, "weeks_vt2022": {"1"}, "places_vt2022": {"1"}, "weeks_vt2023": {"2"}, "places_vt2023": {"1"}}
	// The onward decisions of Norrbotten's RSS: one decided, one draft.
	rssOfficer, rssSign := actor("o@rss-25.se", "rss-25", auth.RecipientOfficer), actor("s@rss-25.se", "rss-25", auth.Signatory)
	rssAl, _ := a.Allocation("gnv-2023", "rss-25")
	plan := onward.Plan{Components: map[string]onward.Spec{}}
	onwardForm := url.Values{"agreement": {"gnv-2023"}, "action": {"save"}}
	for _, c := range rssAl.Components {
		plan.Components[c.ID] = onward.Spec{Key: onward.Equal}
		onwardForm.Set("key."+c.ID, "equal")
	}
	decided, err := a.CreateOnward(ctx, rssOfficer, "gnv-2023", "rss-25", plan)
	check(err)
	check2(a.DecideOnward(ctx, rssSign, decided.ID, "2023-11-14", "RSS 1"))
	draft, err := a.CreateOnward(ctx, rssOfficer, "gnv-2023", "rss-25", plan)
	check(err)
	// Region Norrbotten's plan, a draft of one measure.
	pl, err := a.CreatePlan(ctx, officer25, "gnv-2023", "region-25", app.PlanInput{Measures: []planpkg.Measure{{Component: al.Components[0].ID, Measure: "Insats", CostObject: "9916"}}})
	check(err)
	planForm := url.Values{"agreement": {"gnv-2023"}, "m0.component": {al.Components[0].ID}, "m0.measure": {"Insats"}, "m0.cost_object": {"9916"}}
	// Jokkmokk's report to Norrbotten's RSS, signed.
	jokkmokk := auth.Actor{Email: "o@jokkmokk.se", Name: "Jokkmokk", Org: "kommun-2510", Role: auth.RecipientOfficer}
	mr, err := a.CreateMunicipalReport(ctx, jokkmokk, "gnv-2023", "kommun-2510", []grant.CostLine{{Component: rssAl.Components[0].ID, Amount: 1000}})
	check(err)
	jokkmokk.Role = auth.Signatory
	check2(a.SignMunicipalReport(ctx, jokkmokk, mr.ID))
	mrForm := url.Values{"agreement": {"gnv-2023"}, "amount." + rssAl.Components[0].ID: {"5"}}
	// A follow-up job of someone else's, held while it reads the visits.
	owner := signedInAs(t, h, "owner@socialstyrelsen.se", "socialstyrelsen", auth.FollowUp)
	job := owner.startJob(testValues(), testFiles)
	// A saved follow-up run of Region Norrbotten's (its auditor's), made
	// by the app's jobs with a computation that does not wait.
	runs := a.NewFollowUps(func(context.Context, followup.Input, followup.Options) (*followup.Result, error) {
		return &followup.Result{Rows: []followup.Row{{Group: "riket", Period: "2023", Listade: 9}}, Periods: []string{"2023"}}, nil
	}, nil)
	ticket, err := runs.Begin(actor("revisor@nll.se", "region-25", auth.Auditor))
	check(err)
	saved := ticket.Start(followup.Input{}, followup.Options{By: followup.ByRiket}, nil)
	for !saved.Finished() {
		time.Sleep(5 * time.Millisecond)
	}

	// Socialdepartementet's request for Region Norrbotten's underlag.
	dep := actor("dep@regeringskansliet.se", org.Socialdepartementet, auth.FollowUp)
	due := demoNow.AddDate(0, 1, 0).Format(time.DateOnly)
	docReq, err := a.RequestDocuments(ctx, dep, app.DocRequestForm{Agreement: "gnv-2023", Recipient: "region-25", Text: "Huvudboken", DueDate: due})
	check(err)
	// A mail in the outbox (not failed: the admin's retry is refused 422).
	outbox, err := a.Outbox(ctx)
	check(err)

	requisition := url.Values{"agreement": {"gnv-2023"}, "amount_kr": {"1000"}, "period_from": {"2023-01-01"}, "period_to": {"2023-12-31"},
		"account.type": {"bankgiro"}, "account.number": {"5050-1055"}, "payment_reference": {"GNV"}, "contact.name": {"Anna"},
		"contact.email": {"anna@example.se"}, "contact.phone": {"0920-1"}, "agreement_dnr": {"S2023/1"}, "payment_decision_dnr": {"S2023/2"}}
	report := url.Values{"agreement": {"gnv-2023"}, "period_from": {"2023-01-01"}, "period_to": {"2023-12-31"}, "contact.name": {"Anna"},
		"contact.email": {"anna@example.se"}, "contact.phone": {"0920-1"}, "agreement_dnr": {"S2023/1"}, "payment_decision_dnr": {"S2023/2"},
		"item0": {"Personal"}, "component0": {al.Components[0].ID}, "amount0": {"1000"}}
	camt := `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>MATRIX-1</MsgId></GrpHdr><Ntfctn>
<Ntry><Amt Ccy="SEK">77.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2023-11-14</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Ustrd>Gåva</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`
	followupForm := url.Values{}
	for k, v := range testValues() {
		followupForm.Set(k, v)
	}
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	posts := []webPost{
		{pattern: "POST /rekvisitioner/ny", path: "/rekvisitioner/ny", form: requisition, rules: []string{"CanDraft"}, self: true},
		{pattern: "POST /rekvisitioner/{id}/andra", path: "/rekvisitioner/" + r1 + "/andra", form: requisition, rules: []string{"CanRead", "CanDraft"}},
		{pattern: "POST /rekvisitioner/{id}/{action}", path: "/rekvisitioner/" + r1 + "/signera", rules: []string{"CanRead", "CanSign"}},
		{pattern: "POST /rekvisitioner/{id}/{action}", path: "/rekvisitioner/" + r1 + "/godkann", rules: []string{"CanRead", "CanDecide", "CanDecideFor"}},
		{pattern: "POST /rekvisitioner/{id}/{action}", path: "/rekvisitioner/" + r1 + "/avsla", form: v("reason", "Fel"), rules: []string{"CanRead", "CanDecide", "CanDecideFor"}},
		{pattern: "POST /rekvisitioner/{id}/{action}", path: "/rekvisitioner/" + r1 + "/aterkalla", rules: []string{"CanRead", "CanDraft"}},
		{pattern: "POST /betalningar", path: "/betalningar", form: v("agreement", "gnv-2023"), rules: []string{"CanPay"}, self: true},
		{pattern: "POST /betalningar/{id}/attestera", path: "/betalningar/" + b2.ID + "/attestera", rules: []string{"CanAttest"}},
		{pattern: "POST /betalningar/{id}/bekrafta", path: "/betalningar/" + b2.ID + "/bekrafta", form: v("paid_on", "2023-11-15"), rules: []string{"CanDecide", "CanPay"}},
		{pattern: "POST /aterbetalningar", path: "/aterbetalningar", form: v("agreement", "gnv-2023", "recipient", "region-25", "amount_kr", "1", "received_on", "2023-11-14", "reference", "x"), rules: []string{"CanDecide", "CanDecideFor"}},
		{pattern: "POST /aterkrav", path: "/aterkrav", form: v("agreement", "gnv-2023", "recipient", "region-25", "amount_kr", "1", "reason", "x"), rules: []string{"CanDecide", "CanDecideFor"}},
		{pattern: "POST /bankaviseringar", path: "/bankaviseringar", files: map[string]string{"file": camt}, rules: []string{"CanDecide"}},
		{pattern: "POST /redovisningar/ny", path: "/redovisningar/ny", form: report, rules: []string{"CanWriteReport"}, self: true},
		{pattern: "POST /redovisningar/{id}/andra", path: "/redovisningar/" + rep.ID + "/andra", form: report, rules: []string{"CanRead", "CanWriteReport"}},
		{pattern: "POST /redovisningar/{id}/{action}", path: "/redovisningar/" + rep.ID + "/granska", form: v("alternative", "1"), rules: []string{"CanRead", "CanReview"}},
		{pattern: "POST /redovisningar/{id}/{action}", path: "/redovisningar/" + rep.ID + "/signera", rules: []string{"CanRead", "CanSign"}},
		{pattern: "POST /redovisningar/{id}/{action}", path: "/redovisningar/" + rep.ID + "/godkann", rules: []string{"CanRead", "CanDecide", "CanDecideFor"}},
		{pattern: "POST /redovisningar/{id}/{action}", path: "/redovisningar/" + rep.ID + "/skicka-tillbaka", form: v("reason", "Fel"), rules: []string{"CanRead", "CanDecide", "CanDecideFor"}},
		{pattern: "POST /vfu/ny", path: "/vfu/ny", form: vfuForm, rules: []string{"CanReportVFU"}},
		{pattern: "POST /vfu/{id}/andra", path: "/vfu/" + vfu.ID + "/andra", form: vfuForm, rules: []string{"CanReadVFU", "CanReportVFU"}},
		{pattern: "POST /vfu/{id}/{action}", path: "/vfu/" + vfu.ID + "/signera", rules: []string{"CanReadVFU", "CanSignVFU"}},
		{pattern: "POST /vfu/{id}/{action}", path: "/vfu/" + vfu.ID + "/skicka-tillbaka", form: v("reason", "Fel"), rules: []string{"CanReadVFU", "CanReviewVFU"}},
		{pattern: "POST /verksamhetsrapporter/ny", path: "/verksamhetsrapporter/ny", form: v("template", "gnv-2023-verksamhetsrapport", "recipient", "region-25"), rules: []string{"CanWriteActivityReport"}},
		{pattern: "POST /verksamhetsrapporter/{id}/avsnitt/{section}", path: "/verksamhetsrapporter/" + activity.ID + "/avsnitt/s1", form: v("q1", "Insatser"), rules: []string{"CanRead", "CanWriteActivityReport"}},
		{pattern: "POST /verksamhetsrapporter/{id}/{action}", path: "/verksamhetsrapporter/" + activity.ID + "/signera", rules: []string{"CanRead", "CanSign"}},
		{pattern: "POST /verksamhetsrapporter/{id}/{action}", path: "/verksamhetsrapporter/" + activity.ID + "/skicka-tillbaka", form: v("reason", "Fel"), rules: []string{"CanRead", "CanReceiveActivityReport"}},
		{pattern: "POST /verksamhetsrapporter/{id}/{action}", path: "/verksamhetsrapporter/" + activity.ID + "/godkann", rules: []string{"CanRead", "CanReceiveActivityReport"}},
		{pattern: "POST /vfu/stang", path: "/vfu/stang", form: v("agreement", "gnv-2023"), rules: []string{"CanReviewVFU"}},
		{pattern: "POST /vfu/betala", path: "/vfu/betala", form: v("agreement", "gnv-2023"), rules: []string{"CanPay"}},
		{pattern: "POST /uppfoljning", path: "/uppfoljning", files: testFiles, form: followupForm, rules: []string{"CanFollowUp"}},
		{pattern: "POST /uppfoljning/korning/{id}/avbryt", path: job + "/avbryt", rules: []string{"CanFollowUp", "CanSeeJob"}},
		{pattern: "POST /uppfoljning/resultat/{id}/ta-bort", path: "/uppfoljning/resultat/" + saved.ID() + "/ta-bort", rules: []string{"CanSeeFollowUpRun", "CanDeleteFollowUpRun"}},
		{pattern: "POST /vidareformedling/ny", path: "/vidareformedling/ny", files: map[string]string{"figures_csv": ""}, form: onwardForm, rules: []string{"CanDraftOnward"}, self: true},
		{pattern: "POST /vidareformedling/{id}/betala", path: "/vidareformedling/" + decided.ID + "/betala", form: v("paid_on", "2023-11-15"), rules: []string{"CanReadOnward", "CanPayOnward"}},
		{pattern: "POST /vidareformedling/{id}/besluta", path: "/vidareformedling/" + draft.ID + "/besluta", form: v("decision_date", "2023-11-15", "reference", "RSS 2"), rules: []string{"CanReadOnward", "CanDecideOnward"}},
		{pattern: "POST /kommunredovisningar/ny", path: "/kommunredovisningar/ny", form: mrForm, rules: []string{"CanWriteReport"}},
		{pattern: "POST /kommunredovisningar/{id}/andra", path: "/kommunredovisningar/" + mr.ID + "/andra", form: mrForm, rules: []string{"CanReadMunicipalReport", "CanWriteReport"}},
		{pattern: "POST /kommunredovisningar/{id}/{action}", path: "/kommunredovisningar/" + mr.ID + "/signera", rules: []string{"CanReadMunicipalReport", "CanSign"}},
		{pattern: "POST /kommunredovisningar/{id}/{action}", path: "/kommunredovisningar/" + mr.ID + "/skicka-tillbaka", form: v("reason", "Fel"), rules: []string{"CanReadMunicipalReport", "CanReviewMunicipalReport"}},
		{pattern: "POST /kommunredovisningar/{id}/{action}", path: "/kommunredovisningar/" + mr.ID + "/godkann", rules: []string{"CanReadMunicipalReport", "CanReviewMunicipalReport"}},
		{pattern: "POST /underlag", path: "/underlag", form: v("agreement", "gnv-2023", "recipient", "region-25", "text", "Huvudboken", "due_date", due), rules: []string{"CanRequestDocuments"}},
		{pattern: "POST /underlag/{id}/bilagor", path: "/underlag/" + docReq.ID + "/bilagor", files: map[string]string{"file": "%PDF-1.4\n"}, rules: []string{"CanReadDocumentRequest", "CanAnswerDocumentRequest"}},
		{pattern: "POST /underlag/{id}/besvara", path: "/underlag/" + docReq.ID + "/besvara", form: v("text", "Se bilagan."), rules: []string{"CanReadDocumentRequest", "CanAnswerDocumentRequest"}},
		{pattern: "POST /underlag/{id}/stang", path: "/underlag/" + docReq.ID + "/stang", rules: []string{"CanReadDocumentRequest", "CanCloseDocumentRequest"}},
		{pattern: "POST /planer/ny", path: "/planer/ny", form: planForm, rules: []string{"CanDraftPlan"}, self: true},
		{pattern: "POST /planer/{id}/andra", path: "/planer/" + pl.ID + "/andra", form: planForm, rules: []string{"CanRead", "CanDraftPlan"}},
		{pattern: "POST /planer/{id}/utfall", path: "/planer/" + pl.ID + "/utfall", files: map[string]string{"file": "datum,konto,kostnadsobjekt,belopp\n2023-01-31,4010,9916,100\n"}, rules: []string{"CanRead", "CanImportOutcome"}},
		{pattern: "POST /planer/{id}/prognos", path: "/planer/" + pl.ID + "/prognos", form: v("forecast.9916", "1000"), rules: []string{"CanRead", "CanDraftPlan"}},
		{pattern: "POST /planer/{id}/besluta", path: "/planer/" + pl.ID + "/besluta", form: v("body", "Regionstyrelsen", "date", "2023-03-28", "paragraph", "§ 40"), rules: []string{"CanRead", "CanDecidePlan"}},
		{pattern: "POST /admin/organisationer/{id}", path: "/admin/organisationer/region-25", form: v("name", "Region Norrbotten", "org_nr", "232100-0230"), rules: []string{"CanManageOrganisations"}},
		{pattern: "POST /admin/anvandare", path: "/admin/anvandare", form: v("email", "ny@vll.se", "name", "Ny", "org", "region-24", "role", "cfo"), rules: []string{"CanManageUsers"}},
		{pattern: "POST /admin/anvandare/{id}/stang-av", path: "/admin/anvandare/" + victim + "/stang-av", rules: []string{"CanManageUsers"}},
		{pattern: "POST /admin/anvandare/{id}/aktivera", path: "/admin/anvandare/" + victim + "/aktivera", rules: []string{"CanManageUsers"}},
		{pattern: "POST /admin/anvandare/{id}/nytt-losenord", path: "/admin/anvandare/" + victim + "/nytt-losenord", rules: []string{"CanManageUsers"}},
		{pattern: "POST /admin/anvandare/{id}/roll", path: "/admin/anvandare/" + victim + "/roll", form: v("role", "signatory"), rules: []string{"CanManageUsers"}},
		{pattern: "POST /admin/anvandare/{id}/avsluta", path: "/admin/anvandare/" + victim + "/avsluta", form: v("session", "finns-inte"), rules: []string{"CanManageAccount"}},
		{pattern: "POST /enkater/{id}/svar/{recipient}/avsnitt/{section}", path: "/enkater/" + sv.ID + "/svar/region-25/avsnitt/samverkan", form: v("q2", "ja"), rules: []string{"CanRead", "CanAnswerSurvey"}},
		{pattern: "POST /enkater/{id}/svar/{recipient}/skicka", path: "/enkater/" + sv.ID + "/svar/region-25/skicka", rules: []string{"CanRead", "CanAnswerSurvey"}},
		{pattern: "POST /enkater/{id}/paminnelser", path: "/enkater/" + sv.ID + "/paminnelser", form: v("recipient", "region-24"), rules: []string{"CanRunSurvey"}},
		{pattern: "POST /konto/losenord", path: "/konto/losenord", form: v("current", "fel lösenord", "password", "ett nytt långt lösenord"), rules: []string{"SignedIn"}},
		{pattern: "POST /konto/avsluta", path: "/konto/avsluta", form: v("session", "finns-inte"), rules: []string{"SignedIn"}},
		{pattern: "POST /konto/epost", path: "/konto/epost", form: v("digest", "daglig"), rules: []string{"SignedIn"}},
		{pattern: "POST /kalender/prenumeration", path: "/kalender/prenumeration", rules: []string{"SignedIn"}},
		{pattern: "POST /kalender/aterkalla", path: "/kalender/aterkalla", rules: []string{"SignedIn"}},
		{pattern: "POST /admin/e-post/forsok-igen", path: "/admin/e-post/forsok-igen", form: v("key", outbox[0].Key), rules: []string{"CanManageMail"}},
		{pattern: "POST /logga-ut", path: "/logga-ut", rules: []string{"SignedIn"}}, // last: it ends the sessions
	}
	public := map[string]bool{"POST /logga-in": true} // signing in is for those not signed in
	listed := map[string]bool{}
	for _, p := range posts {
		listed[p.pattern] = true
	}
	for _, p := range granttest.RoutePatterns(t, ".", "POST") {
		if !listed[p] && !public[p] {
			t.Errorf("POST route %s is not in the table of this test: add it with the rules its use case calls", p)
		}
	}
	tokens := map[*browser]string{}
	for _, u := range users {
		tokens[u.b] = u.b.csrf("/uppfoljning")
	}
	for _, p := range posts {
		about := "region-25"
		for _, name := range p.rules {
			switch granttest.Rules[name].Of {
			case granttest.OfAgency:
				about = org.Kammarkollegiet
				if strings.HasPrefix(p.pattern, "POST /vfu") || strings.HasPrefix(p.pattern, "POST /verksamhetsrapporter") || strings.HasPrefix(p.pattern, "POST /enkater") {
					about = org.Socialstyrelsen // the agency that pays VFU, the receiver of a region's activity report
				}
			case granttest.OfRSS:
				about = "rss-25"
			case granttest.OfRequester:
				about = org.Socialdepartementet // the test's request is the ministry's
			}
		}
		if strings.HasPrefix(p.pattern, "POST /kommunredovisningar") && (slices.Contains(p.rules, "CanWriteReport") || slices.Contains(p.rules, "CanSign")) {
			about = "kommun-2510" // a municipality's own report: no user of the matrix is a municipality's
		}
		allowed := func(u user) bool { return granttest.Allowed(u.role, p.self || u.org == about, p.rules...) }
		sorted := slices.Clone(users)
		slices.SortStableFunc(sorted, func(x, y user) int {
			switch ax, ay := allowed(x), allowed(y); {
			case ax == ay:
				return 0
			case !ax:
				return -1
			}
			return 1
		})
		for _, u := range sorted {
			want := allowed(u)
			rec := p.send(u.b, tokens[u.b])
			st := rec.Code
			refused := st == http.StatusForbidden || st == http.StatusNotFound
			lost := st == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/logga-in")
			if refused == want || lost || (st >= 500 && st != http.StatusServiceUnavailable) {
				t.Errorf("%s as %s of %s (own %v): %d %s, want allowed = %v by %v", p.path, u.role, u.org, p.self || u.org == about, st, rec.Header().Get("Location"), want, p.rules)
			}
		}
	}
}
