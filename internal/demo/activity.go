package demo

import (
	"context"
	_ "embed"
	"encoding/json"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/questionnaire"
)

// activityFile is Region Norrbotten's activity report, begun: the
// officer's first answers on the product's rendering of Socialstyrelsen's
// template.
//
//go:embed data/activity-region-25.json
var activityFile []byte

// seedActivity has the region's officer begin its activity report.
func seedActivity(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	var doc struct {
		Template  string                `json:"template"`
		Recipient string                `json:"recipient"`
		Officer   string                `json:"officer"`
		Answers   questionnaire.Answers `json:"answers"`
	}
	if err := json.Unmarshal(activityFile, &doc); err != nil {
		return err
	}
	_, err := a.CreateActivityReport(ctx, u[doc.Officer], doc.Template, doc.Recipient, doc.Answers)
	return err
}
