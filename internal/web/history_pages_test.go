package web

import (
	"strings"
	"testing"
)

// hasHistory fails unless the page shows the history (templates/
// history.tmpl) with a row for each action, in that order.
func hasHistory(t *testing.T, what, page string, actions ...string) {
	t.Helper()
	if !strings.Contains(page, `<h2 id="historik">Historik</h2>`) || !strings.Contains(page, "data-history") {
		t.Errorf("%s shows no history", what)
		return
	}
	at := 0
	for _, a := range actions {
		i := strings.Index(page[at:], `data-action="`+a+`"`)
		if i < 0 {
			t.Errorf("%s: the history lacks %s after the rows before it:\n%s", what, a, page[strings.Index(page, "data-history"):])
			return
		}
		at += i + 1
	}
}
