package app

import (
	"bytes"
	"context"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/org"
)

// Files go with an activity report as with a financial report: by those
// who may write it, while a draft or returned, typed by their content,
// read by those who may read it.
func TestActivityAttachments(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	cfo := addUser(t, a, "cfo@nll.se", "region-25", auth.CFO)
	other := addUser(t, a, "officer@vll.se", "region-24", auth.RecipientOfficer)
	sos := addUser(t, a, "uppf@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)
	rep, err := a.CreateActivityReport(ctx, officer, "gnv-2023-verksamhetsrapport", "region-25", nil)
	if err != nil {
		t.Fatal(err)
	}
	csv := []byte("insats;kostnad\nHälsocentral;1000\n")
	if _, err := a.AttachToActivityReport(ctx, other, rep.ID, "k.csv", csv); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("another region attaches: %v", err)
	}
	if _, err := a.AttachToActivityReport(ctx, cfo, rep.ID, "k.csv", csv); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("the CFO attaches: %v", err)
	}
	if _, err := a.AttachToActivityReport(ctx, officer, rep.ID, "k.pdf", elfProgram); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("a program: %v", err)
	}
	if _, err := a.AttachToActivityReport(ctx, officer, rep.ID, "insatser.csv", csv); err != nil {
		t.Fatal(err)
	}
	list, err := a.ActivityAttachments(ctx, sos, rep.ID)
	if err != nil || len(list) != 1 || list[0].Name != "insatser.csv" || list[0].OwnerKind != "activity_report" {
		t.Errorf("Socialstyrelsen lists %+v, %v", list, err)
	}
	if _, content, err := a.ActivityFile(ctx, sos, rep.ID, 1); err != nil || !bytes.Equal(content, csv) {
		t.Errorf("Socialstyrelsen downloads: %v", err)
	}
	if _, _, err := a.ActivityFile(ctx, other, rep.ID, 1); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("another region downloads: %v", err)
	}
}
