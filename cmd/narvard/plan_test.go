package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/plan"
)

// TestPlanOutcome reads a region's books into its plan from the command
// line; the same file again adds nothing and a damaged one is refused
// with its line.
func TestPlanOutcome(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, done, err := openApp(ctx, dir, "", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	officer := auth.Actor{Email: "o@rjh.se", Org: "region-23", Role: auth.RecipientOfficer}
	p, err := a.CreatePlan(ctx, officer, "gnv-2023", "region-23", app.PlanInput{Measures: []plan.Measure{
		{Component: "nara_vard", Measure: "Primärvård", CostObject: "9916"}, {Component: "vardens_medarbetare", Measure: "Kompetens", CostObject: "9917"}}})
	done()
	if err != nil {
		t.Fatal(err)
	}
	books, err := os.ReadFile("../../internal/sie/testdata/region.se")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "region.se")
	os.WriteFile(file, books, 0o600)
	code, out, errOut := runCLI(t, "plan", "outcome", "--data", dir, "--plan", p.ID, "--file", file)
	if code != 0 || !strings.Contains(out, "10 kostnadsrader") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ = runCLI(t, "plan", "outcome", "--data", dir, "--plan", p.ID, "--file", file); code != 0 || !strings.Contains(out, "redan in") {
		t.Errorf("again: %d\n%s", code, out)
	}
	damaged := filepath.Join(t.TempDir(), "trasig.se")
	os.WriteFile(damaged, []byte(strings.Replace(string(books), "-1100", "-1099.99", 1)), 0o600)
	if code, _, errOut = runCLI(t, "plan", "outcome", "--data", dir, "--plan", p.ID, "--file", damaged); code != 1 || !strings.Contains(errOut, "trasig.se:36: #VER") {
		t.Errorf("damaged: %d\n%s", code, errOut)
	}
	if code, _, _ := runCLI(t, "plan", "outcome", "--data", dir); code != 2 {
		t.Errorf("no plan: %d", code)
	}
}
