// Package geo knows Sweden's 290 municipalities (kommuner) by their
// four-digit codes, whose first two digits are the county's.
package geo

import (
	_ "embed"
	"encoding/csv"
	"slices"
	"strings"
	"sync"
)

//go:embed kommuner.csv
var kommunerCSV string

// Municipality is one of Sweden's municipalities.
type Municipality struct {
	Code   string // four digits, e.g. "0114"
	Name   string // e.g. "Upplands Väsby"
	County string // two digits, e.g. "01"
}

var load = sync.OnceValue(func() []Municipality {
	rows, err := csv.NewReader(strings.NewReader(kommunerCSV)).ReadAll()
	if err != nil {
		panic("geo: embedded kommuner.csv: " + err.Error())
	}
	out := make([]Municipality, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, Municipality{Code: r[0], Name: r[1], County: r[2]})
	}
	slices.SortFunc(out, func(a, b Municipality) int { return strings.Compare(a.Code, b.Code) })
	return out
})

// Municipalities returns all municipalities sorted by code.
func Municipalities() []Municipality { return slices.Clone(load()) }

// Kommun returns the municipality with the given code.
func Kommun(code string) (Municipality, bool) {
	all := load()
	i, ok := slices.BinarySearchFunc(all, code, func(m Municipality, c string) int { return strings.Compare(m.Code, c) })
	if !ok {
		return Municipality{}, false
	}
	return all[i], true
}
