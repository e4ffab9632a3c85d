package alloctable

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"narvard/internal/alloc"
	"narvard/internal/csvfile"
)

// WriteCSV writes a header line, then one row per recipient sorted by code,
// amounts in whole kronor without separators, and no total row. Text
// cells (the header, the codes) are made safe for spreadsheets
// (csvfile.Text); amounts, negative ones too, stay numbers.
func WriteCSV(w io.Writer, t *alloc.Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvfile.Texts(header(t)...)); err != nil {
		return err
	}
	for _, r := range t.Rows {
		rec := []string{csvfile.Text(r.Code)}
		if t.HasReports() {
			rec = append(rec, strconv.FormatInt(r.VFU.Increase(), 10))
		}
		for _, c := range r.Cells {
			rec = append(rec, strconv.FormatInt(int64(c.Amount), 10))
		}
		if hasTotal(t) {
			total, err := r.Total()
			if err != nil {
				return err
			}
			rec = append(rec, strconv.FormatInt(int64(total), 10))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonTable is the JSON form of a table. Amounts are integers (kronor).
type jsonTable struct {
	Agreement string           `json:"agreement"`
	Table     string           `json:"table"`
	Columns   []jsonColumn     `json:"columns"`
	Rows      []map[string]any `json:"rows"`
	Sums      map[string]int64 `json:"summa"`
}

type jsonColumn struct {
	ID       string `json:"id"`
	Name     string `json:"namn"`
	AmountKr int64  `json:"belopp_kr"`
}

// WriteJSON writes the table as one JSON object: its columns with their
// amounts, one object per row with the same keys as the CSV plus "namn",
// and the column sums.
func WriteJSON(w io.Writer, t *alloc.Table) error {
	out := jsonTable{Agreement: t.Agreement.ID, Table: string(t.Name), Rows: []map[string]any{}, Sums: map[string]int64{}}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, jsonColumn{c.ID, c.Label, int64(c.Amount)})
	}
	for _, r := range t.Rows {
		row := map[string]any{"kod": r.Code, "namn": r.Name}
		if r.VFU != nil {
			row["okning"] = r.VFU.Increase()
			row[t.Agreement.VFU.BaseColumn()] = r.VFU.WeeksBase
			row[t.Agreement.VFU.CurrentColumn()] = r.VFU.WeeksCurrent
		}
		for i, c := range r.Cells {
			row[t.Columns[i].ID] = int64(c.Amount)
		}
		if hasTotal(t) {
			total, err := r.Total()
			if err != nil {
				return err
			}
			row["totalt"] = int64(total)
		}
		out.Rows = append(out.Rows, row)
	}
	sums, grand, err := t.ColumnTotals()
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		out.Sums[c.ID] = int64(sums[i])
	}
	if hasTotal(t) {
		out.Sums["totalt"] = int64(grand)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
