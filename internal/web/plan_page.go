package web

import (
	"fmt"
	"net/http"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/outcome"
	"narvard/internal/plan"
)

// planPageView is one version of a plan: the frames, the measures by
// component, the decision, and the plan against the books.
type planPageView struct {
	V                  app.PlanView
	B                  app.BudgetView
	AgreementName      string
	RecipientName      string
	Labels             map[string]string
	History            []plan.Plan
	Changes            []app.HistoryEntry // every change of this version
	CanEdit, CanDecide bool
	CanImport          bool
	CanForecast        bool
	Read               string // "ny" or "samma" after an import
	Tertials           []tertialHead
	Chart              budgetChart
	Values             map[string]string
	Errors             formErrors
}

// FormValue is what was typed in the named field.
func (v planPageView) FormValue(name string) string { return v.Values[name] }

// FormError is the message for the named field.
func (v planPageView) FormError(name string) string { return v.Errors.Fields[name] }

// ByComponent lists the measures of one component.
func (v planPageView) ByComponent(component string) []plan.Measure {
	var out []plan.Measure
	for _, m := range v.V.Measures {
		if m.Component == component {
			out = append(out, m)
		}
	}
	return out
}

// tertialHead names a tertial of the agreement's period.
type tertialHead struct {
	Year, Tertial int
	Name          string
}

// TertialOf is a budget line's outcome in a tertial, in whole kronor.
func (v planPageView) TertialOf(l plan.BudgetLine, t tertialHead) money.Kr {
	return l.Tertial(t.Year, t.Tertial).Kronor()
}

// MonthOf is a budget line's outcome in a month, in whole kronor.
func (v planPageView) MonthOf(l plan.BudgetLine, m outcome.Month) money.Kr {
	return l.ByMonth[m].Kronor()
}

var tertialNames = map[int]string{1: "jan–apr", 2: "maj–aug", 3: "sep–dec"}

func tertialsOf(months []outcome.Month) []tertialHead {
	var out []tertialHead
	for _, m := range months {
		t := tertialHead{Year: m.Year, Tertial: m.Tertial()}
		if len(out) > 0 && out[len(out)-1].Year == t.Year && out[len(out)-1].Tertial == t.Tertial {
			continue
		}
		t.Name = fmt.Sprintf("%s %d", tertialNames[t.Tertial], t.Year)
		out = append(out, t)
	}
	return out
}

func (s *server) planPage(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	s.renderPlanPage(w, r, a, http.StatusOK, r.PathValue("id"), map[string]string{}, formErrors{})
}

func (s *server) renderPlanPage(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, id string, values map[string]string, errs formErrors) {
	b, err := s.app.PlanBudget(r.Context(), a, id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	p := b.Plan
	v := planPageView{V: p, B: b, RecipientName: s.orgName(r, p.Recipient), Labels: map[string]string{}, Values: values, Errors: errs,
		Read: r.URL.Query().Get("inlast"), Tertials: tertialsOf(b.Months), Chart: chartOf(b.Lines)}
	if ag, err := s.agreements.Get(p.Agreement); err == nil {
		v.AgreementName = ag.Name
	}
	for _, row := range p.Rows {
		v.Labels[row.Component] = row.Label
	}
	v.CanEdit = p.Status == plan.Draft && grant.CanDraftPlan(a, p.Recipient) == nil
	v.CanDecide = p.Status == plan.Draft && grant.CanDecidePlan(a, p.Recipient) == nil
	v.CanImport = grant.CanImportOutcome(a, p.Recipient) == nil
	v.CanForecast = grant.CanDraftPlan(a, p.Recipient) == nil
	for object, k := range p.Forecasts {
		if _, typed := v.Values["forecast."+object]; !typed {
			v.Values["forecast."+object] = money.Group(int64(k))
		}
	}
	if hist, err := s.app.Plans(r.Context(), a, p.Agreement, p.Recipient); err == nil && len(hist) > 1 {
		for i := len(hist) - 1; i >= 0; i-- {
			v.History = append(v.History, hist[i])
		}
	}
	if v.Changes, err = s.app.History(r.Context(), a, "plan:"+p.ID); err != nil {
		s.refuse(w, r, err)
		return
	}
	if _, ok := v.Values["date"]; !ok {
		v.Values["date"] = today(s)
	}
	s.render(w, r, status, "plan.html", "Plan för medlen", v)
}

// planPageError shows the plan's page again with a refusal the user can
// correct (422) or a conflict (409); others are refused.
func (s *server) planPageError(w http.ResponseWriter, r *http.Request, a auth.Actor, id string, values map[string]string, err error) {
	if values == nil {
		values = map[string]string{}
	}
	switch fault.CodeOf(err) {
	case fault.Invalid:
		s.renderPlanPage(w, r, a, http.StatusUnprocessableEntity, id, values, errorsOf(err))
	case fault.Conflict:
		s.renderPlanPage(w, r, a, http.StatusConflict, id, values, errorsOf(err))
	default:
		s.refuse(w, r, err)
	}
}
