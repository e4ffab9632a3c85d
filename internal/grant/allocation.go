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

// ComponentAmount is one component of a recipient's allocation.
type ComponentAmount struct {
	ID        string
	Label     string
	Amount    money.Kr
	Earmarked bool
}

// Allocation is what one recipient may requisition under an agreement:
// the components paid by Kammarkollegiet after requisition.
type Allocation struct {
	Recipient  string
	Components []ComponentAmount
}

// Total sums the components.
func (a Allocation) Total() money.Kr {
	var t money.Kr
	for _, c := range a.Components {
		t += c.Amount // components sum to at most the agreement's total, which fits
	}
	return t
}

// Allocations computes every requisitioning recipient's allocation from the
// agreement's own figures: the regions, the RSS and SKR.
func Allocations(a *agreement.Agreement) (map[string]Allocation, error) {
	out := map[string]Allocation{}
	in := alloc.FromAgreement(a)
	ids := map[agreement.RecipientKind]func(string) string{agreement.Region: org.RegionID, agreement.RSS: org.RSSID}
	for _, spec := range a.Tables {
		id, ok := ids[spec.Recipient]
		if !ok || spec.Part != "" {
			continue
		}
		t, err := alloc.Build(a, in, spec.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.ID, err)
		}
		comps := a.ComponentsFor(spec.Recipient)
		for _, r := range t.Rows {
			al := Allocation{Recipient: id(r.Code)}
			for i, c := range r.Cells {
				if comps[i].Payer != org.Kammarkollegiet {
					continue
				}
				al.Components = append(al.Components, ComponentAmount{comps[i].ID, comps[i].Label(), c.Amount, comps[i].Earmarked})
			}
			out[al.Recipient] = al
		}
	}
	for _, c := range a.ComponentsFor(agreement.SKR) {
		id := c.Parts[0].To // a fixed amount to one recipient, checked when the agreement loads
		al := out[id]
		al.Recipient = id
		al.Components = append(al.Components, ComponentAmount{c.ID, c.Label(), c.Amount, c.Earmarked})
		out[id] = al
	}
	return out, nil
}
