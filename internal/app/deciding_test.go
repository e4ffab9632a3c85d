package app

import (
	"context"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
)

// TestOnlyThePayingAgencyDecides: a payer of Socialstyrelsen, which pays
// VFU, decides nothing of what Kammarkollegiet pays a region (its
// requisition, its financial report, a repayment, a reclaim); the payers
// of Kammarkollegiet do.
func TestOnlyThePayingAgencyDecides(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	cfo := addUser(t, a, "cfo@nll.se", "region-25", auth.CFO)
	kk := addUser(t, a, "pay@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer)
	sos := addUser(t, a, "pay@socialstyrelsen.se", org.Socialstyrelsen, auth.Payer)
	forbidden := func(what string, err error) {
		t.Helper()
		if fault.CodeOf(err) != fault.Forbidden {
			t.Errorf("Socialstyrelsen's payer: %s: %v, want forbidden", what, err)
		}
	}
	officer24, signatory24 := addUser(t, a, "officer@vll.se", "region-24", auth.RecipientOfficer), addUser(t, a, "sign@vll.se", "region-24", auth.Signatory)
	r, err := a.CreateRequisition(ctx, officer24, form("region-24", 1000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, signatory24, r.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.ApproveRequisition(ctx, sos, r.ID)
	forbidden("approve", err)
	_, err = a.RejectRequisition(ctx, sos, r.ID, "Fel")
	forbidden("reject", err)
	if r, err = a.ApproveRequisition(ctx, kk, r.ID); err != nil || r.Status != grant.Approved {
		t.Fatalf("Kammarkollegiet's payer approving: %v", err)
	}
	pay(t, a, officer, signatory, kk, "region-25")
	rep := fileReportWithDue(t, a, officer, cfo, signatory, "region-25", 100)
	_, err = a.AcceptReport(ctx, sos, rep.ID)
	forbidden("accept a report", err)
	_, err = a.ReturnReport(ctx, sos, rep.ID, "Fel")
	forbidden("return a report", err)
	_, err = a.RecordRepayment(ctx, sos, grant.Repayment{Agreement: "gnv-2023", Recipient: "region-25", Amount: 100,
		ReceivedOn: time.Date(2023, 11, 14, 0, 0, 0, 0, time.UTC), Reference: "X"})
	forbidden("record a repayment", err)
	_, err = a.IssueReclaim(ctx, sos, grant.Reclaim{Agreement: "gnv-2023", Recipient: "region-25", Amount: 100, Reason: "Fel"})
	forbidden("issue a reclaim", err)
	if _, err := a.RecordRepayment(ctx, kk, grant.Repayment{Agreement: "gnv-2023", Recipient: "region-25", Amount: 100,
		ReceivedOn: time.Date(2023, 11, 14, 0, 0, 0, 0, time.UTC), Reference: "X"}); err != nil {
		t.Errorf("Kammarkollegiet's payer recording a repayment: %v", err)
	}
	if _, err := a.AcceptReport(ctx, kk, rep.ID); err != nil {
		t.Errorf("Kammarkollegiet's payer accepting the report: %v", err)
	}
	if !a.MayDecide(kk, "gnv-2023", "region-25") || a.MayDecide(sos, "gnv-2023", "region-25") {
		t.Error("MayDecide does not follow the paying agency")
	}
}
