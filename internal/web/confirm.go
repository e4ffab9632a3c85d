package web

import (
	"net/http"
	"slices"

	"narvard/internal/grant"
)

// An irreversible action (signing a requisition or a report, approving
// one, confirming a payment, issuing a reclaim) is done on the second POST
// only: the first renders a page that restates what will happen, the
// amount and the recipient, with a form that posts the same fields again
// with confirmed=ja. It needs no JavaScript.

// confirmView is the page that asks again before an irreversible action.
type confirmView struct {
	Heading string
	// What says what will happen, in a sentence.
	What string
	// Lines are the facts restated: recipient, amount, date.
	Lines []confirmLine
	// Alt2 is the CFO's review when it says the report is not correct.
	Alt2 *grant.Review
	// Action is the address the form posts to; Fields what it posts
	// again beside confirmed=ja and the CSRF token.
	Action string
	Fields []confirmLine
	Button string
	// Back is where "Avbryt" leads.
	Back string
}

// confirmLine is one restated fact, or one field posted again.
type confirmLine struct{ Label, Value string }

// confirmed reports whether the user has confirmed the action on its
// confirmation page.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirmed") == "ja" }

// askConfirm renders the confirmation page for the POST being handled,
// carrying its form's fields (but the token and the confirmation) again.
func (s *server) askConfirm(w http.ResponseWriter, r *http.Request, v confirmView) {
	v.Action = r.URL.Path
	if r.URL.RawQuery != "" {
		v.Action += "?" + r.URL.RawQuery
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range r.PostForm {
			if !yield(k) {
				return
			}
		}
	}) {
		if k == "csrf" || k == "confirmed" {
			continue
		}
		for _, val := range r.PostForm[k] {
			v.Fields = append(v.Fields, confirmLine{Label: k, Value: val})
		}
	}
	s.render(w, r, http.StatusOK, "confirm.html", v.Heading, v)
}
