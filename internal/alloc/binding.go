package alloc

import (
	"fmt"

	"narvard/internal/agreement"
)

// Binding returns the table with the amounts that bind, as its agreement
// file says (agreement.Table.Binding): the computed table itself, or a
// copy whose cells are the published annex's cells (without parts: an
// annex gives no computation). t must be a computed table from Build.
func Binding(t *Table) (*Table, error) {
	if t.Spec.Binding != agreement.BindingPublished {
		return t, nil
	}
	out := *t
	out.Basis = agreement.BindingPublished
	out.Rows = make([]Row, len(t.Rows))
	for i, r := range t.Rows {
		nr := r
		nr.Cells = make([]Cell, len(r.Cells))
		for ci := range r.Cells {
			ref := t.Spec.Part
			if ref == "" {
				ref = t.Columns[ci].ID
			}
			v, ok := t.Agreement.PublishedCell(t.Spec.Recipient, ref, r.Code)
			if !ok {
				return nil, fmt.Errorf("%s: tabell %s: bilagorna ger inget belopp för %s i %s", t.Agreement.ID, t.Name, r.Code, ref)
			}
			nr.Cells[ci] = Cell{Amount: v}
		}
		out.Rows[i] = nr
	}
	return &out, nil
}
