package web

import (
	"net/http"
	"net/url"
	"time"

	"narvard/internal/clock"

	"narvard/internal/listing"
)

// listFilter is a list's search form (a GET form that works without
// JavaScript and keeps what was asked) and what it found: the agreement,
// a status and text to find in the recipient. The filtering itself is
// listing.Filter's, applied by the handler to what the use cases return.
type listFilter struct {
	listing.Filter
	// Action is the list's path; Keep are other query parameters the
	// list needs (an RSS's ?rss=), kept by the form and the links.
	Action string
	Keep   map[string]string
	// Agreements are the agreements to choose among (none: the list is
	// not about one).
	Agreements []agreementLink
	// AnyAgreement: the list spans agreements unless one is chosen.
	AnyAgreement bool
	Statuses     []listing.Option
	// QueryLabel and StatusLabel name the text field ("Mottagare") and
	// the menu ("Status") unless the list says.
	QueryLabel, StatusLabel string
	// Shown and Total count the items shown and those before filtering.
	Shown, Total int
}

// newListFilter reads the filter of the list at path (the page's, also
// when the export asks) from the query: ?status=&q= and the agreement the
// page resolved.
func newListFilter(path string, r *http.Request, agreementID string, agreements []agreementLink, statuses []listing.Option) listFilter {
	q := r.URL.Query()
	f := listFilter{Filter: listing.Filter{Agreement: agreementID, Status: q.Get("status"), Query: q.Get("q")},
		Action: path, Agreements: agreements, Statuses: statuses, QueryLabel: "Mottagare", StatusLabel: "Status"}
	if !f.knownStatus() {
		f.Status = ""
	}
	return f
}

// knownStatus reports whether the status asked for is one of the menu's
// (an unknown one is ignored rather than hiding everything).
func (f listFilter) knownStatus() bool {
	for _, o := range f.Statuses {
		if o.Value == f.Status {
			return true
		}
	}
	return false
}

// counted records how many items the filter kept of how many.
func (f *listFilter) counted(shown, total int) { f.Shown, f.Total = shown, total }

func (f listFilter) query(withFilter bool) url.Values {
	v := url.Values{}
	for k, x := range f.Keep {
		v.Set(k, x)
	}
	if f.Agreement != "" {
		v.Set("agreement", f.Agreement)
	}
	if withFilter && f.Status != "" {
		v.Set("status", f.Status)
	}
	if withFilter && f.Query != "" {
		v.Set("q", f.Query)
	}
	return v
}

func href(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// XLSX is the list's export with the same filter.
func (f listFilter) XLSX() string { return href(f.Action+".xlsx", f.query(true)) }

// Clear is the list without the filter.
func (f listFilter) Clear() string { return href(f.Action, f.query(false)) }

// statusOptions are a menu of statuses, each with its Swedish name.
func statusOptions[S interface {
	~string
	Swedish() string
}](statuses ...S) []listing.Option {
	out := make([]listing.Option, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, listing.Option{Value: string(s), Label: s.Swedish()})
	}
	return out
}

// dateText is a date as the exports write it (text, 2023-12-01, in
// Stockholm), or an empty cell.
func dateText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.In(clock.Stockholm).Format(time.DateOnly)
}

// sendXLSX answers with the list's workbook.
func (s *server) sendXLSX(w http.ResponseWriter, r *http.Request, name string, t listing.Table) {
	b, err := t.XLSX()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	attach(w, xlsxType, name, b)
}

// allAgreements are every agreement as a choice of a list that spans
// them, the one asked for current.
func (s *server) allAgreements(current string) []agreementLink {
	var out []agreementLink
	for _, ag := range s.agreements.All() {
		out = append(out, agreementLink{ID: ag.ID, Name: ag.Name, Current: ag.ID == current})
	}
	return out
}
