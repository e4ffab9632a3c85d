// Package geo knows Sweden's 21 counties (län) with their regions, by
// two-digit codes, and its 290 municipalities (kommuner) by their
// four-digit codes, whose first two digits are the county's. Both lists are
// embedded data files, written once: lan.csv and kommuner.csv.
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

//go:embed lan.csv
var lanCSV string

// County is one of Sweden's counties and the region that serves it.
type County struct {
	Code   string // two digits, e.g. "01"
	Name   string // e.g. "Stockholms län"
	Region string // e.g. "Region Stockholm"
}

var loadCounties = sync.OnceValue(func() []County {
	rows, err := csv.NewReader(strings.NewReader(lanCSV)).ReadAll()
	if err != nil {
		panic("geo: embedded lan.csv: " + err.Error())
	}
	out := make([]County, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, County{Code: r[0], Name: r[1], Region: r[2]})
	}
	slices.SortFunc(out, func(a, b County) int { return strings.Compare(a.Code, b.Code) })
	return out
})

// Counties returns all counties sorted by code.
func Counties() []County { return slices.Clone(loadCounties()) }

// CountyByCode returns the county with the given code.
func CountyByCode(code string) (County, bool) {
	all := loadCounties()
	i, ok := slices.BinarySearchFunc(all, code, func(c County, code string) int { return strings.Compare(c.Code, code) })
	if !ok {
		return County{}, false
	}
	return all[i], true
}

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

// CountyCodes returns the counties' two-digit codes, sorted.
func CountyCodes() []string {
	var out []string
	for _, c := range loadCounties() {
		out = append(out, c.Code)
	}
	return out
}
