// Package listing is what every list of the product shares: the filter a
// list's search form asks for (status and a text to look for among the
// recipient's id and name and the document's id), applied to a list's
// items, and a list as a table for its XLSX export.
//
// Who sees which items is the use cases' business; a filter only narrows
// what they return.
package listing

import (
	"strings"
	"unicode"
)

// Filter is what a list's search form asks for. Empty fields ask for
// nothing: the empty filter keeps every item.
type Filter struct {
	// Agreement is the agreement the list is about (the page resolves
	// it; the items the use cases return are already that agreement's).
	Agreement string
	// Status is a status code as the items carry it ("submitted"), or
	// None for items with no document yet.
	Status string
	// Query is text to find in an item's recipient (id or name) or id,
	// without regard to case or repeated spaces.
	Query string
}

// None is the status of an item that has no document yet (a municipality
// that has not reported, a recipient that has not begun).
const None = "none"

// Active reports whether the filter narrows anything.
func (f Filter) Active() bool { return f.Status != "" || normal(f.Query) != "" }

// Match reports whether an item with the status and the texts passes the
// filter: its status is the one asked for (any, when none is), and the
// query, when there is one, is part of one of the texts.
func (f Filter) Match(status string, texts ...string) bool {
	if f.Status != "" && f.Status != status {
		return false
	}
	q := normal(f.Query)
	if q == "" {
		return true
	}
	for _, t := range texts {
		if strings.Contains(normal(t), q) {
			return true
		}
	}
	return false
}

// Keep returns the items that pass the filter, in their order; key gives
// an item's status and the texts to search.
func Keep[T any](f Filter, items []T, key func(T) (status string, texts []string)) []T {
	if !f.Active() {
		return items
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		if st, texts := key(it); f.Match(st, texts...) {
			out = append(out, it)
		}
	}
	return out
}

// normal is text as the filter compares it: lower case, spaces trimmed
// and runs of them made one.
func normal(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

// Option is one choice of a list's status menu: the code and its Swedish
// label.
type Option struct{ Value, Label string }
