package inputs

import (
	"errors"
	"io"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/csvfile"
)

// ReadVFU reads the VFU reports (vfu.csv) from r, named name in errors:
// columns kod and the weeks of the agreement's two periods, veckor_<base
// period> and veckor_<current period> (agreement.VFUPeriods), one row per
// reporting region (a county code of the agreement) or municipality (a
// four-digit code). Not every recipient has to report. Weeks are whole numbers, not
// negative, and at least one report must show an increase. The reports come
// back sorted by code. All problems found are reported, each as a
// *csvfile.Error.
func ReadVFU(name string, r io.Reader, a *agreement.Agreement) ([]alloc.VFUReport, error) {
	f, err := csvfile.Read(name, r)
	if err != nil {
		return nil, err
	}
	colBase, colCurrent := a.VFU.BaseColumn(), a.VFU.CurrentColumn()
	if err := f.Require(codeCol, colBase, colCurrent); err != nil {
		return nil, err
	}
	p := problems{name: name}
	s := seen{}
	var out []alloc.VFUReport
	for _, row := range f.Rows() {
		code, codeErr := recipientCode(row, a)
		p.add(codeErr)
		if codeErr == nil {
			codeErr = s.add(row, code)
			p.add(codeErr)
		}
		base, err1 := weeks(row, colBase)
		current, err2 := weeks(row, colCurrent)
		p.add(err1)
		p.add(err2)
		if codeErr != nil {
			continue
		}
		out = append(out, alloc.VFUReport{Code: code, WeeksBase: base, WeeksCurrent: current})
	}
	if p.any() {
		return nil, p.err()
	}
	increases := bigs(out, func(v alloc.VFUReport) int64 { return max(v.Increase(), 0) })
	if err := checkTotal(name, "", "ökningarna av VFU-veckor", "ingen rapporterar någon ökning av VFU-veckor", increases); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y alloc.VFUReport) int { return strings.Compare(x.Code, y.Code) })
	return out, nil
}

// weeks reads a number of weeks, saying so when it is not whole.
func weeks(row csvfile.Row, col string) (int64, error) {
	n, err := row.Count(col)
	var e *csvfile.Error
	if errors.Is(err, csvfile.ErrDecimal) && errors.As(err, &e) {
		e.Msg = "är inte ett helt antal veckor"
	}
	return n, err
}
