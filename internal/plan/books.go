package plan

import (
	"math/big"

	"narvard/internal/alloc"
	"narvard/internal/money"
	"narvard/internal/outcome"
)

// ComponentCost is what the books say a component cost: its share of the
// outcome on each of its cost objects, in whole kronor.
type ComponentCost struct {
	Component   string
	CostObjects []string
	Amount      money.Kr
}

// ComponentOutcome turns the books' outcome per cost object into costs
// per component, for the financial report. Each cost object's outcome is
// rounded to whole kronor once; where an object carries several
// components (seed 002 books staff, further training and career posts on
// 9917) it is split in proportion to their budgets on it by the largest
// remainder, so the components sum to the objects exactly.
func ComponentOutcome(p Plan, rows []Row, out outcome.Outcome) ([]ComponentCost, error) {
	budgets := objectBudgets(p, rows)
	byComponent := map[string]*ComponentCost{}
	var order []string
	for _, object := range p.CostObjects() {
		split, err := splitObject(out.Object(object).Kronor(), budgets[object])
		if err != nil {
			return nil, err
		}
		for _, sh := range split {
			c, ok := byComponent[sh.Code]
			if !ok {
				c = &ComponentCost{Component: sh.Code}
				byComponent[sh.Code] = c
				order = append(order, sh.Code)
			}
			c.CostObjects = append(c.CostObjects, object)
			c.Amount += sh.Amount
		}
	}
	result := make([]ComponentCost, 0, len(order))
	for _, r := range rows { // in the allocation's order
		if c, ok := byComponent[r.Component]; ok {
			result = append(result, *c)
		}
	}
	return result, nil
}

// objectBudgets is each cost object's budget per component: the measures'
// amounts on it, and a component's unplanned part when the object is its
// only one (as MakeBudget places them).
func objectBudgets(p Plan, rows []Row) map[string]map[string]money.Kr {
	out := map[string]map[string]money.Kr{}
	add := func(object, component string, k money.Kr) {
		if out[object] == nil {
			out[object] = map[string]money.Kr{}
		}
		out[object][component] += k
	}
	for _, m := range p.Measures {
		if m.Amount != nil {
			add(m.CostObject, m.Component, *m.Amount)
		} else {
			add(m.CostObject, m.Component, 0)
		}
	}
	for _, r := range rows {
		if len(r.CostObjects) == 1 {
			add(r.CostObjects[0], r.Component, r.Unassigned)
		}
	}
	return out
}

// splitObject apportions an object's outcome among its components by
// their budgets on it (equally when none has a budget); a net credit is
// split as its opposite and negated.
func splitObject(amount money.Kr, budgets map[string]money.Kr) ([]alloc.Share, error) {
	if len(budgets) == 0 {
		return nil, nil
	}
	var total money.Kr
	for _, b := range budgets {
		total += b
	}
	claims := make([]alloc.Claim, 0, len(budgets))
	for comp, b := range budgets {
		w := big.NewRat(int64(b), 1)
		if total == 0 {
			w = big.NewRat(1, 1)
		}
		claims = append(claims, alloc.Claim{Code: comp, Weight: w})
	}
	neg := amount < 0
	if neg {
		amount = -amount
	}
	shares, err := alloc.LargestRemainder(amount, claims)
	if err != nil {
		return nil, err
	}
	if neg {
		for i := range shares {
			shares[i].Amount = -shares[i].Amount
		}
	}
	return shares, nil
}
