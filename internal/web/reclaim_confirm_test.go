package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
)

// TestReclaimIsAskedTwice: a reclaim is decided only on the confirmation
// page's second POST; a refused reclaim comes back on the work list with
// each message at its field and what was typed.
func TestReclaimIsAskedTwice(t *testing.T) {
	ctx := context.Background()
	h, _ := newHandler(t, nil)
	a := handlerApp
	actor := func(email, org string, role auth.Role) auth.Actor {
		u, err := a.AddUser(ctx, email, "", org, role, "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	officer, signatory := actor("o@nll.se", "region-25", auth.RecipientOfficer), actor("s@nll.se", "region-25", auth.Signatory)
	payer := auth.Actor{Email: "pay@kk.se", Org: "kammarkollegiet", Role: auth.Payer}
	b := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)
	_, batch := attestedBatch(t, a, officer, signatory, payer, auth.Actor{Email: "attest@kk.se", Org: "kammarkollegiet", Role: auth.Payer})
	if _, err := a.ConfirmBatch(ctx, payer, batch.ID, demoNow); err != nil {
		t.Fatal(err)
	}
	// After the report deadline with no report: flagged for reclaim.
	a.Clock.(*clock.Frozen).Set(time.Date(2024, 4, 15, 10, 0, 0, 0, clock.Stockholm))
	reclaimed := func() int64 {
		st, err := a.RecipientStatus(ctx, payer, "gnv-2023", "region-25")
		if err != nil {
			t.Fatal(err)
		}
		return int64(st.Reclaimed)
	}
	token := b.csrf("/kammarkollegiet?agreement=gnv-2023")
	form := url.Values{"csrf": {token}, "agreement": {"gnv-2023"}, "recipient": {"region-25"}, "amount_kr": {"1 000"}, "reason": {"Ingen redovisning"}}
	rec := b.do("POST", "/aterkrav", form)
	page := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusOK || !strings.Contains(page, "data-confirm-form") || !strings.Contains(page, "Region Norrbotten") || !strings.Contains(page, "1 000 kr") ||
		!strings.Contains(page, `name="confirmed" value="ja"`) {
		t.Fatalf("first POST: %d\n%s", rec.Code, page)
	}
	if n := reclaimed(); n != 0 {
		t.Fatalf("reclaimed %d on the first POST", n)
	}
	form.Set("confirmed", "ja")
	if rec := b.do("POST", "/aterkrav", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirmed: %d %s", rec.Code, rec.Body.String())
	}
	if n := reclaimed(); n != 1000 {
		t.Errorf("reclaimed %d after confirming", n)
	}
	bad := url.Values{"csrf": {token}, "agreement": {"gnv-2023"}, "recipient": {"region-25"}, "amount_kr": {"12,5"}, "reason": {""}}
	rec = b.do("POST", "/aterkrav", bad)
	page = html.UnescapeString(rec.Body.String())
	for _, want := range []string{`id="e-rc-amount_kr"`, `id="e-rc-reason"`, `value="12,5"`, "arbetslista", "Belopp: ", "Skäl: "} {
		if !strings.Contains(page, want) {
			t.Errorf("refused reclaim lacks %q: %d", want, rec.Code)
		}
	}
	if rec.Code != http.StatusUnprocessableEntity || strings.Contains(page, "Det gick inte") || strings.Contains(page, "amount_kr:") {
		t.Errorf("refused reclaim: %d\n%s", rec.Code, page)
	}
}
