package inputs

import (
	"io"
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/csvfile"
)

// Column names of lan.csv.
const (
	colLan         = "lan"
	colRegion      = "region"
	colBefolkning  = "befolkning"
	colKommunalHSV = "kommunal_hsv"
)

// ReadCounties reads the counties' figures (lan.csv) from r, named name in
// errors: columns kod, befolkning and kommunal_hsv, and optionally lan and
// region, whose empty or missing names are taken from the agreement. There
// must be exactly one row for each county of the agreement; figures are
// whole numbers, not negative, and neither befolkning nor kommunal_hsv may
// be zero for all. The counties come back sorted by code. All problems
// found are reported, each as a *csvfile.Error.
func ReadCounties(name string, r io.Reader, a *agreement.Agreement) ([]alloc.County, error) {
	f, err := csvfile.Read(name, r)
	if err != nil {
		return nil, err
	}
	if err := f.Require(codeCol, colBefolkning, colKommunalHSV); err != nil {
		return nil, err
	}
	p := problems{name: name}
	s := seen{}
	var out []alloc.County
	for _, row := range f.Rows() {
		code, codeErr := countyCode(row, a)
		befolkning, err1 := row.Count(colBefolkning)
		hsv, err2 := row.Count(colKommunalHSV)
		p.add(codeErr)
		if codeErr == nil {
			codeErr = s.add(row, code)
			p.add(codeErr)
		}
		p.add(err1)
		p.add(err2)
		if codeErr != nil {
			continue
		}
		c, _ := a.County(code)
		out = append(out, alloc.County{Code: code, Lan: orElse(row.Get(colLan), c.Lan),
			Region: orElse(row.Get(colRegion), c.Region), Befolkning: befolkning, KommunalHSV: hsv})
	}
	p.add(missingCounties(f, a, s, "län"))
	if p.any() {
		return nil, p.err()
	}
	p.add(checkTotal(name, colBefolkning, colBefolkning, "är noll för alla län", bigs(out, func(c alloc.County) int64 { return c.Befolkning })))
	p.add(checkTotal(name, colKommunalHSV, colKommunalHSV, "är noll för alla län", bigs(out, func(c alloc.County) int64 { return c.KommunalHSV })))
	if p.any() {
		return nil, p.err()
	}
	slices.SortFunc(out, func(x, y alloc.County) int { return strings.Compare(x.Code, y.Code) })
	return out, nil
}

// orElse returns s, or def when s is empty.
func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
