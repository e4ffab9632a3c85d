package web

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement/agreementtest"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/store"
)

// newTwoHandler is newHandler over the product's agreement and the test
// agreement, on 1 February 2024, when both are live.
func newTwoHandler(t *testing.T) http.Handler {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := app.New(context.Background(), st, agreementtest.Two(t), clock.NewFrozen(time.Date(2024, 2, 1, 10, 0, 0, 0, clock.Stockholm)), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	handlerApp = a
	return New(a, nil, Options{})
}

// section is the start page's section of one agreement.
func section(page, agreementID string) string {
	_, rest, ok := strings.Cut(page, `<section class="agreement" data-agreement="`+agreementID+`"`)
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(rest, "</section>")
	return s
}

// TestTwoAgreementsOnTheWeb: the start page has a section per agreement
// with its own figures and what to do; a page that names no agreement
// while two are live offers a choice; named, the requisition form, the
// work list, the matrix and its XLSX are that agreement's.
func TestTwoAgreementsOnTheWeb(t *testing.T) {
	const second = agreementtest.SecondID
	ctx := context.Background()
	h := newTwoHandler(t)
	officer := signedInAs(t, h, "o@nll.se", "region-25", auth.RecipientOfficer)
	payer := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)

	page := html.UnescapeString(officer.do("GET", "/start", nil).Body.String())
	old, now := section(page, "gnv-2023"), section(page, second)
	if !strings.Contains(old, `data-kr="128092174"`) || !strings.Contains(old, "Rätten till bidraget har förfallit") {
		t.Errorf("gnv-2023's section:\n%s", old)
	}
	if !strings.Contains(now, `data-kr="2440000"`) || !strings.Contains(now, "Skriv rekvisition") || !strings.Contains(now, "/rekvisitioner/ny?agreement="+second) {
		t.Errorf("%s's section:\n%s", second, now)
	}
	if strings.Index(page, `data-agreement="`+second+`"`) > strings.Index(page, `data-agreement="gnv-2023"`) {
		t.Error("the newest agreement comes first")
	}

	for _, b := range []struct {
		who  *browser
		path string
	}{{officer, "/rekvisitioner/ny"}, {payer, "/kammarkollegiet"}, {payer, "/oversikt"}, {payer, "/oversikt.xlsx"}} {
		rec := b.who.do("GET", b.path, nil)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "data-choose-agreement") ||
			!strings.Contains(body, "agreement="+second) || !strings.Contains(body, "agreement=gnv-2023") {
			t.Errorf("%s naming no agreement: %d\n%s", b.path, rec.Code, body)
		}
	}

	// A requisition under the second agreement, from the web form.
	form := "/rekvisitioner/ny?agreement=" + second
	rec := officer.do("GET", form, nil)
	if body := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusOK || !strings.Contains(body, "Provöverenskommelse 2024") || !strings.Contains(body, "2 440 000") {
		t.Fatalf("requisition form: %d\n%s", rec.Code, body)
	}
	rec = officer.do("POST", form, url.Values{"csrf": {officer.csrf(form)}, "amount_kr": {"2 440 000"}, "period_from": {"2024-01-01"}, "period_to": {"2024-12-31"},
		"account.type": {"bankgiro"}, "account.number": {"5050-1055"}, "payment_reference": {"PROV"}, "contact.name": {"Anna"},
		"contact.email": {"anna@example.se"}, "contact.phone": {"0920-1"}, "agreement_dnr": {"S2024/1"}, "payment_decision_dnr": {"S2024/2"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save requisition: %d\n%s", rec.Code, rec.Body.String())
	}
	id := strings.TrimPrefix(rec.Header().Get("Location"), "/rekvisitioner/")
	a := handlerApp
	signatory, err := a.AddUser(ctx, "s@nll.se", "", "region-25", auth.Signatory, "ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, signatory.Actor(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApproveRequisition(ctx, auth.Actor{Email: "pay@kk.se", Org: "kammarkollegiet", Role: auth.Payer}, id); err != nil {
		t.Fatal(err)
	}

	// The work list of each agreement holds only its own.
	if body := mustGet(payer, "/kammarkollegiet?agreement=gnv-2023"); strings.Contains(body, id) {
		t.Errorf("gnv-2023's work list shows %s's requisition", second)
	}
	worklist := "/kammarkollegiet?agreement=" + second
	if body := mustGet(payer, worklist); !strings.Contains(body, `value="`+id+`"`) || !strings.Contains(body, `name="agreement" value="`+second+`"`) {
		t.Errorf("%s's work list:\n%s", second, body)
	}
	readyToPay(t, a)
	rec = payer.do("POST", "/betalningar", url.Values{"csrf": {payer.csrf(worklist)}, "agreement": {second}, "rekvisition": {id}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/betalningar/") {
		t.Fatalf("batch: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	if body := mustGet(payer, worklist); !strings.Contains(body, "Väntar på attest av en annan utbetalare") {
		t.Errorf("the batch is not on %s's work list", second)
	}
	if body := mustGet(payer, "/kammarkollegiet?agreement=gnv-2023"); !strings.Contains(body, "Inga omgångar ännu.") {
		t.Errorf("gnv-2023's work list shows the other agreement's batch")
	}

	// The matrix and its XLSX, per agreement.
	for ag, n := range map[string]int{second: 7, "gnv-2023": 43} {
		body := mustGet(payer, "/oversikt?agreement="+ag)
		if got := strings.Count(body, "<tr data-recipient="); got != n {
			t.Errorf("matrix of %s: %d rows, want %d", ag, got, n)
		}
		if !strings.Contains(body, `href="/oversikt.xlsx?agreement=`+ag+`"`) || !strings.Contains(body, `aria-current="page" data-agreement="`+ag+`"`) {
			t.Errorf("matrix of %s: no XLSX link or chooser", ag)
		}
	}
	rec = payer.do("GET", "/oversikt.xlsx?agreement="+second, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "status-"+second+".xlsx") {
		t.Errorf("xlsx: %d %v", rec.Code, rec.Header())
	}

	// The officer's start page: the second agreement's requisition, not gnv-2023's.
	page = html.UnescapeString(officer.do("GET", "/start", nil).Body.String())
	if now := section(page, second); !strings.Contains(now, "/rekvisitioner/"+id) || !strings.Contains(now, `data-requisitioned="2440000"`) {
		t.Errorf("%s's section after the requisition:\n%s", second, now)
	}
	if old := section(page, "gnv-2023"); strings.Contains(old, id) || !strings.Contains(old, `data-requisitioned="0"`) {
		t.Errorf("gnv-2023's section shows the other agreement's requisition:\n%s", old)
	}
	// The payer's start page links each agreement's work list.
	page = payer.do("GET", "/start", nil).Body.String()
	for _, ag := range []string{"gnv-2023", second} {
		if !strings.Contains(section(page, ag), `href="/kammarkollegiet?agreement=`+ag+`"`) {
			t.Errorf("payer's start page: no work list for %s", ag)
		}
	}
}

// mustGet gets a page that must answer 200.
func mustGet(b *browser, path string) string {
	b.t.Helper()
	rec := b.do("GET", path, nil)
	if rec.Code != http.StatusOK {
		b.t.Fatalf("%s: %d\n%s", path, rec.Code, rec.Body.String())
	}
	return html.UnescapeString(rec.Body.String())
}
