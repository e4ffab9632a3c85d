package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/money"
	"narvard/internal/outcome"
	"narvard/internal/plan"
)

// seedPlan reads Region Jämtland Härjedalen's plan as the demo has it
// (seed 002, section 3.1).
func seedPlan(t *testing.T) ([]plan.Measure, plan.Decision) {
	t.Helper()
	data, err := os.ReadFile("../demo/data/plan-region-23.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Measures []plan.Measure `json:"measures"`
		Decision plan.Decision  `json:"decision"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Measures, doc.Decision
}

// planWithBooks drafts seed 002's plan for region-23 (decided when
// decide), and reads in the books of internal/sie/testdata/region.se.
func planWithBooks(t *testing.T, a *App, p planPeople, decide bool) PlanView {
	t.Helper()
	ctx := context.Background()
	measures, decision := seedPlan(t)
	v, err := a.CreatePlan(ctx, p.officer, "gnv-2023", "region-23", PlanInput{Measures: measures})
	if err != nil {
		t.Fatal(err)
	}
	if decide {
		if v, err = a.DecidePlan(ctx, p.signatory, v.ID, decision); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile("../sie/testdata/region.se")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportOutcome(ctx, p.officer, v.ID, "region.se", data); err != nil {
		t.Fatal(err)
	}
	return v
}

type planPeople struct{ officer, signatory, cfo, other auth.Actor }

func newPlanPeople(t *testing.T, a *App) planPeople {
	return planPeople{
		officer:   addUser(t, a, "h@regionjh.se", "region-23", auth.RecipientOfficer),
		signatory: addUser(t, a, "s@regionjh.se", "region-23", auth.Signatory),
		cfo:       addUser(t, a, "e@regionjh.se", "region-23", auth.CFO),
		other:     addUser(t, a, "h@regionvasterbotten.se", "region-24", auth.RecipientOfficer),
	}
}

// The seed's plan: the components' frames sum to the region's binding
// allocation, 75 422 690 kr; Nära vård leaves 17 247 254 kr unassigned,
// and the earmarked components are planned in full on their own.
func TestSeedPlanSums(t *testing.T) {
	a, _ := newTestApp(t, "2023-04-01T10:00:00+02:00")
	ctx := context.Background()
	p := newPlanPeople(t, a)
	measures, decision := seedPlan(t)
	v, err := a.CreatePlan(ctx, p.officer, "gnv-2023", "region-23", PlanInput{Measures: measures})
	if err != nil {
		t.Fatal(err)
	}
	if v.Frame != 75422690 {
		t.Errorf("frames sum to %s, want 75 422 690 kr", v.Frame)
	}
	want := map[string][2]money.Kr{ // planned, unassigned
		"nara_vard":           {24000000, 17247254},
		"vardens_medarbetare": {0, 25187124},
		"vidareutbildning":    {5039944, 0},
		"karriartjanster":     {1259986, 0},
		"vision_ehalsa":       {1249692, 0},
		"ambulans":            {1438690, 0},
	}
	for _, r := range v.Rows {
		if w := want[r.Component]; r.Planned != w[0] || r.Unassigned != w[1] {
			t.Errorf("%s: planned %s, unassigned %s; want %s, %s", r.Component, r.Planned, r.Unassigned, w[0], w[1])
		}
	}
	if v.Planned+v.Unassigned != v.Frame {
		t.Errorf("planned %s + unassigned %s ≠ frame %s", v.Planned, v.Unassigned, v.Frame)
	}
	if _, err := a.DecidePlan(ctx, p.officer, v.ID, decision); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("an officer decided the plan: %v", err)
	}
	d, err := a.DecidePlan(ctx, p.signatory, v.ID, decision)
	if err != nil || d.Status != plan.Decided || d.Decision.Paragraph != "§ 40" {
		t.Fatalf("decide: %+v, %v", d.Decision, err)
	}
	if _, err := a.UpdatePlan(ctx, p.officer, v.ID, PlanInput{Measures: measures}); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("a decided plan was changed: %v", err)
	}
}

// Earmarked money cannot be planned on another component: the staff
// component planned with the earmarked further-training money in it is
// over its frame, and the message says why.
func TestEarmarkedMoneyStaysOnItsComponent(t *testing.T) {
	a, _ := newTestApp(t, "2023-04-01T10:00:00+02:00")
	p := newPlanPeople(t, a)
	measures, _ := seedPlan(t)
	whole := money.Kr(25187124 + 5039944)
	measures = append(measures, plan.Measure{Component: "vardens_medarbetare", Measure: "Vidareutbildning som del av personalsatsningen",
		Amount: &whole, CostObject: "9917"})
	_, err := a.CreatePlan(context.Background(), p.officer, "gnv-2023", "region-23", PlanInput{Measures: measures})
	var f *fault.Error
	if fault.CodeOf(err) != fault.Invalid || !errors.As(err, &f) || !strings.Contains(f.Fields["measures"], "Öronmärkta medel") {
		t.Fatalf("earmarked money planned elsewhere: %v", err)
	}
	bad := []plan.Measure{{Component: "okand", Measure: "x", CostObject: "1"}, {Component: "ambulans", Measure: "", CostObject: ""}}
	_, err = a.CreatePlan(context.Background(), p.officer, "gnv-2023", "region-23", PlanInput{Measures: bad})
	if !errors.As(err, &f) || f.Fields["measures[0].component"] == "" || f.Fields["measures[1].measure"] == "" || f.Fields["measures[1].cost_object"] == "" {
		t.Errorf("bad measures: %v", err)
	}
	if _, err := a.CreatePlan(context.Background(), p.other, "gnv-2023", "region-23", PlanInput{Measures: measures[:1]}); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another region's officer drafted: %v", err)
	}
}

// The books' SIE file (internal/sie/testdata/region.se) against the plan:
// the outcome per cost object as summed by hand in outcome_test.go; the
// same file again adds nothing; a damaged copy is refused with its line.
func TestOutcomeAgainstThePlan(t *testing.T) {
	a, _ := newTestApp(t, "2023-06-01T10:00:00+02:00")
	ctx := context.Background()
	p := newPlanPeople(t, a)
	measures, _ := seedPlan(t)
	v, err := a.CreatePlan(ctx, p.officer, "gnv-2023", "region-23", PlanInput{Measures: measures})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../sie/testdata/region.se")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportOutcome(ctx, p.signatory, v.ID, "region.se", data); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("a signatory imported the books: %v", err)
	}
	first, err := a.ImportOutcome(ctx, p.cfo, v.ID, "region.se", data)
	if err != nil || !first.Added || first.Lines != 10 || first.Generated != "2024-01-15" {
		t.Fatalf("import: added %v, %d lines, #GEN %q, %v", first.Added, first.Lines, first.Generated, err)
	}
	again, err := a.ImportOutcome(ctx, p.officer, v.ID, "kopia.se", data)
	if err != nil || again.Added || again.ID != first.ID {
		t.Errorf("the same file again: added %v, id %s (first %s), %v", again.Added, again.ID, first.ID, err)
	}
	damaged := []byte(strings.Replace(string(data), "500.25", "500.35", 1))
	_, err = a.ImportOutcome(ctx, p.officer, v.ID, "skadad.se", damaged)
	var f *fault.Error
	if !errors.As(err, &f) || !strings.Contains(f.Fields["file"], "skadad.se:36") {
		t.Errorf("a damaged file: %v", err)
	}
	b, err := a.PlanBudget(ctx, p.officer, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkBudget(t, b)
}

func checkBudget(t *testing.T, b BudgetView) {
	t.Helper()
	want := map[string]struct {
		budget  money.Kr
		outcome money.Ore
	}{
		"9916": {41247254, 170075},
		"9917": {31487054, 169975},
		"9942": {1249692, 0},
		"9943": {1438690, 0},
	}
	if len(b.Lines) != len(want) {
		t.Fatalf("%d budget lines: %+v", len(b.Lines), b.Lines)
	}
	for _, l := range b.Lines {
		w := want[l.CostObject]
		if l.Budget != w.budget || l.Outcome != w.outcome {
			t.Errorf("%s: budget %s, outcome %s; want %s, %s", l.CostObject, l.Budget, l.Outcome, w.budget, w.outcome)
		}
	}
	if b.Elapsed != 5 || b.Total != 12 { // the books reach 2023-05-31
		t.Errorf("elapsed %d of %d months", b.Elapsed, b.Total)
	}
	l := b.Lines[1]
	if l.Forecast != 169975*12/5 || !l.BehindPace || l.ByMonth[outcome.Month{Year: 2023, Month: time.April}] != 20000 {
		t.Errorf("9917: forecast %s, behind %v, April %s", l.Forecast, l.BehindPace, l.ByMonth[outcome.Month{Year: 2023, Month: time.April}])
	}
	if b.Lines[0].BehindPace {
		t.Error("9916 carries no earmarked money and is flagged")
	}
}

// The financial report drafted from the books carries their totals: the
// cost objects' outcome rounded to whole kronor once, 9917's split on the
// three components it carries by their budgets, and no difference left to
// show the CFO.
func TestReportFromBooks(t *testing.T) {
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	ctx := context.Background()
	p := newPlanPeople(t, a)
	payer := addUser(t, a, "pay@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	pay(t, a, p.officer, p.signatory, payer, "region-23")
	f := reportForm(a, "region-23", 0)
	f.Costs = nil
	if _, err := a.CreateReportFromBooks(ctx, p.officer, f); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("a report from books without books: %v", err)
	}
	planWithBooks(t, a, p, false)
	rep, err := a.CreateReportFromBooks(ctx, p.officer, f)
	if err != nil {
		t.Fatal(err)
	}
	// 9916: 1 700,75 → 1 701 kr, all Nära vård. 9917: 1 699,75 → 1 700 kr
	// over 25 187 124, 5 039 944 and 1 259 986 kr of budget: exact shares
	// 1 359,91…, 272,10…, 68,02… → 1 360, 272, 68 by the largest remainder.
	want := map[string]money.Kr{"nara_vard": 1701, "vardens_medarbetare": 1360, "vidareutbildning": 272, "karriartjanster": 68}
	got := map[string]money.Kr{}
	for _, c := range rep.ReportForm.Costs {
		got[c.Component] += c.Amount
	}
	for comp, w := range want {
		if got[comp] != w {
			t.Errorf("%s: %s from the books, want %s", comp, got[comp], w)
		}
	}
	if rep.Costs != 3401 {
		t.Errorf("the report's costs %s, want the books' 3 401 kr", rep.Costs)
	}
	read, err := a.Report(ctx, p.cfo, rep.ID)
	if err != nil || read.Books == nil {
		t.Fatalf("the CFO's view: books %v, %v", read.Books, err)
	}
	var books money.Kr
	for _, c := range read.Books.Costs {
		books += c.Amount
	}
	if books != rep.Costs {
		t.Errorf("books %s ≠ report %s", books, rep.Costs)
	}
}

// The decision basis of seed 002's plan holds the region's allocation,
// what the plan leaves unassigned and the deadlines (pdftotext).
func TestDecisionBasisOfSeedPlan(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is needed in CI")
		}
		t.Skip("pdftotext not installed")
	}
	a, _ := newTestApp(t, "2023-04-01T10:00:00+02:00")
	ctx := context.Background()
	p := newPlanPeople(t, a)
	measures, _ := seedPlan(t)
	v, err := a.CreatePlan(ctx, p.officer, "gnv-2023", "region-23", PlanInput{Measures: measures})
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.DecisionBasisPDF(ctx, p.officer, v.ID, "Regionstyrelsen")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Region Jämtland Härjedalen", "75 422 690 kr", "ej fördelat 17 247 254 kr", "kostnadsobjekt 9916",
		"Karriärtjänster (öronmärkt) 1 259 986 kr", "2023-12-01 Sista dag för rekvisition", "Vårdens medarbetare 25 187 124 kr Fördelas efter: befolkningsandel.", "Regionstyrelsen föreslås besluta",
		"befolkningsandel", "2.3.1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the decision basis lacks %q", want)
		}
	}
	if _, err := a.DecisionBasisPDF(ctx, auth.Actor{Email: "x@y.se", Org: "region-24", Role: auth.RecipientOfficer}, v.ID, ""); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("another region read the decision basis: %v", err)
	}
}

// The officer's own forecast replaces the straight line for its cost
// object, lifts the earmark flag when it reaches the budget, and goes
// back to the straight line when removed.
func TestOwnForecast(t *testing.T) {
	a, _ := newTestApp(t, "2023-06-01T10:00:00+02:00")
	ctx := context.Background()
	p := newPlanPeople(t, a)
	v := planWithBooks(t, a, p, true)
	full := money.Kr(31487054)
	if _, err := a.SetPlanForecasts(ctx, p.officer, v.ID, map[string]*money.Kr{"9917": &full}); err != nil {
		t.Fatalf("a forecast on a decided plan: %v", err)
	}
	b, err := a.PlanBudget(ctx, p.officer, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l := b.Lines[1]; l.CostObject != "9917" || !l.OwnForecast || l.Forecast != money.Ore(full)*100 || l.BehindPace {
		t.Errorf("9917 with the officer's forecast: %+v", l)
	}
	if _, err := a.SetPlanForecasts(ctx, p.officer, v.ID, map[string]*money.Kr{"9999": &full}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("a forecast for a cost object not in the plan: %v", err)
	}
	if _, err := a.SetPlanForecasts(ctx, p.other, v.ID, map[string]*money.Kr{"9917": nil}); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("another region set a forecast: %v", err)
	}
	if _, err := a.SetPlanForecasts(ctx, p.officer, v.ID, map[string]*money.Kr{"9917": nil}); err != nil {
		t.Fatal(err)
	}
	b, _ = a.PlanBudget(ctx, p.officer, v.ID)
	if l := b.Lines[1]; l.OwnForecast || l.Forecast != 169975*12/5 || !l.BehindPace {
		t.Errorf("9917 back on the straight line: %+v", l)
	}
}
