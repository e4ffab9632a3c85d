package app

import (
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/grant"
	"narvard/internal/questionnaire"
	"narvard/internal/store"
)

// ActivityState is where a recipient is with its activity report on one
// of the agreement's templates: not started, or its report's status and
// whether it came late.
type ActivityState struct {
	Template string
	Report   string               // the report's id, "" when not started
	Status   grant.ActivityStatus // "" when not started
	Late     bool
}

// Swedish says the state for people: "ej påbörjad", "inskickad (sen)".
func (s ActivityState) Swedish() string {
	if s.Status == "" {
		return "ej påbörjad"
	}
	if s.Late {
		return s.Status.Swedish() + " (sen)"
	}
	return s.Status.Swedish()
}

// ActivityText is a status's activity states in one text, for the
// matrix's cell and workbook column.
func (st Status) ActivityText() string {
	var parts []string
	for _, s := range st.Activity {
		parts = append(parts, s.Swedish())
	}
	return strings.Join(parts, "; ")
}

// agreementTemplates are the templates, shipped and published, of the
// agreement.
func (a *App) agreementTemplates(tx *store.Tx, ag *agreement.Agreement) ([]*questionnaire.Template, error) {
	var out []*questionnaire.Template
	for _, t := range a.templates.All() {
		if t.Agreement == ag.ID {
			out = append(out, t)
		}
	}
	list, err := tx.QuestionTemplates()
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if t, err := a.published(p); err == nil && t.Agreement == ag.ID {
			out = append(out, t)
		}
	}
	return out, nil
}

// fillActivity sets each status's activity states: one per template the
// recipient answers.
func (a *App) fillActivity(tx *store.Tx, ag *agreement.Agreement, statuses []Status) error {
	templates, err := a.agreementTemplates(tx, ag)
	if err != nil {
		return err
	}
	for _, t := range templates {
		reports, err := tx.ActivityReports(t.ID, "")
		if err != nil {
			return err
		}
		byRecipient := map[string]grant.ActivityReport{}
		for _, r := range reports {
			byRecipient[r.Recipient] = r
		}
		for i := range statuses {
			if a.reportsOn(t, statuses[i].Recipient) != nil {
				continue
			}
			s := ActivityState{Template: t.ID}
			if r, ok := byRecipient[statuses[i].Recipient]; ok {
				s.Report, s.Status, s.Late = r.ID, r.Status, r.Late
			}
			statuses[i].Activity = append(statuses[i].Activity, s)
		}
	}
	return nil
}
