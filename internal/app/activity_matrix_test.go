package app

import (
	"context"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/org"
)

// The national matrix says where each recipient is with its activity
// report: not started, or its report's status.
func TestMatrixShowsActivityReports(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	if _, err := a.CreateActivityReport(ctx, officer, "gnv-2023-verksamhetsrapport", "region-25", nil); err != nil {
		t.Fatal(err)
	}
	rows, err := a.Matrix(ctx, auth.Actor{Org: org.Socialstyrelsen, Role: auth.FollowUp}, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"region-25": "utkast", "region-24": "ej påbörjad", "rss-25": "ej påbörjad"}
	for _, st := range rows {
		if w, ok := want[st.Recipient]; ok && st.ActivityText() != w {
			t.Errorf("%s: %q, want %q (%+v)", st.Recipient, st.ActivityText(), w, st.Activity)
		}
	}
}
