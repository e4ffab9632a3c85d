package web

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"narvard/internal/auth"
)

var planLocation = regexp.MustCompile(`^/planer/(P-[0-9A-Z]+)`)

// TestPlanPages: a region's officer writes its plan on the web (an amount
// that is not whole kronor and earmarked money planned on another
// component refused on their fields), reads in its books as a SIE file
// (the same file again adds nothing), and its signatory records the
// board's decision; another region sees nothing of it.
func TestPlanPages(t *testing.T) {
	h, _ := newHandler(t, nil)
	officer := signedInAs(t, h, "o@rjh.se", "region-23", auth.RecipientOfficer)
	signatory := signedInAs(t, h, "s@rjh.se", "region-23", auth.Signatory)
	other := signedInAs(t, h, "o@vll.se", "region-24", auth.RecipientOfficer)

	if start := officer.do("GET", "/start", nil).Body.String(); !strings.Contains(start, `data-plan-link`) {
		t.Error("the start page has no link to the plan")
	}
	if page := officer.do("GET", "/planer?agreement=gnv-2023", nil).Body.String(); !strings.Contains(page, "data-plans-none") || !strings.Contains(page, "data-plan-new") {
		t.Errorf("plans page: %s", page)
	}
	token := officer.csrf("/planer/ny?agreement=gnv-2023")
	form := url.Values{"csrf": {token}, "agreement": {"gnv-2023"},
		"m0.component": {"nara_vard"}, "m0.measure": {"24 mkr till vårdenheterna"}, "m0.amount": {"24 000 000"}, "m0.cost_object": {"9916"}, "m0.private": {"ja"},
		"m1.component": {"vardens_medarbetare"}, "m1.measure": {"Kompetensförsörjning"}, "m1.amount": {""}, "m1.cost_object": {"9917"},
		"m2.component": {"nara_vard"}, "m2.measure": {""}, "m2.amount": {""}, "m2.cost_object": {""}}

	bad := cloneValues(form)
	bad.Set("m0.amount", "24,5 mkr")
	if rec := officer.do("POST", "/planer/ny", bad); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Insats 1: ange beloppet i hela kronor") {
		t.Errorf("a bad amount: %d", rec.Code)
	}
	over := cloneValues(form)
	over.Set("m1.amount", "30 000 000")
	if rec := officer.do("POST", "/planer/ny", over); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Öronmärkta medel") {
		t.Errorf("earmarked money on another component: %d", rec.Code)
	}
	rec := officer.do("POST", "/planer/ny", form)
	m := planLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		t.Fatalf("save: %d %s", rec.Code, rec.Body.String())
	}
	id := m[1]
	page := officer.do("GET", "/planer/"+id, nil).Body.String()
	for _, want := range []string{`data-unassigned="17247254"`, `data-unassigned="25187124"`, `data-frame-total="75422690"`, "data-import-none", "data-plan-edit"} {
		if !strings.Contains(page, want) {
			t.Errorf("plan page lacks %s", want)
		}
	}
	if strings.Contains(page, "data-plan-decide") {
		t.Error("the officer is offered the decision")
	}

	books, err := os.ReadFile("../sie/testdata/region.se")
	if err != nil {
		t.Fatal(err)
	}
	token = officer.csrf("/planer/" + id)
	rec = officer.postMultipart("/planer/"+id+"/utfall", token, nil, map[string]string{"file": string(books)})
	if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "inlast=ny") {
		t.Fatalf("import: %d %s", rec.Code, rec.Body.String())
	}
	page = officer.do("GET", "/planer/"+id, nil).Body.String()
	if !strings.Contains(page, `data-cost-object="9916"`) || !strings.Contains(page, `data-outcome="1701"`) || !strings.Contains(page, "data-budget-chart") {
		t.Errorf("the plan against the books: %s", page)
	}
	reportForm := officer.do("GET", "/redovisningar/ny?agreement=gnv-2023", nil).Body.String()
	if !strings.Contains(reportForm, "data-from-books") || !strings.Contains(reportForm, "Enligt bokföringen, kostnadsobjekt 9916") || !strings.Contains(reportForm, `value="1 701"`) {
		t.Errorf("the report form is not filled in from the books: %s", reportForm)
	}
	rec = officer.postMultipart("/planer/"+id+"/utfall", token, nil, map[string]string{"file": string(books)})
	if !strings.Contains(rec.Header().Get("Location"), "inlast=samma") {
		t.Errorf("the same file again: %s", rec.Header().Get("Location"))
	}
	damaged := strings.Replace(string(books), "500.25", "500.35", 1)
	if rec := officer.postMultipart("/planer/"+id+"/utfall", token, nil, map[string]string{"file": damaged}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), ":36: #VER") {
		t.Errorf("a damaged file: %d", rec.Code)
	}

	forecast := url.Values{"csrf": {token}, "forecast.9916": {"5 000"}, "forecast.9917": {"mycket"}}
	if rec := officer.do("POST", "/planer/"+id+"/prognos", forecast); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Prognosen för kostnadsobjekt 9917 ska vara hela kronor") {
		t.Errorf("a forecast that is not kronor: %d", rec.Code)
	}
	forecast.Set("forecast.9917", "")
	if rec := officer.do("POST", "/planer/"+id+"/prognos", forecast); rec.Code != http.StatusSeeOther {
		t.Fatalf("forecast: %d %s", rec.Code, rec.Body.String())
	}
	if page := officer.do("GET", "/planer/"+id, nil).Body.String(); !strings.Contains(page, `data-forecast="5000"`) || !strings.Contains(page, "data-own-forecast") {
		t.Errorf("the officer's forecast is not shown")
	}
	if rec := other.do("GET", "/planer/"+id, nil); rec.Code != http.StatusNotFound {
		t.Errorf("another region sees the plan: %d", rec.Code)
	}
	token = signatory.csrf("/planer/" + id)
	decide := url.Values{"csrf": {token}, "body": {"Regionstyrelsen"}, "date": {"2023-03-28"}, "paragraph": {"§ 40"}}
	if rec := signatory.do("POST", "/planer/"+id+"/besluta", decide); rec.Code != http.StatusSeeOther {
		t.Fatalf("decide: %d %s", rec.Code, rec.Body.String())
	}
	page = signatory.do("GET", "/planer/"+id, nil).Body.String()
	if !strings.Contains(page, `data-status="decided"`) || !strings.Contains(page, "Regionstyrelsen 2023-03-28 § 40") {
		t.Errorf("decided plan: %s", page)
	}
	hasHistory(t, "the plan", page, "plan.create", "plan.decide")
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
