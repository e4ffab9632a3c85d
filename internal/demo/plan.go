package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/plan"
)

// planFile is Region Jämtland Härjedalen's plan for its money as seed 002
// gives it (section 3.1): the measures per development area on the cost
// objects 9916, 9917, 9942 and 9943, most without amounts ("ej
// fördelat"), and Regionstyrelsen's decision.
//
//go:embed data/plan-region-23.json
var planFile []byte

// booksFile is the region's books for January–October 2023 as a SIE 4
// file (PC8, with #KSUMMA): costs on the plan's cost objects, the staff
// object's at a pace that leaves earmarked money unused.
//
//go:embed data/bok-region-23.se
var booksFile []byte

// PlanDoc is the demo plan's file.
type PlanDoc struct {
	Agreement string         `json:"agreement"`
	Recipient string         `json:"recipient"`
	Officer   string         `json:"officer"`   // the demo user who drafts it and reads in the books
	Signatory string         `json:"signatory"` // the demo user who records the decision
	Decision  plan.Decision  `json:"decision"`
	Measures  []plan.Measure `json:"measures"`
}

// Plan reads the demo plan's file.
func Plan() (PlanDoc, error) {
	var doc PlanDoc
	err := json.Unmarshal(planFile, &doc)
	return doc, err
}

// seedPlan has the region's officer draft the plan, its signatory record
// Regionstyrelsen's decision, and the officer read in the books.
func seedPlan(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	doc, err := Plan()
	if err != nil {
		return err
	}
	officer, signatory := u[doc.Officer], u[doc.Signatory]
	v, err := a.CreatePlan(ctx, officer, doc.Agreement, doc.Recipient, app.PlanInput{Measures: doc.Measures})
	if err != nil {
		return err
	}
	if _, err := a.DecidePlan(ctx, signatory, v.ID, doc.Decision); err != nil {
		return err
	}
	if _, err := a.ImportOutcome(ctx, officer, v.ID, "bok-region-23.se", booksFile); err != nil {
		return fmt.Errorf("books: %w", err)
	}
	return nil
}
