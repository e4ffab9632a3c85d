package demo

import (
	"context"
	_ "embed"
	"encoding/json"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/questionnaire"
	"narvard/internal/survey"
)

// surveyFile is Socialstyrelsen's survey to the municipalities, open over
// the demo's day, with Östersund's answer sent.
//
//go:embed data/survey.json
var surveyFile []byte

// seedSurvey has Socialstyrelsen's follow-up officer send the survey and
// a municipality answer it.
func seedSurvey(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	var doc struct {
		Template   json.RawMessage `json:"template"`
		Recipients json.RawMessage `json:"recipients"`
		Opens      string          `json:"opens"`
		Closes     string          `json:"closes"`
		FollowUp   string          `json:"follow_up"`
		Responses  []struct {
			Officer   string                `json:"officer"`
			Recipient string                `json:"recipient"`
			Submit    bool                  `json:"submit"`
			Answers   questionnaire.Answers `json:"answers"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(surveyFile, &doc); err != nil {
		return err
	}
	s, err := a.CreateSurvey(ctx, u[doc.FollowUp], app.SurveyForm{Template: doc.Template, Recipients: doc.Recipients, Opens: doc.Opens, Closes: doc.Closes})
	if err != nil {
		return err
	}
	for _, r := range doc.Responses {
		if _, err := a.AnswerSurvey(ctx, u[r.Officer], s.ID, r.Recipient, r.Answers, r.Submit, survey.SourceWeb); err != nil {
			return err
		}
	}
	return nil
}
