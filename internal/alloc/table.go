package alloc

import (
	"fmt"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/geo"
	"narvard/internal/money"
)

// The tables an agreement can be allocated into.
const (
	TableRegioner  = "regioner"  // the regions' components
	TableKommuner  = "kommuner"  // the municipalities' components, per county (paid to the RSS)
	TableLandsbygd = "landsbygd" // the rural part of the regions' Nära vård
	TableVFU       = "vfu"       // the VFU component, per reporting region or municipality
)

// Tables lists the table names in the order people expect them.
var Tables = []string{TableRegioner, TableKommuner, TableLandsbygd, TableVFU}

// Table is an allocation: one row per recipient sorted by code, one column
// per component (or part). Totals are derived, never stored.
type Table struct {
	Name      string
	Agreement *agreement.Agreement
	Columns   []Column
	Rows      []Row
}

// Column is one apportioned amount of a table.
type Column struct {
	ID     string
	Label  string
	Amount money.Kr
	Parts  []agreement.Part
}

// Row is one recipient's allocation.
type Row struct {
	Code  string
	Name  string
	Cells []Cell
	// VFU is the recipient's report, for the vfu table only.
	VFU *VFUReport
}

// Cell is one recipient's amount in one column, with the parts it is made of.
type Cell struct {
	Amount money.Kr
	Parts  []PartShare
}

// PartShare is one part's share of a cell: the key's outcome for this
// recipient and a sentence on what its weight is.
type PartShare struct {
	Part  agreement.Part
	Share Share
	Basis string
}

// Total is the sum of the row's cells.
func (r Row) Total() (money.Kr, error) {
	var t money.Kr
	for _, c := range r.Cells {
		var err error
		if t, err = money.Add(t, c.Amount); err != nil {
			return 0, err
		}
	}
	return t, nil
}

// ColumnTotals returns the sum of each column over the rows and the grand
// total, derived from the cells.
func (t *Table) ColumnTotals() ([]money.Kr, money.Kr, error) {
	sums := make([]money.Kr, len(t.Columns))
	var grand money.Kr
	for _, r := range t.Rows {
		for i, c := range r.Cells {
			var err error
			if sums[i], err = money.Add(sums[i], c.Amount); err != nil {
				return nil, 0, err
			}
			if grand, err = money.Add(grand, c.Amount); err != nil {
				return nil, 0, err
			}
		}
	}
	return sums, grand, nil
}

// Row returns the row with the given code.
func (t *Table) Row(code string) (Row, bool) {
	i, ok := t.rowIndex(code)
	if !ok {
		return Row{}, false
	}
	return t.Rows[i], true
}

// Build allocates the named table of the agreement from the inputs.
func Build(a *agreement.Agreement, in Inputs, name string) (*Table, error) {
	t := &Table{Name: name, Agreement: a}
	var cols []Column
	var codes []string
	switch name {
	case TableRegioner, TableKommuner:
		kind := agreement.Region
		if name == TableKommuner {
			kind = agreement.RSS
		}
		for _, c := range a.ComponentsFor(kind) {
			cols = append(cols, Column{ID: c.ID, Label: c.Label(), Amount: c.Amount, Parts: c.Parts})
		}
		for _, c := range in.Counties {
			codes = append(codes, c.Code)
		}
	case TableLandsbygd:
		for _, c := range a.ComponentsFor(agreement.Region) {
			for _, p := range c.Parts {
				if p.Key == agreement.KeyRural {
					cols = append(cols, Column{ID: "belopp", Label: p.Name, Amount: p.Amount, Parts: []agreement.Part{p}})
				}
			}
		}
		for _, r := range in.Rural {
			codes = append(codes, r.Code)
		}
	case TableVFU:
		for _, c := range a.ComponentsFor(agreement.RegionKommun) {
			cols = append(cols, Column{ID: "belopp", Label: c.Label(), Amount: c.Amount, Parts: c.Parts})
		}
		if len(in.VFU) == 0 && len(cols) > 0 {
			return nil, fmt.Errorf("%s: inga VFU-rapporter; VFU-medlen fördelas efter rapporterna (ange --inputs med vfu.csv)", a.ID)
		}
		for _, r := range in.VFU {
			codes = append(codes, r.Code)
		}
	default:
		return nil, fmt.Errorf("okänd tabell %q (välj %v)", name, Tables)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s har inga medel för tabellen %s", a.ID, name)
	}
	slices.Sort(codes)
	t.Columns = cols
	t.Rows = make([]Row, len(codes))
	for i, code := range codes {
		t.Rows[i] = Row{Code: code, Name: recipientName(name, code, &in), Cells: make([]Cell, len(cols))}
		if name == TableVFU {
			t.Rows[i].VFU = vfuReport(&in, code)
		}
	}
	for ci, col := range cols {
		for _, p := range col.Parts {
			shares, err := apportion(a, p, &in)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", col.ID, p.ID, err)
			}
			for _, s := range shares {
				r, ok := t.rowIndex(s.Code)
				if !ok {
					return nil, fmt.Errorf("%s/%s: mottagaren %s finns inte i tabellen", col.ID, p.ID, s.Code)
				}
				cell := &t.Rows[r].Cells[ci]
				cell.Amount += s.Amount // parts of a column sum to the column's amount, so no overflow
				cell.Parts = append(cell.Parts, PartShare{Part: p, Share: s.Share, Basis: s.Basis})
			}
		}
	}
	return t, nil
}

func (t *Table) rowIndex(code string) (int, bool) {
	return slices.BinarySearchFunc(t.Rows, code, func(r Row, c string) int { return strings.Compare(r.Code, c) })
}

func vfuReport(in *Inputs, code string) *VFUReport {
	for i := range in.VFU {
		if in.VFU[i].Code == code {
			return &in.VFU[i]
		}
	}
	return nil
}

// recipientName is the name people know the recipient by in a table.
func recipientName(table, code string, in *Inputs) string {
	if k, ok := geo.Kommun(code); ok {
		return k.Name
	}
	c, ok := in.county(code)
	if !ok {
		return code
	}
	if table == TableKommuner {
		return "Kommunerna i " + c.Lan
	}
	return c.Region
}
