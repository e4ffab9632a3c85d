// Package grant holds the grant's life after the agreement: what each
// recipient may requisition, the requisition (rekvisition, Bilaga 1) and its
// transitions, and who may make them. It knows neither HTTP nor SQL.
package grant

import (
	"fmt"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/money"
	"narvard/internal/org"
)

// ComponentAmount is one component of a recipient's allocation: the
// amount that binds (what the recipient is entitled to and may
// requisition) and the exact computation from the component's key.
type ComponentAmount struct {
	ID        string
	Label     string
	Amount    money.Kr // binding: the signed annex's cell, or the computation where the file says so
	Computed  money.Kr // the exact computation from the key
	Earmarked bool
}

// Departure is how far the binding amount departs from the computed one:
// Amount − Computed.
func (c ComponentAmount) Departure() money.Kr { return c.Amount - c.Computed }

// Allocation is what one recipient may requisition under an agreement:
// the components paid by Kammarkollegiet after requisition.
type Allocation struct {
	Recipient  string
	Components []ComponentAmount
}

// Total sums the components' binding amounts: what the recipient may
// requisition.
func (a Allocation) Total() money.Kr {
	var t money.Kr
	for _, c := range a.Components {
		t += c.Amount // components sum to about the agreement's total, which fits
	}
	return t
}

// ComputedTotal sums the components' computed amounts.
func (a Allocation) ComputedTotal() money.Kr {
	var t money.Kr
	for _, c := range a.Components {
		t += c.Computed
	}
	return t
}

// Departure is Total − ComputedTotal.
func (a Allocation) Departure() money.Kr { return a.Total() - a.ComputedTotal() }

// Allocations gives every requisitioning recipient's allocation under the
// agreement, the regions, the RSS and SKR: per component the binding
// amount (the published annex's cell where the agreement file binds the
// table to it, else the computation) and the exact computation from the
// agreement's own figures. It is the one source of the allocation: caps,
// the ledger, statuses and reports take it from here.
func Allocations(a *agreement.Agreement) (map[string]Allocation, error) {
	out := map[string]Allocation{}
	in := alloc.FromAgreement(a)
	ids := map[agreement.RecipientKind]func(string) string{agreement.Region: org.RegionID, agreement.RSS: org.RSSID}
	for _, spec := range a.Tables {
		id, ok := ids[spec.Recipient]
		if !ok || spec.Part != "" {
			continue
		}
		computed, err := alloc.Build(a, in, spec.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.ID, err)
		}
		binding, err := alloc.Binding(computed)
		if err != nil {
			return nil, err
		}
		comps := a.ComponentsFor(spec.Recipient)
		for ri, r := range computed.Rows {
			al := Allocation{Recipient: id(r.Code)}
			for i, c := range r.Cells {
				if comps[i].Payer != org.Kammarkollegiet {
					continue
				}
				al.Components = append(al.Components, ComponentAmount{ID: comps[i].ID, Label: comps[i].Label(),
					Amount: binding.Rows[ri].Cells[i].Amount, Computed: c.Amount, Earmarked: comps[i].Earmarked})
			}
			out[al.Recipient] = al
		}
	}
	for _, c := range a.ComponentsFor(agreement.SKR) {
		id := c.Parts[0].To // a fixed amount to one recipient, checked when the agreement loads
		al := out[id]
		al.Recipient = id
		al.Components = append(al.Components, ComponentAmount{ID: c.ID, Label: c.Label(), Amount: c.Amount, Computed: c.Amount, Earmarked: c.Earmarked})
		out[id] = al
	}
	return out, nil
}
