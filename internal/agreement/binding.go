package agreement

import (
	"errors"
	"fmt"
	"strings"

	"narvard/internal/money"
)

// Published amounts and what binds. A table whose binding is
// BindingPublished takes each recipient's amount from the annex tables
// ([[published]]) of its recipient kind: the column of the component (or
// part) itself, or, where an annex gives a component only as its parts,
// the sum of the parts' columns.

// PublishedCell returns what the annexes publish for the recipient code in
// column ref of the recipient kind: "component" or "component/part". A
// component the annexes give only as parts is the sum of its parts'
// cells; a part that is its component's only part is the component's
// cell. ok is false if the annexes do not give the cell.
func (a *Agreement) PublishedCell(kind RecipientKind, ref, code string) (money.Kr, bool) {
	if v, ok := a.publishedColumnCell(kind, ref, code); ok {
		return v, true
	}
	comp, part, err := a.Ref(kind, ref)
	if err != nil {
		return 0, false
	}
	if part != nil {
		if len(comp.Parts) == 1 {
			return a.publishedColumnCell(kind, comp.ID, code)
		}
		return 0, false
	}
	var sum money.Kr
	for _, p := range comp.Parts {
		v, ok := a.publishedColumnCell(kind, comp.ID+"/"+p.ID, code)
		if !ok {
			return 0, false
		}
		if sum, err = money.Add(sum, v); err != nil {
			return 0, false
		}
	}
	return sum, true
}

// publishedColumnCell is the cell of the one annex column named ref.
func (a *Agreement) publishedColumnCell(kind RecipientKind, ref, code string) (money.Kr, bool) {
	for _, p := range a.Published {
		if p.Recipient != kind {
			continue
		}
		for ci, col := range p.Columns {
			if col != ref {
				continue
			}
			for _, r := range p.Rows {
				if r.Code == code {
					return money.Kr(r.Kr[ci]), true
				}
			}
		}
	}
	return 0, false
}

// validateBinding checks that a table bound to the published annexes has a
// published cell for every recipient and column it shows, and that no
// column is published twice for the same recipient kind.
func (a *Agreement) validateBinding(t Table) error {
	if t.Binding != BindingPublished {
		return nil
	}
	if t.ID == TableVFU {
		return errors.New("binding = \"published\": VFU-medlen följer mottagarnas rapporter och kan inte ha publicerade bindande belopp")
	}
	seen := map[string]string{}
	for _, p := range a.Published {
		if p.Recipient != t.Recipient {
			continue
		}
		for _, col := range p.Columns {
			if prev, dup := seen[col]; dup && col != "totalt" {
				return fmt.Errorf("binding = \"published\": kolumnen %s finns i både %s och %s", col, prev, p.ID)
			}
			seen[col] = p.ID
		}
	}
	refs := []string{t.Part}
	if t.Part == "" {
		refs = refs[:0]
		for _, c := range a.ComponentsFor(t.Recipient) {
			refs = append(refs, c.ID)
		}
	}
	var missing []string
	for _, ref := range refs {
		for _, c := range a.Counties {
			if _, ok := a.PublishedCell(t.Recipient, ref, c.Code); !ok {
				missing = append(missing, ref+" "+c.Code)
			}
		}
	}
	if len(missing) > 0 {
		if len(missing) > 5 {
			missing = append(missing[:5], "…")
		}
		return fmt.Errorf("binding = \"published\" men bilagorna ([[published]], mottagartyp %s) saknar %s", t.Recipient, strings.Join(missing, ", "))
	}
	return nil
}
