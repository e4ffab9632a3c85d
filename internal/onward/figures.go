package onward

import (
	"io"

	"narvard/internal/csvfile"
)

// ReadFigures reads the RSS's key figures from a CSV file with the columns
// kommun, befolkning and kommunal_hsv, by csvfile's dialect rules (either
// delimiter, grouped digits, BOM); errors are *csvfile.Error with the
// file and line.
func ReadFigures(name string, r io.Reader) ([]Figure, error) {
	f, err := csvfile.Read(name, r)
	if err != nil {
		return nil, err
	}
	if err := f.Require("kommun", "befolkning", "kommunal_hsv"); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var out []Figure
	for _, row := range f.Rows() {
		code := Code(row.Get("kommun"))
		if len(code) != 4 {
			return nil, row.Err("kommun", "ska vara en kommunkod med fyra siffror")
		}
		if first, ok := seen[code]; ok {
			return nil, row.Err("kommun", "finns redan på rad "+itoa(first))
		}
		seen[code] = row.Line
		pop, err := row.Count("befolkning")
		if err != nil {
			return nil, err
		}
		hsv, err := row.Count("kommunal_hsv")
		if err != nil {
			return nil, err
		}
		out = append(out, Figure{Kommun: code, Befolkning: pop, KommunalHSV: hsv})
	}
	if len(out) == 0 {
		return nil, f.Err(f.LastLine(), "filen har inga kommuner")
	}
	return out, nil
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
