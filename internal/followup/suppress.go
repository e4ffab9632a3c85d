package followup

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// suppressComplementary makes small-cell suppression complementary: where
// the rows of a partition add up to a total that is published (here or
// by a coarser grouping) and exactly one of them has a count suppressed,
// the total less the others would reveal it, so the same count is also
// suppressed in the partition's smallest other row. That can leave
// another partition with one suppressed count; it is repeated until none
// has. The partitions of a grouping's rows, in each period: for each part
// of the grouping, the rows that agree on the other parts (their total is
// that of the grouping without the part; for a single part, riket), and
// for a municipality, also the municipalities of one county that agree on
// the other parts (their total is the county's). rows are group-major,
// np periods each, riket's last.
func suppressComplementary(rows []Row, by []string, np int) {
	if len(rows) <= np {
		return
	}
	parts := partitions(rows, by, np)
	// The smaller partitions first (a county's municipalities before
	// riket), so that a second suppression there also covers the larger.
	keys := slices.SortedFunc(maps.Keys(parts), func(a, b string) int {
		return cmp.Or(cmp.Compare(len(parts[a]), len(parts[b])), strings.Compare(a, b))
	})
	for per := range np {
		for _, c := range rows[per].counts() {
			for changed := true; changed; {
				changed = false
				for _, k := range keys {
					changed = suppressOne(rows, parts[k], per, c.name) || changed
				}
			}
		}
	}
	for i := range rows {
		order := rows[i].counts()
		slices.SortFunc(rows[i].Suppressed, func(a, b string) int {
			return slices.IndexFunc(order, func(c namedCount) bool { return c.name == a }) -
				slices.IndexFunc(order, func(c namedCount) bool { return c.name == b })
		})
	}
}

// partitions maps each partition's key to its groups, as indexes of
// their first rows.
func partitions(rows []Row, by []string, np int) map[string][]int {
	out := map[string][]int{}
	for g := 0; g < len(rows); g += np {
		if g == len(rows)-np && rows[g].Group == ByRiket {
			break
		}
		vals := strings.Split(rows[g].Group, string(groupSep))
		if len(vals) != len(by) { // a value with the separator in it: riket only
			out["*"] = append(out["*"], g)
			continue
		}
		for i, part := range by {
			out[partitionKey(i, vals, "*")] = append(out[partitionKey(i, vals, "*")], g)
			if county, ok := kommunLan[vals[i]]; ok && part == ByKommun {
				k := partitionKey(i, vals, "lan "+county)
				out[k] = append(out[k], g)
			}
		}
	}
	return out
}

func partitionKey(i int, vals []string, in string) string {
	v := slices.Clone(vals)
	v[i] = in
	return string(rune('0'+i)) + ":" + strings.Join(v, string(groupSep))
}

// suppressOne suppresses count name in period per of the partition's
// smallest unsuppressed row when exactly one of its rows has it
// suppressed, and reports whether it did.
func suppressOne(rows []Row, groups []int, per int, name string) bool {
	if len(groups) < 2 {
		return false
	}
	suppressed, pick, least := 0, -1, 0
	for _, g := range groups {
		r := &rows[g+per]
		if r.IsSuppressed(name) {
			suppressed++
			continue
		}
		if n := r.count(name); pick < 0 || n < least {
			pick, least = g+per, n
		}
	}
	if suppressed != 1 || pick < 0 {
		return false
	}
	rows[pick].Suppressed = append(rows[pick].Suppressed, name)
	return true
}

// count is the row's count of that name.
func (r *Row) count(name string) int {
	switch name {
	case "listade":
		return r.Listade
	case "med_fast_lakare":
		return r.MedFastLakare
	case "sabo_listade":
		return r.SaboListade
	case "sabo_med_fast_lakare":
		return r.SaboMedFastLakare
	case "patienter_coc":
		return r.PatienterCOC
	case "med_fast_vardkontakt":
		return r.MedFastVardkontakt
	case "patienter_coc_lakare":
		return r.PatienterCOCLakare
	case "patienter_coc_alla":
		return r.PatienterCOCAlla
	case "sabo_patienter_coc":
		return r.SaboPatienterCOC
	case "utskrivningar_65":
		return r.Utskrivningar
	case "aterinskrivningar_30":
		return r.Aterinskrivningar
	}
	panic("followup: no count " + name)
}
