package app

import (
	"context"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/fault"
)

// TestHistory: a requisition's history holds every change, oldest first,
// with the actor's name and organisation and a rejection's reason; it is
// read only by those who may read the requisition.
func TestHistory(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "o@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "s@nll.se", "region-25", auth.Signatory)
	payer := addUser(t, a, "p@kk.se", "kammarkollegiet", auth.Payer)
	other := addUser(t, a, "o@vll.se", "region-24", auth.RecipientOfficer)
	r, err := a.CreateRequisition(ctx, officer, form("region-25", 1000))
	if err == nil {
		_, err = a.SignRequisition(ctx, signatory, r.ID)
	}
	if err == nil {
		_, err = a.RejectRequisition(ctx, payer, r.ID, "Fel diarienummer")
	}
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.History(ctx, officer, "requisition:"+r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ action, name, org, why string }{
		{"requisition.create", "Namn o@nll.se", "Region Norrbotten", ""},
		{"requisition.sign", "Namn s@nll.se", "Region Norrbotten", ""},
		{"requisition.reject", "Namn p@kk.se", "Kammarkollegiet", "Fel diarienummer"},
	}
	if len(h) != len(want) {
		t.Fatalf("history %+v", h)
	}
	for i, w := range want {
		if g := h[i]; g.Action != w.action || g.Name != w.name || g.Org != w.org || g.Why != w.why || g.At.IsZero() {
			t.Errorf("entry %d: %+v, want %+v", i, g, w)
		}
	}
	tests := []struct {
		name   string
		actor  auth.Actor
		object string
		code   fault.Code
	}{
		{"another region's", other, "requisition:" + r.ID, fault.Forbidden},
		{"an unknown requisition", officer, "requisition:R-FINNSINTE", fault.NotFound},
		{"an unknown kind", officer, "okänd:" + r.ID, fault.NotFound},
	}
	for _, tc := range tests {
		if _, err := a.History(ctx, tc.actor, tc.object); fault.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}
