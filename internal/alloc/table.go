package alloc

import (
	"fmt"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/geo"
	"narvard/internal/money"
)

// Table is an allocation: one row per recipient sorted by code, one column
// per component (or part). Totals are derived, never stored.
type Table struct {
	Name      agreement.TableID
	Spec      agreement.Table // the agreement's description of the table, with its captions
	Agreement *agreement.Agreement
	// Basis is what the cells are: the exact computation (the zero value
	// and BindingComputed) or the published annex's cells (BindingPublished,
	// from Binding).
	Basis   agreement.Binding
	Columns []Column
	Rows    []Row
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

// Build allocates the named table of the agreement from the inputs: the
// agreement file says which components (or part) the table shows, the
// inputs give its rows, and each part's key apportions its amount.
func Build(a *agreement.Agreement, in Inputs, name agreement.TableID) (*Table, error) {
	spec, ok := a.Table(name)
	if !ok {
		return nil, fmt.Errorf("okänd tabell %q (välj %v)", name, a.TableIDs())
	}
	cols := columns(a, spec)
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s har inga medel för tabellen %s", a.ID, name)
	}
	codes, err := rowCodes(a, spec, &in)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: name, Spec: spec, Agreement: a, Columns: cols, Rows: make([]Row, len(codes))}
	for i, code := range codes {
		t.Rows[i] = Row{Code: code, Name: recipientName(spec, code, &in), Cells: make([]Cell, len(cols))}
		if name == agreement.TableVFU {
			t.Rows[i].VFU = vfuReport(&in, code)
		}
	}
	for ci := range cols {
		if err := t.fill(ci, &in); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// columns are the table's columns: the one part it shows, or every
// component of its recipient kind. A table of one part, or of the VFU
// reports, has one amount per row, "belopp".
func columns(a *agreement.Agreement, spec agreement.Table) []Column {
	if spec.Part != "" {
		_, p, err := a.Ref(spec.Recipient, spec.Part)
		if err != nil || p == nil {
			return nil // checked when the agreement loads
		}
		return []Column{{ID: "belopp", Label: p.Name, Amount: p.Amount, Parts: []agreement.Part{*p}}}
	}
	var cols []Column
	for _, c := range a.ComponentsFor(spec.Recipient) {
		col := Column{ID: c.ID, Label: c.Label(), Amount: c.Amount, Parts: c.Parts}
		if spec.ID == agreement.TableVFU {
			col.ID = "belopp"
		}
		cols = append(cols, col)
	}
	return cols
}

// rowCodes are the recipients' codes, sorted: the regions of the rural
// key, the VFU reporters, or the counties.
func rowCodes(a *agreement.Agreement, spec agreement.Table, in *Inputs) ([]string, error) {
	var codes []string
	switch spec.ID {
	case agreement.TableLandsbygd:
		for _, r := range in.Rural {
			codes = append(codes, r.Code)
		}
	case agreement.TableVFU:
		if len(in.VFU) == 0 {
			return nil, fmt.Errorf("%s: inga VFU-rapporter; VFU-medlen fördelas efter rapporterna (ange --inputs med vfu.csv)", a.ID)
		}
		for _, r := range in.VFU {
			codes = append(codes, r.Code)
		}
	default:
		for _, c := range in.Counties {
			codes = append(codes, c.Code)
		}
	}
	slices.Sort(codes)
	return codes, nil
}

// fill apportions each part of column ci and adds every recipient's share
// to its cell.
func (t *Table) fill(ci int, in *Inputs) error {
	col := t.Columns[ci]
	for _, p := range col.Parts {
		shares, err := apportion(t.Agreement, p, in)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", col.ID, p.ID, err)
		}
		for _, s := range shares {
			r, ok := t.rowIndex(s.Code)
			if !ok {
				return fmt.Errorf("%s/%s: mottagaren %s finns inte i tabellen", col.ID, p.ID, s.Code)
			}
			cell := &t.Rows[r].Cells[ci]
			cell.Amount += s.Amount // parts of a column sum to the column's amount, so no overflow
			cell.Parts = append(cell.Parts, PartShare{Part: p, Share: s.Share, Basis: s.Basis})
		}
	}
	return nil
}

// HasReports reports whether the table's rows are the VFU reports, with
// their weeks and increase.
func (t *Table) HasReports() bool { return t.Name == agreement.TableVFU }

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
func recipientName(spec agreement.Table, code string, in *Inputs) string {
	if k, ok := geo.Kommun(code); ok {
		return k.Name
	}
	c, ok := in.county(code)
	if !ok {
		return code
	}
	if spec.Recipient == agreement.RSS {
		return "Kommunerna i " + c.Lan
	}
	return c.Region
}
