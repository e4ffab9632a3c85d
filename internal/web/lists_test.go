package web

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/onward"
	"narvard/internal/org"
)

// sheetRows opens an XLSX answer with excelize and returns its first
// sheet's rows.
func sheetRows(t *testing.T, b *browser, path string) [][]string {
	t.Helper()
	rec := b.do("GET", path, nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != xlsxType {
		t.Fatalf("%s: %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// rawCell is a cell's stored value (an amount's integer, not as shown).
func rawCell(t *testing.T, b *browser, path, cell string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b.do("GET", path, nil).Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.GetCellValue(f.GetSheetName(0), cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rowWith is the first row whose cell col is want, or nil.
func rowWith(rows [][]string, col int, want string) []string {
	for _, r := range rows {
		if len(r) > col && r[col] == want {
			return r
		}
	}
	return nil
}

// listCase is one list: its page, a filter that keeps some of its rows
// and one that keeps none, the header and a row the export must carry.
type listCase struct {
	name          string
	b             *browser
	page          string // with ?agreement= when it has one
	narrow, empty url.Values
	// rows counts the page's rows (a marker each row carries).
	rowMarker string
	header    []string
	// row is a cell of a row that is there unfiltered, col its column;
	// gone is one that the narrow filter leaves out.
	col       int
	row, gone string
}

func (c listCase) with(v url.Values, xlsx bool) string {
	u, _ := url.Parse(c.page)
	if xlsx {
		u.Path += ".xlsx"
	}
	q := u.Query()
	for k, x := range v {
		q[k] = x
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// check runs the list's filter on the page and its export.
func (c listCase) check(t *testing.T) {
	t.Helper()
	all := c.b.do("GET", c.page, nil).Body.String()
	narrow := c.b.do("GET", c.with(c.narrow, false), nil)
	body := narrow.Body.String()
	if narrow.Code != 200 || !strings.Contains(body, "data-filter") || strings.Count(body, c.rowMarker) >= strings.Count(all, c.rowMarker) || strings.Count(body, c.rowMarker) == 0 {
		t.Errorf("%s: the filter %v does not narrow the page (%d of %d rows): %d", c.name, c.narrow, strings.Count(body, c.rowMarker), strings.Count(all, c.rowMarker), narrow.Code)
	}
	for k, x := range c.narrow {
		if k == "q" && !strings.Contains(body, `name="q" type="search" value="`+x[0]+`"`) {
			t.Errorf("%s: the form does not keep q=%s", c.name, x[0])
		}
		if k == "status" && !strings.Contains(body, `value="`+x[0]+`" selected`) {
			t.Errorf("%s: the form does not keep status=%s", c.name, x[0])
		}
	}
	if body := c.b.do("GET", c.with(c.empty, false), nil).Body.String(); !strings.Contains(body, "data-filter-empty") || strings.Contains(body, c.rowMarker) {
		t.Errorf("%s: an empty result does not say so: %s", c.name, body)
	}
	rows := sheetRows(t, c.b, c.with(nil, true))
	if len(rows) < 2 || strings.Join(rows[0], "|") != strings.Join(c.header, "|") {
		t.Fatalf("%s: export header %q, want %q", c.name, rows, c.header)
	}
	if rowWith(rows, c.col, c.row) == nil || rowWith(rows, c.col, c.gone) == nil {
		t.Errorf("%s: export lacks %q or %q in column %d: %q", c.name, c.row, c.gone, c.col, rows)
	}
	narrowed := sheetRows(t, c.b, c.with(c.narrow, true))
	if len(narrowed) >= len(rows) || rowWith(narrowed, c.col, c.row) == nil || rowWith(narrowed, c.col, c.gone) != nil {
		t.Errorf("%s: the filtered export %q", c.name, narrowed)
	}
}

func TestMunicipalListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	rss := signedInAs(t, h, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	listCase{name: "kommunredovisningar", b: rss, page: "/kommunredovisningar?agreement=gnv-2023",
		narrow: url.Values{"q": {"öster"}, "status": {"none"}}, empty: url.Values{"status": {"accepted"}},
		rowMarker: "data-kommun=", header: []string{"Kommun-id", "Kommun", "Mottaget från RSS:en", "Redovisat", "Kvar", "Status", "Redovisning", "Inskickad"},
		col: 1, row: "Östersund", gone: "Krokom"}.check(t)
}

func TestVFUListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	rss := signedInAs(t, h, "o@rss-25.se", "rss-25", auth.RecipientOfficer)
	listCase{name: "vfu", b: rss, page: "/vfu?agreement=gnv-2023",
		narrow: url.Values{"q": {"LULEÅ"}}, empty: url.Values{"status": {"submitted"}},
		rowMarker: "data-vfu-line=", header: vfuHeader(t),
		col: 1, row: "Luleå", gone: "Piteå"}.check(t)
}

// vfuHeader is the VFU export's header for gnv-2023.
func vfuHeader(t *testing.T) []string {
	ag, err := handlerApp.Agreements.Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	b, c := ag.VFU.BaseLabel, ag.VFU.CurrentLabel
	return []string{"Mottagare-id", "Mottagare", "Status", "Redovisning", "Veckor " + b, "Veckor " + c, "Platser " + b, "Platser " + c, "Redovisad av", "Underskriven"}
}

func TestPlanListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	officer := signedInAs(t, h, "o@rjh.se", "region-23", auth.RecipientOfficer)
	signatory := signedInAs(t, h, "s@rjh.se", "region-23", auth.Signatory)
	draft := func() string {
		form := url.Values{"csrf": {officer.csrf("/planer/ny?agreement=gnv-2023")}, "agreement": {"gnv-2023"},
			"m0.component": {"nara_vard"}, "m0.measure": {"Vårdenheterna"}, "m0.amount": {"24 000 000"}, "m0.cost_object": {"9916"}}
		rec := officer.do("POST", "/planer/ny", form)
		m := planLocation.FindStringSubmatch(rec.Header().Get("Location"))
		if m == nil {
			t.Fatalf("save: %d %s", rec.Code, rec.Body.String())
		}
		return m[1]
	}
	first := draft()
	decide := url.Values{"csrf": {signatory.csrf("/planer/" + first)}, "body": {"Regionstyrelsen"}, "date": {"2023-03-28"}, "paragraph": {"§ 40"}}
	if rec := signatory.do("POST", "/planer/"+first+"/besluta", decide); rec.Code != 303 {
		t.Fatalf("decide: %d", rec.Code)
	}
	second := draft()
	c := listCase{name: "planer", b: officer, page: "/planer?agreement=gnv-2023",
		narrow: url.Values{"status": {"draft"}}, empty: url.Values{"q": {"kommunfullmäktige"}},
		rowMarker: "data-plan=", header: []string{"Mottagare-id", "Mottagare", "Plan", "Version", "Läge", "Beslutande organ", "Beslutsdatum", "Paragraf", "Insatser", "Planerat belopp", "Skriven av", "Skriven"},
		col: 2, row: second, gone: first}
	c.check(t)
	if got := rawCell(t, officer, c.with(nil, true), "J2"); got != "24000000" {
		t.Errorf("planned amount %q, want the integer 24000000", got)
	}
	if body := officer.do("GET", "/planer?agreement=gnv-2023&q=regionstyrelsen", nil).Body.String(); !strings.Contains(body, `data-plan="`+first) || strings.Contains(body, `data-plan="`+second) {
		t.Error("the text search does not find the decided plan by its body")
	}
}

func TestDocRequestListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	dep := signedInAs(t, h, "u@regeringskansliet.se", org.Socialdepartementet, auth.FollowUp)
	actor := auth.Actor{Email: "u@regeringskansliet.se", Org: org.Socialdepartementet, Role: auth.FollowUp}
	for _, rec := range []string{"region-25", "region-23"} {
		if _, err := handlerApp.RequestDocuments(t.Context(), actor, app.DocRequestForm{Agreement: "gnv-2023", Recipient: rec, Text: "Huvudboken", DueDate: "2023-12-01"}); err != nil {
			t.Fatal(err)
		}
	}
	listCase{name: "underlag", b: dep, page: "/underlag",
		narrow: url.Values{"q": {"norrbotten"}}, empty: url.Values{"status": {"closed"}},
		rowMarker: "data-docrequest=", header: []string{"Begäran", "Överenskommelse", "Mottagare-id", "Mottagare", "Begärd av", "Underlag", "Sista dag", "Status", "Filer"},
		col: 2, row: "region-25", gone: "region-23"}.check(t)
	if rows := sheetRows(t, dep, "/underlag.xlsx"); rows[1][6] != "2023-12-01" || rows[1][7] != "öppen" {
		t.Errorf("the export's date and status: %q", rows[1])
	}
}

func TestOnwardListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	rssActor := func(role auth.Role) auth.Actor {
		return auth.Actor{Email: string(role) + "@rss-23.se", Name: "RSS", Org: "rss-23", Role: role}
	}
	al, _ := a.Allocation("gnv-2023", "rss-23")
	plan := onward.Plan{Components: map[string]onward.Spec{}}
	for _, c := range al.Components {
		plan.Components[c.ID] = onward.Spec{Key: onward.Equal}
	}
	d, err := a.CreateOnward(t.Context(), rssActor(auth.RecipientOfficer), "gnv-2023", "rss-23", plan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DecideOnward(t.Context(), rssActor(auth.Signatory), d.ID, "2023-11-14", "RSS 1"); err != nil {
		t.Fatal(err)
	}
	payJamtlandRSS(t, a, rssActor)
	for _, l := range []onward.PaymentLine{{Kommun: "2380", Amount: 300_000}, {Kommun: "2309", Amount: 120_000}} {
		if _, err := a.PayOnward(t.Context(), rssActor(auth.RecipientOfficer), d.ID, "2023-11-15", []onward.PaymentLine{l}); err != nil {
			t.Fatal(err)
		}
	}
	rss := signedInAs(t, h, "o@rss-23.se", "rss-23", auth.RecipientOfficer)
	c := listCase{name: "vidareformedling", b: rss, page: "/vidareformedling?agreement=gnv-2023",
		narrow: url.Values{"q": {"krokom"}}, empty: url.Values{"q": {"ingen sådan"}},
		rowMarker: "data-payment=", header: []string{"Utbetalning", "Utbetalningsdag", "Beslut", "Kommun-id", "Kommun", "Belopp"},
		col: 3, row: "kommun-2309", gone: "kommun-2380"}
	c.check(t)
	if rows := sheetRows(t, rss, c.with(c.narrow, true)); len(rows) != 2 || rawCell(t, rss, c.with(c.narrow, true), "F2") != "120000" {
		t.Errorf("Krokom's payment: %q", rows)
	}
	if body := rss.do("GET", "/vidareformedling?agreement=gnv-2023&status=draft", nil).Body.String(); strings.Contains(body, "data-decision=") {
		t.Error("the status filter keeps a decided decision")
	}
}

func TestActivityListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	for _, rec := range []string{"region-25", "region-23"} {
		officer := auth.Actor{Email: "o@" + rec + ".se", Org: rec, Role: auth.RecipientOfficer}
		if _, err := handlerApp.CreateActivityReport(t.Context(), officer, "gnv-2023-verksamhetsrapport", rec, nil); err != nil {
			t.Fatal(err)
		}
	}
	follow := signedInAs(t, h, "u@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)
	listCase{name: "verksamhetsrapporter", b: follow, page: "/verksamhetsrapporter",
		narrow: url.Values{"q": {"Norrbotten"}, "status": {"draft"}}, empty: url.Values{"status": {"accepted"}},
		rowMarker: "data-report=", header: []string{"Rapport", "Överenskommelse", "Mottagare-id", "Mottagare", "Frågeunderlag", "Status", "Sen", "Underskriven", "Godkänd"},
		col: 2, row: "region-25", gone: "region-23"}.check(t)
}

func TestSurveyListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	clk := handlerApp.Clock.(*clock.Frozen)
	clk.Set(time.Date(2019, 12, 20, 10, 0, 0, 0, clock.Stockholm))
	t.Cleanup(func() { clk.Set(demoNow) })
	follow := signedInAs(t, h, "u@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)
	actor := auth.Actor{Email: "u@socialstyrelsen.se", Org: org.Socialstyrelsen, Role: auth.FollowUp}
	var ids []string
	for _, dates := range [][2]string{{"2019-12-16", "2020-01-27"}, {"2020-02-03", "2020-03-02"}} {
		sv, err := handlerApp.CreateSurvey(t.Context(), actor, app.SurveyForm{Template: []byte(`"enkat-kommuner-2019"`), Recipients: []byte(`"kommuner"`), Opens: dates[0], Closes: dates[1]})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sv.ID)
	}
	listCase{name: "enkater", b: follow, page: "/enkater",
		narrow: url.Values{"status": {"upcoming"}}, empty: url.Values{"status": {"closed"}},
		rowMarker: "data-survey=", header: []string{"Enkät-id", "Enkät", "Överenskommelse", "Öppnar", "Stänger", "Läge", "Inbjudna", "Ert svar"},
		col: 0, row: ids[1], gone: ids[0]}.check(t)
}

func TestOrganisationListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	admin := signedInAs(t, h, "admin@kk.se", "kammarkollegiet", auth.Admin)
	listCase{name: "organisationer", b: admin, page: "/admin/organisationer",
		narrow: url.Values{"q": {"jämtland"}, "status": {"utan-konto"}}, empty: url.Values{"q": {"ingen sådan organisation"}},
		rowMarker: "data-org=", header: []string{"Id", "Namn", "Typ", "Organisationsnummer", "Värdorganisation", "Adress", "Kontotyp", "Konto"},
		col: 0, row: "region-23", gone: "region-25"}.check(t)
	if body := admin.do("GET", "/admin/organisationer?status=konto", nil).Body.String(); strings.Contains(body, `data-org="region-23"`) {
		t.Error("a region without a bankgiro is listed as having one")
	}
}

func TestUserListFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	admin := signedInAs(t, h, "admin@kk.se", "kammarkollegiet", auth.Admin)
	signedInAs(t, h, "kvar@nll.se", "region-25", auth.RecipientOfficer)
	signedInAs(t, h, "borta@vll.se", "region-24", auth.RecipientOfficer)
	listCase{name: "användare", b: admin, page: "/admin/anvandare",
		narrow: url.Values{"q": {"norrbotten"}, "status": {"aktiv"}}, empty: url.Values{"status": {"avstangd"}},
		rowMarker: "data-user=", header: []string{"E-postadress", "Namn", "Organisation", "Organisationens id", "Roll", "Status"},
		col: 0, row: "kvar@nll.se", gone: "borta@vll.se"}.check(t)
}

// draftRequisition has the recipient's officer write a requisition of
// the amount.
func draftRequisition(t *testing.T, recipient string, amount money.Kr) grant.Requisition {
	t.Helper()
	officer := auth.Actor{Email: "o@" + recipient + ".se", Org: recipient, Role: auth.RecipientOfficer}
	f := grant.Form{Agreement: "gnv-2023", Recipient: recipient, Amount: amount, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := handlerApp.CreateRequisition(t.Context(), officer, f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// submitRequisition has the recipient's officer write and its signatory
// sign a requisition of the amount.
func submitRequisition(t *testing.T, recipient string, amount money.Kr) grant.Requisition {
	t.Helper()
	r := draftRequisition(t, recipient, amount)
	var err error
	signatory := auth.Actor{Email: "s@" + recipient + ".se", Name: "S", Org: recipient, Role: auth.Signatory}
	if r, err = handlerApp.SignRequisition(t.Context(), signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWorklistFilter(t *testing.T) {
	h, _ := newHandler(t, nil)
	kk := signedInAs(t, h, "pay@kk.se", org.Kammarkollegiet, auth.Payer)
	submitRequisition(t, "region-25", 1_000_000)
	submitRequisition(t, "region-23", 2_000_000)
	c := listCase{name: "arbetslista", b: kk, page: "/kammarkollegiet?agreement=gnv-2023",
		narrow: url.Values{"q": {"norrbotten"}, "status": {"att-besluta"}}, empty: url.Values{"status": {"aterkrav"}},
		rowMarker: `href="/rekvisitioner/`, header: []string{"Avsnitt", "Dokument", "Mottagare-id", "Mottagare", "Status", "Belopp", "Skyldigt", "Datum"},
		col: 2, row: "region-25", gone: "region-23"}
	c.check(t)
	if got := rawCell(t, kk, c.with(c.narrow, true), "F2"); got != "1000000" {
		t.Errorf("the amount %q, want the integer 1000000", got)
	}
	if body := kk.do("GET", c.with(url.Values{"status": {"att-besluta"}}, false), nil).Body.String(); strings.Contains(body, `id="omgangar"`) || !strings.Contains(body, `id="att-besluta"`) {
		t.Error("a section asked for does not stand alone")
	}
	if rec := signedInAs(t, h, "o@nll.se", "region-25", auth.RecipientOfficer).do("GET", "/kammarkollegiet.xlsx?agreement=gnv-2023", nil); rec.Code != 403 {
		t.Errorf("a recipient's officer has the work list's export: %d", rec.Code)
	}
}
