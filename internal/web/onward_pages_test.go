package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// postMultipart posts the fields (in order, after the CSRF token when one
// is given) and the files as a multipart form.
func (b *browser) postMultipart(path, token string, fields [][2]string, files map[string]string) *httptest.ResponseRecorder {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if token != "" {
		mw.WriteField("csrf", token)
	}
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for name, content := range files {
		fw, _ := mw.CreateFormFile(name, name+".csv")
		fw.Write([]byte(content))
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// TestOnwardPages: the RSS's officer drafts an onward decision on the web
// (figures from a CSV file, the table computed before saving, a manual
// split one krona off refused on its field), the signatory decides it, and
// the officer records a payment of what is left to each municipality once
// Kammarkollegiet has paid the RSS; the municipality sees it.
func TestOnwardPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	officer := signedInAs(t, h, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	signatory := signedInAs(t, h, "s@rss-23.se", "rss-23", auth.Signatory)
	kommun := signedInAs(t, h, "o@ostersund.se", "kommun-2380", auth.RecipientOfficer)
	al, ok := a.Allocation("gnv-2023", "rss-23")
	if !ok {
		t.Fatal("rss-23 has no allocation")
	}
	kommuner := app.OnwardKommuner("rss-23")
	if len(kommuner) != 8 {
		t.Fatalf("Jämtland has %d municipalities", len(kommuner))
	}

	start := officer.do("GET", "/start", nil).Body.String()
	if !strings.Contains(start, `href="/vidareformedling?agreement=gnv-2023"`) || !strings.Contains(start, "data-rss-onward") {
		t.Fatalf("the RSS's start page does not link the onward pages: %s", start)
	}
	if page := officer.do("GET", "/vidareformedling?agreement=gnv-2023", nil); page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "data-onward-none") {
		t.Fatalf("onward home: %d %s", page.Code, page.Body.String())
	}
	if rec := kommun.do("GET", "/vidareformedling/ny?agreement=gnv-2023", nil); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a municipality's form: %d, want 422 (only an RSS)", rec.Code)
	}
	token := officer.csrf("/vidareformedling/ny?agreement=gnv-2023")

	csv := "kommun;befolkning;kommunal_hsv\n"
	for i, m := range kommuner {
		csv += fmt.Sprintf("%s;%d;%d\n", m.Code, 1000*(i+1), 10*(i+1))
	}
	fields := [][2]string{{"agreement", "gnv-2023"}}
	for _, c := range al.Components {
		fields = append(fields, [2]string{"key." + c.ID, "population"})
	}
	// Without the token first: refused before anything is read.
	if rec := officer.postMultipart("/vidareformedling/ny", "", fields, map[string]string{"figures_csv": csv}); rec.Code != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", rec.Code)
	}
	rec := officer.postMultipart("/vidareformedling/ny", token, append(fields, [2]string{"action", "preview"}), map[string]string{"figures_csv": csv})
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, "data-preview") {
		t.Fatalf("preview: %d %s", rec.Code, page)
	}
	var total money.Kr
	for _, c := range al.Components {
		total += c.Amount
	}
	if !strings.Contains(page, `data-sum="`+strconv.FormatInt(int64(total), 10)+`"`) {
		t.Errorf("the preview does not sum to the allocation %d", total)
	}
	if !strings.Contains(page, `name="befolkning.2380" value="`) || strings.Contains(page, `name="befolkning.2380" value=""`) {
		t.Errorf("the file's figures are not shown in the form")
	}

	// A manual split one krona off: the component's field says so, and
	// what was typed stays.
	first := al.Components[0]
	manual := [][2]string{{"agreement", "gnv-2023"}, {"action", "preview"}}
	for i, c := range al.Components {
		if i == 0 {
			manual = append(manual, [2]string{"key." + c.ID, "manual"})
			continue
		}
		manual = append(manual, [2]string{"key." + c.ID, "equal"})
	}
	left := first.Amount - 1
	for i, m := range kommuner {
		amount := left / money.Kr(len(kommuner))
		if i == 0 {
			amount = left - amount*money.Kr(len(kommuner)-1)
		}
		manual = append(manual, [2]string{"amount." + first.ID + "." + m.Code, strconv.FormatInt(int64(amount), 10)})
	}
	rec = officer.postMultipart("/vidareformedling/ny", token, manual, nil)
	page = html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, `data-field-error="components.`+first.ID+`"`) || !strings.Contains(page, "skillnad -1 kr") {
		t.Fatalf("manual one krona off: %d %s", rec.Code, page)
	}
	if !strings.Contains(page, first.Label+": ") {
		t.Errorf("the summary does not name the field by its label")
	}
	if !strings.Contains(page, `name="amount.`+first.ID+`.`+kommuner[1].Code+`" value="`+manual[len(manual)-len(kommuner)+1][1]+`"`) {
		t.Errorf("the typed amounts are not kept")
	}

	// Save the population split, typed figures this time.
	save := append([][2]string{}, fields...)
	save = append(save, [2]string{"action", "save"}, [2]string{"kept." + first.ID, "1000"}, [2]string{"kept_for." + first.ID, "Länsgemensam samordning"})
	for i, m := range kommuner {
		save = append(save, [2]string{"befolkning." + m.Code, strconv.Itoa(1000 * (i + 1))}, [2]string{"kommunal_hsv." + m.Code, "5"})
	}
	rec = officer.postMultipart("/vidareformedling/ny", token, save, nil)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/vidareformedling/V-") {
		t.Fatalf("save: %d %s %s", rec.Code, loc, rec.Body.String())
	}
	id := strings.TrimPrefix(loc, "/vidareformedling/")
	page = officer.do("GET", loc, nil).Body.String()
	if !strings.Contains(page, "data-onward-table") || strings.Count(page, "<tr data-kommun=") != len(kommuner) || !strings.Contains(page, "data-onward-kept") || strings.Contains(page, "data-decide") {
		t.Errorf("the draft's page for the officer: %s", page)
	}
	if !strings.Contains(page, `data-sum="`+strconv.FormatInt(int64(total-1000), 10)+`"`) {
		t.Errorf("the table does not sum to the allocation less what is kept")
	}

	// The signatory decides: without a reference the field says so and
	// the date stays; without the token the form is refused.
	stoken := signatory.csrf(loc)
	if rec := signatory.do("POST", loc+"/besluta", url.Values{"decision_date": {"2023-11-14"}, "reference": {"RSS 2023/7"}}); rec.Code != http.StatusForbidden {
		t.Errorf("decide without CSRF: %d", rec.Code)
	}
	rec = signatory.do("POST", loc+"/besluta", url.Values{"csrf": {stoken}, "decision_date": {"2023-11-13"}, "reference": {" "}})
	page = rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-reference"`) || !strings.Contains(page, `value="2023-11-13"`) {
		t.Fatalf("decide without reference: %d %s", rec.Code, page)
	}
	if rec := officer.do("POST", loc+"/besluta", url.Values{"csrf": {token}, "decision_date": {"2023-11-14"}, "reference": {"RSS 2023/7"}}); rec.Code != http.StatusForbidden {
		t.Errorf("the officer decides: %d, want 403", rec.Code)
	}
	if rec := signatory.do("POST", loc+"/besluta", url.Values{"csrf": {stoken}, "decision_date": {"2023-11-14"}, "reference": {"RSS 2023/7"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("decide: %d %s", rec.Code, rec.Body.String())
	}
	page = officer.do("GET", loc, nil).Body.String()
	if !strings.Contains(page, `data-status="decided"`) || !strings.Contains(page, "data-pay") || !strings.Contains(page, "data-onward-history") {
		t.Errorf("the decided page: %s", page)
	}
	hasHistory(t, "the onward decision", page, "onward.create", "onward.decide")

	// Nothing received yet: paying is a conflict shown on the page.
	rec = officer.do("POST", loc+"/betala", url.Values{"csrf": {token}, "paid_on": {"2023-11-15"}})
	if rec.Code != http.StatusConflict || !strings.Contains(html.UnescapeString(rec.Body.String()), "kan inte betala vidare mer än den har fått") {
		t.Fatalf("pay before receiving: %d %s", rec.Code, rec.Body.String())
	}
	rec = officer.do("POST", loc+"/betala", url.Values{"csrf": {token}, "paid_on": {"2023-11-15"}, "amount.2380": {"tio"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `data-field-error="amount.2380"`) || !strings.Contains(rec.Body.String(), `value="tio"`) {
		t.Fatalf("pay a word: %d %s", rec.Code, rec.Body.String())
	}
	payRSS(t, a, "rss-23", total)

	// The form offers what is left of each; sent as it is, it pays that.
	page = officer.do("GET", loc, nil).Body.String()
	pay := url.Values{"csrf": {token}, "paid_on": {"2023-11-15"}}
	for _, m := range regexp.MustCompile(`name="(amount\.\d{4})" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		pay.Set(m[1], m[2])
	}
	if len(pay) != 2+len(kommuner) {
		t.Fatalf("the payment form offers %d amounts", len(pay)-2)
	}
	if rec := officer.do("POST", loc+"/betala", pay); rec.Code != http.StatusSeeOther {
		t.Fatalf("pay: %d %s", rec.Code, rec.Body.String())
	}
	page = officer.do("GET", loc, nil).Body.String()
	if !strings.Contains(page, "data-onward-payments") || !strings.Contains(page, `data-passed-on="`+strconv.FormatInt(int64(total-1000), 10)+`"`) || strings.Contains(page, "data-pay") && strings.Contains(page, `data-left="1`) {
		t.Errorf("after the payment: %s", page)
	}
	if home := officer.do("GET", "/vidareformedling?agreement=gnv-2023", nil).Body.String(); !strings.Contains(home, `data-decision="`+id+`"`) || !strings.Contains(home, "data-onward-payments") {
		t.Errorf("onward home after the payment: %s", home)
	}
	// The municipality sees its rows of the decision, and what it got.
	kpage := kommun.do("GET", loc, nil)
	if kpage.Code != http.StatusOK || strings.Count(kpage.Body.String(), "<tr data-kommun=") != 1 || strings.Contains(kpage.Body.String(), "data-pay") {
		t.Errorf("the municipality's view: %d %s", kpage.Code, kpage.Body.String())
	}
	if start := kommun.do("GET", "/start", nil).Body.String(); !strings.Contains(start, "data-vidare-payments") {
		t.Errorf("the municipality's start page lacks the payment")
	}
	// Another county's RSS does not see it.
	other := signedInAs(t, h, "o@rss-25.se", "rss-25", auth.RecipientOfficer)
	if rec := other.do("GET", loc, nil); rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
		t.Errorf("another RSS: %d, want refused", rec.Code)
	}
}

// payRSS has Kammarkollegiet pay the recipient the amount: requisition,
// signed, approved, in a batch attested and confirmed.
func payRSS(t *testing.T, a *app.App, recipient string, amount money.Kr) {
	t.Helper()
	ctx := context.Background()
	actor := func(email, o string, role auth.Role) auth.Actor {
		u, err := a.AddUser(ctx, email, "", o, role, "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	officer, signatory := actor("req@"+recipient+".se", recipient, auth.RecipientOfficer), actor("sign@"+recipient+".se", recipient, auth.Signatory)
	maker, second := actor("maker@kk.se", "kammarkollegiet", auth.Payer), actor("second@kk.se", "kammarkollegiet", auth.Payer)
	admin := auth.Actor{Email: "admin@kk.se", Org: "kammarkollegiet", Role: auth.Admin}
	f := grant.Form{Agreement: "gnv-2023", Recipient: recipient, Amount: amount, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "063-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := a.CreateRequisition(ctx, officer, f)
	if err == nil {
		_, err = a.SignRequisition(ctx, signatory, r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, maker, r.ID)
	}
	if err == nil {
		_, err = a.UpdateOrganisation(ctx, admin, "kammarkollegiet", app.OrganisationEdit{Name: "Kammarkollegiet", Bankgiro: "5050-1055"})
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.CreateBatch(ctx, maker, "gnv-2023", nil)
	if err == nil {
		_, err = a.AttestBatch(ctx, second, b.ID)
	}
	if err == nil {
		_, err = a.ConfirmBatch(ctx, maker, b.ID, demoNow)
	}
	if err != nil {
		t.Fatal(err)
	}
}
