package followup

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"narvard/internal/csvfile"
)

// CompareColumns are the columns of a comparison.
var CompareColumns = []string{"grupp", "coc_bas", "coc_nu", "forandring_coc_procent", "mal_coc_uppnatt",
	"andel_fast_lakare_nu", "mal_55_uppnatt", "andel_fast_lakare_sabo_nu", "mal_80_uppnatt"}

// readIndicators reads an indicators CSV as written by WriteCSV: per group,
// the columns Compare uses, by name.
func readIndicators(name string, r io.Reader) ([]string, map[string]map[string]string, error) {
	cols := []string{"grupp", "coc", "andel_fast_lakare", "andel_fast_lakare_sabo"}
	t, err := openCSV(name, r, 0, cols, func(int64, int64) {})
	if err != nil {
		return nil, nil, err
	}
	var order []string
	var dup error
	out := map[string]map[string]string{}
	_, err = t.scan(1, rowFunc(func(_ int, _ *BadRows, line int, f [][]byte) {
		g := string(f[0])
		if _, ok := out[g]; ok && dup == nil {
			dup = fmt.Errorf("%s:%d: grupp %q finns redan", name, line, g)
		}
		vals := map[string]string{}
		for k, c := range cols {
			vals[c] = string(f[k])
		}
		order = append(order, g)
		out[g] = vals
	}))
	if err == nil {
		err = dup
	}
	if err != nil {
		return nil, nil, err
	}
	return order, out, nil
}

// Compare writes, for each group in both files, the change in COC against
// the +20 % goal and the named-GP shares against 55 % and 80 %. Suppressed
// (empty) values give empty cells.
func Compare(w io.Writer, baseName string, base io.Reader, curName string, cur io.Reader) error {
	_, b, err := readIndicators(baseName, base)
	if err != nil {
		return err
	}
	order, c, err := readIndicators(curName, cur)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(CompareColumns)
	for _, g := range order {
		old, ok := b[g]
		if !ok {
			continue
		}
		now := c[g]
		rec := []string{csvfile.Text(g), numberCell(old["coc"]), numberCell(now["coc"]), "", "", numberCell(now["andel_fast_lakare"]), "", numberCell(now["andel_fast_lakare_sabo"]), ""}
		if o, err1 := strconv.ParseFloat(old["coc"], 64); err1 == nil && o > 0 {
			if n, err2 := strconv.ParseFloat(now["coc"], 64); err2 == nil {
				change := (n - o) / o
				rec[3] = strconv.FormatFloat(100*change, 'f', 1, 64)
				rec[4] = yesNo(change >= GoalCOCIncrease-1e-9) // the inputs have four decimals
			}
		}
		if v, err := strconv.ParseFloat(now["andel_fast_lakare"], 64); err == nil {
			rec[6] = yesNo(v >= GoalNamedGP-1e-9)
		}
		if v, err := strconv.ParseFloat(now["andel_fast_lakare_sabo"], 64); err == nil {
			rec[8] = yesNo(v >= GoalNamedGPSabo-1e-9)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nej"
}

// rowFunc is a rowReader that needs no end.
type rowFunc func(w int, bad *BadRows, line int, f [][]byte)

func (f rowFunc) row(w int, bad *BadRows, line int, fields [][]byte) { f(w, bad, line, fields) }
func (f rowFunc) end(int)                                            {}

// numberCell is a cell read from an indicators file, as it is when it is a
// number and made safe for spreadsheets (csvfile.Text) when it is not.
func numberCell(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return csvfile.Text(s)
}
