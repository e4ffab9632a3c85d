package app

import (
	"context"
	"strings"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/outcome"
	"narvard/internal/plan"
)

// Books is what the recipient's books say each component cost: the plan
// in force against the newest import of the books.
type Books struct {
	Plan   string
	Import outcome.Import
	Costs  []plan.ComponentCost
}

// Of returns what the books say a component cost.
func (b *Books) Of(component string) (plan.ComponentCost, bool) {
	if b == nil {
		return plan.ComponentCost{}, false
	}
	for _, c := range b.Costs {
		if c.Component == component {
			return c, true
		}
	}
	return plan.ComponentCost{}, false
}

// CostLines are the books' costs as the financial report's cost lines,
// one per component: what an officer's draft starts from.
func (b *Books) CostLines() []grant.CostLine {
	if b == nil {
		return nil
	}
	lines := make([]grant.CostLine, 0, len(b.Costs))
	for _, c := range b.Costs {
		lines = append(lines, grant.CostLine{Item: "Enligt bokföringen, kostnadsobjekt " + strings.Join(c.CostObjects, ", "),
			Component: c.Component, Amount: c.Amount})
	}
	return lines
}

// RecipientBooks returns what the recipient's books say under the
// agreement, or nil when it has no plan with books read in.
func (a *App) RecipientBooks(ctx context.Context, actor auth.Actor, agreementID, recipient string) (*Books, error) {
	if err := grant.CanRead(actor, recipient); err != nil {
		return nil, err
	}
	p, found, err := a.CurrentPlan(ctx, actor, agreementID, recipient)
	if err != nil || !found {
		return nil, err
	}
	b, err := a.PlanBudget(ctx, actor, p.ID)
	if err != nil || b.Import == nil {
		return nil, err
	}
	costs, err := plan.ComponentOutcome(b.Plan.Plan, b.Plan.Rows, b.Outcome)
	if err != nil {
		return nil, err
	}
	return &Books{Plan: p.ID, Import: *b.Import, Costs: costs}, nil
}

// CreateReportFromBooks drafts the financial report with its cost lines
// taken from the recipient's books, one per component, when the form
// brings none; without books read in it is refused.
func (a *App) CreateReportFromBooks(ctx context.Context, actor auth.Actor, f grant.ReportForm) (ReportView, error) {
	if err := grant.CanWriteReport(actor, f.Recipient); err != nil {
		return ReportView{}, err
	}
	if len(f.Costs) == 0 {
		b, err := a.RecipientBooks(ctx, actor, f.Agreement, f.Recipient)
		if err != nil {
			return ReportView{}, err
		}
		if b == nil {
			return ReportView{}, fault.Fields{"costs_from_books": "Det finns ingen bokföring inläst i mottagarens plan; läs in den eller ange kostnaderna."}.Err()
		}
		f.Costs = b.CostLines()
	}
	return a.CreateReport(ctx, actor, f)
}
