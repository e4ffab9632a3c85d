package app

import (
	"bytes"
	"context"
	"slices"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/document"
	"narvard/internal/grant"
	"narvard/internal/org"
)

// DecisionBasisPDF renders the decision basis (beslutsunderlag) of a plan
// for the recipient's board or committee: the agreement in brief, the
// allocation per component with its keys, the conditions and deadlines
// that concern the recipient, the plan, and the proposed decision.
func (a *App) DecisionBasisPDF(ctx context.Context, actor auth.Actor, planID, body string) ([]byte, error) {
	v, err := a.Plan(ctx, actor, planID)
	if err != nil {
		return nil, err
	}
	ag, err := a.agreement(v.Agreement)
	if err != nil {
		return nil, err
	}
	o, err := a.Organisation(ctx, v.Recipient)
	if err != nil {
		return nil, err
	}
	if body == "" {
		body = v.Decision.Body
	}
	doc := document.BasisDoc{AgreementName: ag.Name, AgreementID: ag.ID, AgreementDnr: ag.Dnr, PeriodFrom: ag.PeriodFrom.Time,
		PeriodTo: ag.PeriodTo.Time, Recipient: o, Body: body, Plan: v.Plan, Labels: map[string]string{}, Generated: a.Clock.Now(),
		Rehearsal: a.rehearsal(), Conditions: basisConditions(ag, v.Recipient), Deadlines: basisDeadlines(ag, v.Recipient)}
	for _, p := range ag.Parties {
		doc.Parties = append(doc.Parties, p.Name)
	}
	for _, r := range v.Rows {
		doc.Labels[r.Component] = r.Label
		doc.Components = append(doc.Components, document.BasisComponent{Label: r.Label, Keys: componentKeys(ag, v.Recipient, r.Component),
			Amount: r.Frame, Earmarked: r.Earmarked, Planned: r.Planned, Unassigned: r.Unassigned, Objects: r.CostObjects})
	}
	var buf bytes.Buffer
	err = document.BasisPDF(&buf, doc)
	return buf.Bytes(), err
}

// componentKeys describes how the agreement apportions a component of the
// recipient's kind: each part's name and key.
func componentKeys(ag *agreement.Agreement, recipient, component string) []string {
	kind, _, _ := org.Parse(recipient)
	for _, c := range ag.Components {
		if c.ID != component || string(c.Recipient) != kind {
			continue
		}
		var out []string
		for _, p := range c.Parts {
			if p.Name == "" || len(c.Parts) == 1 {
				out = append(out, p.Key.Swedish())
				continue
			}
			out = append(out, p.Name+": "+p.Key.Swedish())
		}
		return out
	}
	return nil
}

// basisDeadlines are the agreement's deadlines that concern the
// recipient's kind.
func basisDeadlines(ag *agreement.Agreement, recipient string) []document.BasisDeadline {
	kind, _, _ := org.Parse(recipient)
	var out []document.BasisDeadline
	for _, d := range ag.Deadlines {
		if slices.Contains(d.Who, kind) {
			out = append(out, document.BasisDeadline{Date: d.Date.Time, Name: d.Name})
		}
	}
	return out
}

// basisConditions are the agreement's conditions that bind the
// recipient's kind, area by area, each with its section.
func basisConditions(ag *agreement.Agreement, recipient string) []document.BasisCondition {
	kinds := grant.RecipientKinds(recipient)
	if len(kinds) == 0 {
		return nil
	}
	var out []document.BasisCondition
	for _, area := range ag.ConditionsByArea(kinds...) {
		for _, c := range area.Conditions {
			text := c.Text
			if c.Title != "" {
				text = c.Title + ": " + text
			}
			out = append(out, document.BasisCondition{Section: c.Section, Text: text})
		}
	}
	return out
}
