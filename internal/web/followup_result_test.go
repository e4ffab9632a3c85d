package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/followup"
)

// TestEveryColumnHasALabelAndATable checks that every output column of
// the engine has its Swedish label and lies in one of the page's tables,
// so a column added to the engine cannot reach the page raw or not at
// all.
func TestEveryColumnHasALabelAndATable(t *testing.T) {
	for _, c := range followup.Columns {
		if colLabel(c) == c {
			t.Errorf("column %s has no label", c)
		}
		if c == "grupp" || c == "period" {
			continue
		}
		if !slices.ContainsFunc(tableThemes, func(th struct {
			id, caption string
			cols        []string
		}) bool {
			return slices.Contains(th.cols, c)
		}) {
			t.Errorf("column %s is in no table", c)
		}
	}
}

func TestFollowUpFormats(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{perCent(6576, 10000), "65,8 %"}, {perCent(1, 2), "50,0 %"}, {perCent(1, 3), "33,3 %"}, {perCent(2, 3), "66,7 %"},
		{perCent(1, 8), "12,5 %"}, {perCent(0, 7), "0,0 %"}, {perCent(7, 7), "100,0 %"}, {perCent(1, 0), ""},
		{pct(followup.GoalNamedGP), "55 %"}, {pct(followup.GoalCOCIncrease), "20 %"},
		{groupName([]string{"kommun"}, "2380"), "Östersund"}, {groupName([]string{"kommun"}, "okänd"), "Okänd kommun"},
		{groupName([]string{"lan", "kon"}, "25/K"), "Norrbottens län, Kvinnor"}, {groupName([]string{"rss"}, "23"), "RSS Jämtlands län"},
		{groupName([]string{"lan"}, "riket"), "Riket"}, {byLabel("lan,aldersgrupp"), "Län och Åldersgrupp"},
		{shortCounty("Västra Götalands län"), "Västra Götaland"}, {shortCounty("Kalmar län"), "Kalmar"},
		{withSign("12,5"), "+12,5"}, {withSign("-3,0"), "−3,0"}, {byteSize(812), "812 byte"}, {byteSize(4_200_000), "4,2 MB"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// syntheticResult is two counties and riket over two years; Jämtland's
// named GPs in the second year are suppressed (and so what derives from
// them), Norrbotten's continuity rises by more than 20 %.
func syntheticResult() *followup.Result {
	rows := []followup.Row{
		{Group: "23", Period: "2022", Listade: 1200, MedFastLakare: 700, PatienterCOCLakare: 400, COCLakare: 0.3, UPCLakare: 0.6},
		{Group: "23", Period: "2023", Listade: 1234, MedFastLakare: 3, PatienterCOCLakare: 410, COCLakare: 0.31, UPCLakare: 0.61,
			Suppressed: []string{"med_fast_lakare"}},
		{Group: "25", Period: "2022", Listade: 2000, MedFastLakare: 1000, PatienterCOCLakare: 900, COCLakare: 0.25, UPCLakare: 0.5},
		{Group: "25", Period: "2023", Listade: 2000, MedFastLakare: 1315, PatienterCOCLakare: 950, COCLakare: 0.35, UPCLakare: 0.55},
		{Group: "riket", Period: "2022", Listade: 3200, MedFastLakare: 1700, PatienterCOCLakare: 1300, COCLakare: 0.27, UPCLakare: 0.54},
		{Group: "riket", Period: "2023", Listade: 3234, MedFastLakare: 1318, PatienterCOCLakare: 1360, COCLakare: 0.34, UPCLakare: 0.57,
			Suppressed: []string{"med_fast_lakare"}},
	}
	for i := range rows {
		if i%2 == 1 {
			rows[i].Base = &rows[i-1]
		}
	}
	return &followup.Result{Rows: rows, MinCell: 5, Periods: []string{"2022", "2023"}, VisitsRead: 12000, VisitsUsed: 11000,
		Bad: []*followup.BadRows{{File: "besok.csv", Count: 27, Reports: []string{`besok.csv:4: datum "2023-13-01" är inte ett datum`, `besok.csv:9: yrke "tandläkare" är okänt`}}}}
}

// TestFollowUpResultPage shows a result with names, per cents, the map,
// the trend and the excluded rows, and never a figure from a suppressed
// cell.
func TestFollowUpResultPage(t *testing.T) {
	compute := func(context.Context, followup.Input, followup.Options) (*followup.Result, error) {
		return syntheticResult(), nil
	}
	h, _ := newHandlerWith(t, nil, Options{compute: compute})
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	values := testValues()
	values["years"] = "2022, 2023"
	page := html.UnescapeString(b.waitJob(b.startJob(values, testFiles)))
	id := regexp.MustCompile(`/uppfoljning/([0-9a-f]+)/csv`).FindStringSubmatch(page)[1]
	for _, want := range []string{
		`<th scope="row">Norrbottens län</th><td>2023</td><td class="num">2 000</td><td class="num">1 315</td><td class="num">65,8 %</td><td>Ja</td>`,
		`<th scope="row">Jämtlands län</th><td>2023</td><td class="num">1 234</td><td class="num suppressed"><span aria-hidden="true">–</span><span class="visually-hidden">undertryckt</span></td><td class="num suppressed">`,
		`<td class="num">+40,0 %</td><td>Ja</td>`, // Norrbotten's COC to physicians, 0,25 → 0,35
		"Med fast läkarkontakt</td></tr>",         // the suppressed column named by its label
		`data-excluded="besok.csv"`, "27 rader uteslutna", "De första 2 visas; 25 till",
		`<td class="num">4</td><td>datum "2023-13-01" är inte ett datum</td>`,
		`data-county="25"`, "Norrbotten</text>", "65,8 %</text>", "Mål 55 %", "Mål +20 %",
		"Perioder</dt><dd>2022, 2023", "besök ingår",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	for _, bad := range []string{">med_fast_lakare<", `scope="col">undertryckt<`, ">0,2 %", "0,6576", ">3<", ">andel_fast_lakare<"} {
		if strings.Contains(page, bad) {
			t.Errorf("result page has %q", bad)
		}
	}
	tile := regexp.MustCompile(`(?s)<g data-county="23">.*?</g>`).FindString(page)
	if !strings.Contains(tile, "undertryckt") || strings.Contains(tile, "%") {
		t.Errorf("Jämtland's tile: %s", tile)
	}
	// The trend for Jämtland: the suppressed year is neither drawn nor
	// written.
	rec := b.do("GET", "/uppfoljning/resultat/"+id+"?grupp=23", nil)
	trendPart := html.UnescapeString(rec.Body.String())
	trendPart = trendPart[strings.Index(trendPart, `id="utveckling"`):strings.Index(trendPart, `<h2 id="fast"`)]
	if !strings.Contains(trendPart, "Utvecklingen mot målen: Jämtlands län") || !strings.Contains(trendPart, "2023: undertryckt") ||
		strings.Contains(trendPart, "0,2 %") || !strings.Contains(trendPart, "58,3 %") {
		t.Errorf("Jämtland's trend:\n%s", trendPart)
	}
	if n := strings.Count(trendPart, "<circle"); n != 1+2 { // named GP 2022 only; COC to physicians both years
		t.Errorf("trend points: %d", n)
	}
	// The map shows another indicator when asked.
	if rec := b.do("GET", "/uppfoljning/resultat/"+id+"?karta=coc_lakare", nil); !strings.Contains(rec.Body.String(), "<title id=\"karta-titel\">COC till läkare per län, 2023</title>") {
		t.Errorf("map of COC: %d", rec.Code)
	}

	// The list shows the run with its files and periods; deleting asks
	// first, then removes it.
	list := b.do("GET", "/uppfoljning", nil).Body.String()
	if !strings.Contains(list, `data-run="`+id+`"`) || !strings.Contains(list, "listings.csv (") || !strings.Contains(list, "<td>2022, 2023</td>") {
		t.Errorf("list of runs:\n%s", list)
	}
	token := b.csrf("/uppfoljning")
	if rec := b.do("POST", "/uppfoljning/resultat/"+id+"/ta-bort", url.Values{"csrf": {token}}); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "data-confirm-form") {
		t.Fatalf("delete without confirming: %d", rec.Code)
	}
	if rec := b.do("POST", "/uppfoljning/resultat/"+id+"/ta-bort", url.Values{"csrf": {token}, "confirmed": {"ja"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body.String())
	}
	if rec := b.do("GET", "/uppfoljning/resultat/"+id, nil); rec.Code != http.StatusNotFound {
		t.Errorf("deleted run: %d", rec.Code)
	}
}
