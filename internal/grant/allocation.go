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
	for _, tc := range []struct {
		table string
		id    func(string) string
		kind  string
	}{
		{alloc.TableRegioner, org.RegionID, agreement.Region},
		{alloc.TableKommuner, org.RSSID, agreement.RSS},
	} {
		t, err := alloc.Build(a, in, tc.table)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tc.table, err)
		}
		comps := a.ComponentsFor(tc.kind)
		for _, r := range t.Rows {
			al := Allocation{Recipient: tc.id(r.Code)}
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
		al := out[org.SKR]
		al.Recipient = org.SKR
		al.Components = append(al.Components, ComponentAmount{c.ID, c.Label(), c.Amount, c.Earmarked})
		out[org.SKR] = al
	}
	return out, nil
}
