package grant

import (
	"fmt"
	"maps"
	"slices"

	"narvard/internal/money"
)

// PostedAllocation is what the ledger holds as one recipient's allocation
// under an agreement. Allocations are posted per component, the
// transaction's reference naming the component; a ledger from before that
// holds one sum per recipient (Whole, referenced by the agreement's id).
type PostedAllocation struct {
	Whole       money.Kr            // allocation posted as one sum for the recipient
	ByComponent map[string]money.Kr // allocation and corrections per component id
	// WholeCorrection is corrections posted against the whole allocation,
	// where the components of a Whole sum could not be told apart.
	WholeCorrection money.Kr
}

// Total is everything the ledger holds as the recipient's allocation.
func (p PostedAllocation) Total() money.Kr {
	t := p.Whole + p.WholeCorrection
	for _, v := range p.ByComponent {
		t += v
	}
	return t
}

// AllocationDeparture is a recipient's allocation as the ledger holds it
// departing from the agreement file's binding amount: for one component,
// or (Component "") for the whole allocation when the ledger holds it as
// one sum whose components cannot be told apart.
type AllocationDeparture struct {
	Recipient string
	Component string // "" for the whole allocation
	Label     string
	Posted    money.Kr
	Binding   money.Kr
}

// Correction is what has to be posted to bring the ledger to the binding
// amount.
func (d AllocationDeparture) Correction() money.Kr { return d.Binding - d.Posted }

// String says in Swedish what departs.
func (d AllocationDeparture) String() string {
	what := "hela tilldelningen (bokförd som en summa)"
	if d.Component != "" {
		what = fmt.Sprintf("%s (%s)", d.Label, d.Component)
	}
	return fmt.Sprintf("%s, %s: bokfört %s, bindande enligt överenskommelsen %s (skillnad %s)",
		d.Recipient, what, d.Posted, d.Binding, d.Correction())
}

// AllocationDepartures compares what the ledger holds (posted, by
// recipient) with the binding allocations (want, by recipient) and lists
// every departure, by recipient and component. A recipient's allocation
// posted as one sum is taken to be the computation's components when it
// equals the computed total (that is what was posted before the annexes
// bound), else it is compared as a whole.
func AllocationDepartures(want map[string]Allocation, posted map[string]PostedAllocation) []AllocationDeparture {
	ids := slices.Sorted(maps.Keys(want))
	for id := range posted {
		if _, ok := want[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []AllocationDeparture
	for _, id := range ids {
		al, p := want[id], posted[id]
		by := maps.Clone(p.ByComponent)
		if by == nil {
			by = map[string]money.Kr{}
		}
		whole := p.WholeCorrection
		if p.Whole != 0 {
			if p.Whole == al.ComputedTotal() && len(al.Components) > 0 {
				for _, c := range al.Components {
					by[c.ID] += c.Computed
				}
			} else {
				whole += p.Whole
			}
		}
		if whole != 0 {
			if t := p.Total(); t != al.Total() {
				out = append(out, AllocationDeparture{Recipient: id, Posted: t, Binding: al.Total()})
			}
			continue
		}
		known := map[string]bool{}
		for _, c := range al.Components {
			known[c.ID] = true
			if by[c.ID] != c.Amount {
				out = append(out, AllocationDeparture{Recipient: id, Component: c.ID, Label: c.Label, Posted: by[c.ID], Binding: c.Amount})
			}
		}
		for _, ref := range slices.Sorted(maps.Keys(by)) {
			if !known[ref] && by[ref] != 0 {
				out = append(out, AllocationDeparture{Recipient: id, Component: ref, Label: ref, Posted: by[ref]})
			}
		}
	}
	return out
}
