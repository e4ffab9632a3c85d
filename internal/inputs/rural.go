package inputs

import (
	"errors"
	"io"
	"math/big"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/csvfile"
)

// Column names of landsbygd.csv.
const (
	colBelopp      = "belopp"
	colTatortsnara = "tatortsnara"
	colGlesa       = "glesa"
	colMycketGlesa = "mycket_glesa"
)

// ReadRural reads the rural key's figures (landsbygd.csv) from r, named
// name in errors, in one of two forms chosen by the header: kod,belopp (the
// published outcome used as weights) or kod,tatortsnara,glesa,mycket_glesa
// (inhabitants of the three kinds of countryside, weighted by the
// agreement's rural weights). A header with all of the counts' columns is
// the counts form even if it also has belopp. There must be exactly one row
// for each county of the agreement; figures are whole numbers, not
// negative, and the weights may not be zero for all. The rows come back
// sorted by code. All problems found are reported, each as a
// *csvfile.Error.
func ReadRural(name string, r io.Reader, a *agreement.Agreement) ([]alloc.Rural, error) {
	f, err := csvfile.Read(name, r)
	if err != nil {
		return nil, err
	}
	counts := f.Has(colTatortsnara) && f.Has(colGlesa) && f.Has(colMycketGlesa) ||
		!f.Has(colBelopp) && (f.Has(colTatortsnara) || f.Has(colGlesa) || f.Has(colMycketGlesa))
	cols := []string{codeCol, colBelopp}
	if counts {
		cols = []string{codeCol, colTatortsnara, colGlesa, colMycketGlesa}
	}
	if err := f.Require(cols...); err != nil {
		var e *csvfile.Error
		if !counts && errors.As(err, &e) && errors.Is(err, csvfile.ErrMissingColumn) {
			e.Msg = `kolumnen "belopp" saknas (eller kolumnerna "tatortsnara", "glesa" och "mycket_glesa"); rubrikraden har: ` +
				strings.Join(f.Columns(), ", ")
		}
		return nil, err
	}
	p := problems{name: name}
	s := seen{}
	var out []alloc.Rural
	for _, row := range f.Rows() {
		code, codeErr := countyCode(row, a)
		p.add(codeErr)
		if codeErr == nil {
			codeErr = s.add(row, code)
			p.add(codeErr)
		}
		var figures [3]int64
		for i, col := range cols[1:] {
			var err error
			figures[i], err = row.Count(col)
			p.add(err)
		}
		if codeErr != nil {
			continue
		}
		x := alloc.Rural{Code: code, Belopp: figures[0]}
		if counts {
			x = alloc.Rural{Code: code, Counts: true, Tatortsnara: figures[0], Glesa: figures[1], MycketGlesa: figures[2]}
		}
		out = append(out, x)
	}
	p.add(missingCounties(f, a, s, "regioner"))
	if p.any() {
		return nil, p.err()
	}
	if counts {
		p.add(checkTotal(name, "", "de viktade landsbygdsinvånarna", "de viktade landsbygdsinvånarna är noll för alla regioner", ruralWeights(out, a.RuralWeights)))
	} else {
		p.add(checkTotal(name, colBelopp, colBelopp, "är noll för alla regioner", bigs(out, func(x alloc.Rural) int64 { return x.Belopp })))
	}
	if p.any() {
		return nil, p.err()
	}
	slices.SortFunc(out, func(x, y alloc.Rural) int { return strings.Compare(x.Code, y.Code) })
	return out, nil
}

// ruralWeights returns each region's weighted inhabitants, computed
// exactly so that checkTotal can tell whether the key's int64 arithmetic
// will hold.
func ruralWeights(rows []alloc.Rural, w agreement.RuralWeights) []*big.Int {
	out := make([]*big.Int, len(rows))
	term := func(weight, n int64) *big.Int { return new(big.Int).Mul(big.NewInt(weight), big.NewInt(n)) }
	for i, x := range rows {
		out[i] = term(w.Tatortsnara, x.Tatortsnara)
		out[i].Add(out[i], term(w.Glesa, x.Glesa))
		out[i].Add(out[i], term(w.MycketGlesa, x.MycketGlesa))
	}
	return out
}
