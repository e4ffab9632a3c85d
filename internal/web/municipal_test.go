package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/grant"
	"narvard/internal/onward"
)

var municipalLocation = regexp.MustCompile(`^/kommunredovisningar/(KR-[^/]+)$`)

// TestMunicipalPages: Östersund's officer finds the form from the start
// page, is refused without a CSRF token, gets a wrong amount back with the
// component's label and what was typed, saves a draft; its signatory
// signs; the RSS sees who has reported and who not, returns the report
// with a reason, Östersund corrects and signs again and the RSS accepts
// it; the RSS's financial report's page then shows its own part and
// Östersund's, per component.
func TestMunicipalPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	ctx := context.Background()
	rssActor := func(role auth.Role) auth.Actor {
		return auth.Actor{Email: string(role) + "@rss-23.se", Name: "RSS", Org: "rss-23", Role: role}
	}
	al, _ := a.Allocation("gnv-2023", "rss-23")
	plan := onward.Plan{Components: map[string]onward.Spec{}}
	for _, c := range al.Components {
		plan.Components[c.ID] = onward.Spec{Key: onward.Equal}
	}
	d, err := a.CreateOnward(ctx, rssActor(auth.RecipientOfficer), "gnv-2023", "rss-23", plan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DecideOnward(ctx, rssActor(auth.Signatory), d.ID, "2023-11-14", "RSS 1"); err != nil {
		t.Fatal(err)
	}
	ostO := signedInAs(t, h, "o@ostersund.se", "kommun-2380", auth.RecipientOfficer)
	ostS := signedInAs(t, h, "s@ostersund.se", "kommun-2380", auth.Signatory)
	rssO := signedInAs(t, h, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	lulea := signedInAs(t, h, "o@lulea.se", "kommun-2580", auth.RecipientOfficer)

	if body := ostO.do("GET", "/start", nil).Body.String(); !strings.Contains(body, `data-municipal-link`) {
		t.Errorf("Östersund's start page has no link to its report: %s", body)
	}
	list := ostO.do("GET", "/kommunredovisningar?agreement=gnv-2023", nil)
	if body := list.Body.String(); list.Code != 200 || !strings.Contains(body, "data-new-municipal") || strings.Count(body, "data-kommun=") != 1 {
		t.Fatalf("Östersund's list: %d %s", list.Code, body)
	}
	const form = "/kommunredovisningar/ny?agreement=gnv-2023"
	if rec := rssO.do("GET", form, nil); rec.Code != http.StatusForbidden {
		t.Errorf("the RSS opens a municipality's form: %d", rec.Code)
	}
	c0, c1 := al.Components[0].ID, al.Components[1].ID
	costs := url.Values{"agreement": {"gnv-2023"}, "item." + c0: {"Undersköterskor"}, "amount." + c0: {"120 000"}, "amount." + c1: {"tolv"}}
	if rec := ostO.do("POST", "/kommunredovisningar/ny", costs); rec.Code != http.StatusForbidden {
		t.Errorf("without a CSRF token: %d", rec.Code)
	}
	costs.Set("csrf", ostO.csrf(form))
	rec := ostO.do("POST", "/kommunredovisningar/ny", costs)
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, al.Components[1].Label+"</a>: Ange kostnaden i hela kronor") ||
		!strings.Contains(body, `value="tolv"`) || !strings.Contains(body, `value="120 000"`) {
		t.Fatalf("wrong amount: %d %s", rec.Code, body)
	}
	costs.Set("amount."+c1, "5000")
	rec = ostO.do("POST", "/kommunredovisningar/ny", costs)
	m := municipalLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	page := "/kommunredovisningar/" + m[1]
	// Nothing received yet: every cost is more than received, shown.
	if body := ostO.do("GET", page, nil).Body.String(); !strings.Contains(body, `data-reported-total="125000"`) || !strings.Contains(body, "data-over-total") {
		t.Errorf("the draft's page: %s", body)
	}
	if rec := lulea.do("GET", page, nil); rec.Code != http.StatusNotFound {
		t.Errorf("Luleå opens Östersund's report: %d", rec.Code)
	}
	post := func(b *browser, path string, form url.Values) *postResult {
		form.Set("csrf", b.csrf(page))
		r := b.do("POST", path, form)
		return &postResult{r.Code, r.Body.String()}
	}
	if r := post(ostO, page+"/signera", url.Values{}); r.code != http.StatusForbidden {
		t.Errorf("the officer signs: %d", r.code)
	}
	if r := post(ostS, page+"/signera", url.Values{}); r.code != http.StatusSeeOther {
		t.Fatalf("sign: %d %s", r.code, r.body)
	}
	body := rssO.do("GET", "/kommunredovisningar?agreement=gnv-2023", nil).Body.String()
	if !strings.Contains(body, `data-reported-count="1"`) || !strings.Contains(body, `data-missing-count="7"`) || !strings.Contains(body, `data-status="submitted"`) {
		t.Errorf("the RSS's list: %s", body)
	}
	if r := post(rssO, page+"/skicka-tillbaka", url.Values{"reason": {""}}); r.code != http.StatusUnprocessableEntity {
		t.Errorf("return without a reason: %d", r.code)
	}
	if r := post(rssO, page+"/skicka-tillbaka", url.Values{"reason": {"Underlag saknas."}}); r.code != http.StatusSeeOther {
		t.Fatalf("return: %d %s", r.code, r.body)
	}
	if body := ostO.do("GET", page, nil).Body.String(); !strings.Contains(body, "Underlag saknas.") || !strings.Contains(body, page+"/andra") {
		t.Errorf("the returned report's page: %s", body)
	}
	costs.Set("amount."+c1, "4000")
	costs.Set("csrf", ostO.csrf(page+"/andra"))
	if rec := ostO.do("POST", page+"/andra", costs); rec.Code != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body)
	}
	if r := post(ostS, page+"/signera", url.Values{}); r.code != http.StatusSeeOther {
		t.Fatalf("sign again: %d", r.code)
	}
	if r := post(rssO, page+"/godkann", url.Values{}); r.code != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.code, r.body)
	}
	if body := ostO.do("GET", page, nil).Body.String(); !strings.Contains(body, `data-status="accepted"`) || !strings.Contains(body, `data-reported-total="124000"`) {
		t.Errorf("the accepted report: %s", body)
	}
	hasHistory(t, "the municipal report", rssO.do("GET", page, nil).Body.String(), "municipal_report.create", "municipal_report.sign",
		"municipal_report.return", "municipal_report.update", "municipal_report.sign", "municipal_report.accept")

	// Kammarkollegiet pays the RSS, the RSS pays Östersund 300 000 kr; the
	// RSS's financial report's page shows, per component, its own part
	// and Östersund's accepted costs.
	payJamtlandRSS(t, a, rssActor)
	if _, err := a.PayOnward(ctx, rssActor(auth.RecipientOfficer), d.ID, "2023-11-15", []onward.PaymentLine{{Kommun: "2380", Amount: 300_000}}); err != nil {
		t.Fatal(err)
	}
	rep, err := a.CreateReport(ctx, rssActor(auth.RecipientOfficer), grant.ReportForm{Agreement: "gnv-2023", Recipient: "rss-23", PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Costs:   []grant.CostLine{{Item: "Samordnare", Component: c0, Amount: 10_000}},
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"})
	if err != nil {
		t.Fatal(err)
	}
	body = rssO.do("GET", "/redovisningar/"+rep.ID, nil).Body.String()
	if strings.Count(body, "data-shares=") != len(al.Components) || strings.Count(body, `data-kommun="kommun-2380"`) != len(al.Components) ||
		!strings.Contains(body, `data-reported="120000"`) || !strings.Contains(body, `data-reported="10000"`) || !strings.Contains(body, `data-status="accepted"`) {
		t.Errorf("the RSS's financial report page: %s", body)
	}
}

// payJamtlandRSS has Kammarkollegiet pay Jämtland's RSS 1 000 000 kr.
func payJamtlandRSS(t *testing.T, a *app.App, rss func(auth.Role) auth.Actor) {
	t.Helper()
	ctx := context.Background()
	payer := auth.Actor{Email: "maker@kk.se", Org: "kammarkollegiet", Role: auth.Payer}
	f := grant.Form{Agreement: "gnv-2023", Recipient: "rss-23", Amount: 1_000_000, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := a.CreateRequisition(ctx, rss(auth.RecipientOfficer), f)
	if err == nil {
		_, err = a.SignRequisition(ctx, rss(auth.Signatory), r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, payer, r.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	readyToPay(t, a)
	b, err := a.CreateBatch(ctx, payer, "gnv-2023", nil)
	if err == nil {
		_, err = a.AttestBatch(ctx, auth.Actor{Email: "second@kk.se", Org: "kammarkollegiet", Role: auth.Payer}, b.ID)
	}
	if err == nil {
		_, err = a.ConfirmBatch(ctx, payer, b.ID, demoNow)
	}
	if err != nil {
		t.Fatal(err)
	}
}

type postResult struct {
	code int
	body string
}
