// Package verify compares an agreement's published annex tables with the
// exact computation from the annexes' own stated keys, and lists where they
// depart.
package verify

import (
	"fmt"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/money"
)

// DefaultTolerance is the departure, in kronor, that a published cell may
// have from the exact computation before it is listed. Hand-made tables
// round each cell on its own, so a krona or two is expected.
const DefaultTolerance money.Kr = 2

// TotalCode is the code of a finding about a column's sum.
const TotalCode = "totalt"

// Finding is one published figure that departs from the computation: a
// cell beyond the tolerance, or a column whose sum is not the component's
// amount (Code is TotalCode).
type Finding struct {
	Table     string   // the published annex's id in the agreement file
	Code      string   // the recipient's code, or TotalCode
	Component string   // the column: a component id, or a part id for part columns
	Name      string   // the recipient's name; empty for totalt rows
	Published money.Kr // as published (for totalt: the sum of the published cells)
	Computed  money.Kr // the exact computation (for totalt: the component's amount)
	Diff      money.Kr // Published − Computed
	Text      string   // a Swedish sentence that explains the departure
}

// Check compares every published table of the agreement with the exact
// allocation from the agreement's own figures. Cells departing by more than
// tolerance kronor are listed; a column sum that differs at all is listed.
// The derived "totalt" columns are not compared.
func Check(a *agreement.Agreement, tolerance money.Kr) ([]Finding, error) {
	in := alloc.FromAgreement(a)
	tables := map[agreement.RecipientKind]*alloc.Table{}
	var out []Finding
	for _, p := range a.Published {
		table, ok := tables[p.Recipient]
		if !ok {
			spec, found := a.ComponentTable(p.Recipient)
			if !found {
				return nil, fmt.Errorf("%s: ingen tabell över komponenterna för %s", p.ID, p.Recipient)
			}
			var err error
			if table, err = alloc.Build(a, in, spec.ID); err != nil {
				return nil, err
			}
			tables[p.Recipient] = table
		}
		for ci, ref := range p.Columns {
			if ref == "totalt" {
				continue
			}
			found, err := checkColumn(a, p, ci, ref, table, tolerance)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", p.ID, ref, err)
			}
			out = append(out, found...)
		}
	}
	return out, nil
}

func checkColumn(a *agreement.Agreement, p agreement.Published, ci int, ref string, t *alloc.Table, tolerance money.Kr) ([]Finding, error) {
	comp, part, err := a.Ref(p.Recipient, ref)
	if err != nil {
		return nil, err
	}
	label, id, amount := comp.Label(), comp.ID, comp.Amount
	if part != nil {
		label, id, amount = part.Name, part.ID, part.Amount
	}
	col := columnIndex(t, comp.ID)
	var out []Finding
	var sum money.Kr
	for _, pr := range p.Rows {
		published := money.Kr(pr.Kr[ci])
		if sum, err = money.Add(sum, published); err != nil {
			return nil, err
		}
		if p.SumOnly {
			continue
		}
		row, ok := t.Row(pr.Code)
		if !ok {
			return nil, fmt.Errorf("kod %s saknas i beräkningen", pr.Code)
		}
		computed := cellAmount(row.Cells[col], part)
		diff := published - computed
		if abs(diff) <= tolerance {
			continue
		}
		out = append(out, Finding{Table: p.ID, Code: pr.Code, Component: id, Name: row.Name,
			Published: published, Computed: computed, Diff: diff,
			Text: cellText(p, row.Name, label, published, computed, comp, part)})
	}
	if sum != amount {
		out = append(out, Finding{Table: p.ID, Code: TotalCode, Component: id,
			Published: sum, Computed: amount, Diff: sum - amount,
			Text: totalText(p, label, sum, amount)})
	}
	return out, nil
}

func columnIndex(t *alloc.Table, id string) int {
	for i, c := range t.Columns {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// cellAmount is the cell's amount, or only the given part's share of it.
func cellAmount(c alloc.Cell, part *agreement.Part) money.Kr {
	if part == nil {
		return c.Amount
	}
	for _, ps := range c.Parts {
		if ps.Part.ID == part.ID {
			return ps.Share.Amount
		}
	}
	return 0
}

func abs(k money.Kr) money.Kr {
	if k < 0 {
		return -k
	}
	return k
}
