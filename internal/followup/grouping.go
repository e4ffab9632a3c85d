package followup

import (
	"fmt"
	"slices"
	"strings"

	"narvard/internal/geo"
)

// The groupings a part of Options.By may name.
var Groupings = []string{ByRiket, ByLan, ByKommun, ByRSS, ByEnhet, ByKon, ByAldersgrupp}

// groupSep joins the parts of a combined grouping's group, e.g. 01/65-79.
const groupSep = '/'

// unknownGroup is the group of a person whose listing lacks the value
// grouped by (a municipality).
const unknownGroup = "okänd"

// kommunLan is each municipality's county, by code.
var kommunLan = func() map[string]string {
	m := map[string]string{}
	for _, k := range geo.Municipalities() {
		m[k.Code] = k.County
	}
	return m
}()

// countyOfKommun is each municipality's county by its code as a number,
// "" for a number that is no municipality's: looked up for every listing,
// faster than the map.
var countyOfKommun = func() (t [10000]string) {
	for code, county := range kommunLan {
		n, _ := atoi([]byte(code))
		t[n] = county
	}
	return t
}()

// isCounty tells the county codes by their number.
var isCounty = func() (t [100]bool) {
	for _, c := range counties {
		n, _ := atoi([]byte(c))
		t[n] = true
	}
	return t
}()

// knownCounty reports whether b is a county code (two digits).
func knownCounty(b []byte) bool {
	n, ok := atoi(b)
	return ok && len(b) == 2 && isCounty[n]
}

// kommunCounty is the county of the municipality whose code (four
// digits) is b.
func kommunCounty(b []byte) (string, bool) {
	n, ok := atoi(b)
	if !ok || len(b) != 4 {
		return "", false
	}
	return countyOfKommun[n], countyOfKommun[n] != ""
}

// ParseBy splits a grouping such as "lan,aldersgrupp" into its parts:
// each one of Groupings, none twice, and riket only alone. An empty
// grouping is riket.
func ParseBy(by string) ([]string, error) {
	if strings.TrimSpace(by) == "" {
		return []string{ByRiket}, nil
	}
	var parts []string
	for p := range strings.SplitSeq(by, ",") {
		p = strings.TrimSpace(p)
		switch {
		case !slices.Contains(Groupings, p):
			return nil, fmt.Errorf("okänd gruppering %q: välj %s, eller flera åtskilda med komma", p, strings.Join(Groupings, ", "))
		case slices.Contains(parts, p):
			return nil, fmt.Errorf("grupperingen %q står två gånger", p)
		}
		parts = append(parts, p)
	}
	if len(parts) > 1 && slices.Contains(parts, ByRiket) {
		return nil, fmt.Errorf("riket kan inte kombineras med andra grupperingar")
	}
	return parts, nil
}

// groupKey appends a listed person's group to dst: the parts' values
// joined by groupSep.
func groupKey(dst []byte, by []string, lan, kommun, enhet, kon []byte, born, endYear int) []byte {
	for i, part := range by {
		if i > 0 {
			dst = append(dst, groupSep)
		}
		switch part {
		case ByLan:
			dst = append(dst, lan...)
		case ByKommun:
			dst = appendOr(dst, kommun, len(kommun) > 0)
		case ByRSS:
			dst = appendOr(dst, kommun[:min(2, len(kommun))], len(kommun) > 0)
		case ByEnhet:
			dst = append(dst, enhet...)
		case ByKon:
			dst = append(dst, kon...)
		case ByAldersgrupp:
			dst = append(dst, ageGroup(born, endYear)...)
		default:
			dst = append(dst, ByRiket...)
		}
	}
	return dst
}

func appendOr(dst, v []byte, ok bool) []byte {
	if !ok {
		return append(dst, unknownGroup...)
	}
	return append(dst, v...)
}
