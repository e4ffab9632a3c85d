package app

import (
	"context"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// pay walks a recipient's requisition of its whole allocation to paid.
func pay(t *testing.T, a *App, officer, signatory, payer auth.Actor, recipient string) money.Kr {
	t.Helper()
	ctx := context.Background()
	al, _ := a.Allocation("gnv-2023", recipient)
	r, err := a.CreateRequisition(ctx, officer, form(recipient, al.Total()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApproveRequisition(ctx, payer, r.ID); err != nil {
		t.Fatal(err)
	}
	readyToPay(t, a, payer.Org)
	b, err := a.CreateBatch(ctx, payer, "gnv-2023", []string{r.ID})
	if err != nil {
		t.Fatal(err)
	}
	attest(t, a, b.ID)
	if _, err := a.ConfirmBatch(ctx, payer, b.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return al.Total()
}

// reportForm spends the given share (in per cent) of each component.
func reportForm(a *App, recipient string, percent int64) grant.ReportForm {
	al, _ := a.Allocation("gnv-2023", recipient)
	f := grant.ReportForm{Agreement: "gnv-2023", Recipient: recipient, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "010-1"}, AgreementDnr: "S2023/00001", PaymentDecisionDnr: "S2023/00002"}
	for _, c := range al.Components {
		f.Costs = append(f.Costs, grant.CostLine{Item: "Personal " + c.Label, Component: c.ID, Amount: c.Amount * money.Kr(percent) / 100})
	}
	return f
}

func TestGrantLifeAcrossTheReportDeadline(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	payer := addUser(t, a, "p@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	type who struct{ officer, signatory, cfo auth.Actor }
	people := map[string]who{}
	for _, r := range []string{"region-25", "rss-23", "skr"} {
		people[r] = who{addUser(t, a, "o@"+r+".se", r, auth.RecipientOfficer), addUser(t, a, "s@"+r+".se", r, auth.Signatory), addUser(t, a, "c@"+r+".se", r, auth.CFO)}
	}
	paid := map[string]money.Kr{}
	for r, p := range people {
		paid[r] = pay(t, a, p.officer, p.signatory, payer, r)
		checkLedger(t, a)
	}

	clk.Set(time.Date(2024, 3, 20, 10, 0, 0, 0, clock.Stockholm))
	// region-25 spends everything; rss-23 spends 80 % and repays the rest in two parts; skr never reports.
	p := people["region-25"]
	v, err := a.CreateReport(ctx, p.officer, reportForm(a, "region-25", 100))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignReport(ctx, p.signatory, v.ID); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("sign before review: %v", err)
	}
	if _, err := a.ReviewReport(ctx, people["rss-23"].cfo, v.ID, grant.Review{Alternative: 1}); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another organisation's CFO: %v", err)
	}
	if _, err := a.ReviewReport(ctx, p.cfo, v.ID, grant.Review{Alternative: 2, Deviations: "x"}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("alt 2 without actions: %v", err)
	}
	if _, err := a.ReviewReport(ctx, p.cfo, v.ID, grant.Review{Alternative: 1}); err != nil {
		t.Fatal(err)
	}
	if v, err = a.SignReport(ctx, p.signatory, v.ID); err != nil || v.Due != 0 || v.Unspent != 0 {
		t.Fatalf("sign: %v, due %d", err, v.Due)
	}
	checkLedger(t, a)

	p = people["rss-23"]
	bad := reportForm(a, "rss-23", 80)
	bad.Costs[0].Amount = -1
	if _, err := a.CreateReport(ctx, p.officer, bad); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("negative costs: %v", err)
	}
	if v, err = a.CreateReport(ctx, p.officer, reportForm(a, "rss-23", 80)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReviewReport(ctx, p.cfo, v.ID, grant.Review{Alternative: 1}); err != nil {
		t.Fatal(err)
	}
	if v, err = a.SignReport(ctx, p.signatory, v.ID); err != nil {
		t.Fatal(err)
	}
	due := v.Due
	if due <= 0 || due != paid["rss-23"]-v.Costs {
		t.Fatalf("due %d, paid %d, costs %d", due, paid["rss-23"], v.Costs)
	}
	checkLedger(t, a)
	half := due / 2
	rep := func(amount money.Kr) error {
		_, err := a.RecordRepayment(ctx, payer, grant.Repayment{Agreement: "gnv-2023", Recipient: "rss-23", Amount: amount, ReceivedOn: clock.Today(clk.Now()), Reference: "OCR 123"})
		return err
	}
	if err := rep(half); err != nil {
		t.Fatal(err)
	}
	if err := rep(due - half + 1); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("overpayment: %v", err)
	}
	checkLedger(t, a)

	// Nothing is flagged before the deadline has passed, the whole day.
	clk.Set(time.Date(2024, 3, 31, 23, 59, 0, 0, clock.Stockholm))
	m, err := a.Matrix(ctx, payer, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range m {
		if st.Reclaim {
			t.Errorf("%s flagged before the deadline passed", st.Recipient)
		}
	}
	clk.Set(time.Date(2024, 4, 1, 0, 0, 0, 0, clock.Stockholm))
	flags := map[string]bool{}
	m, _ = a.Matrix(ctx, payer, "gnv-2023")
	for _, st := range m {
		if st.Reclaim {
			flags[st.Recipient] = true
		}
		if st.Recipient == "region-01" && (!st.Lapsed || st.Reclaim) {
			t.Errorf("region-01 never requisitioned: lapsed %v, reclaim %v", st.Lapsed, st.Reclaim)
		}
	}
	if len(flags) != 2 || !flags["rss-23"] || !flags["skr"] {
		t.Errorf("flagged = %v, want rss-23 (still owes) and skr (no report)", flags)
	}
	if err := rep(due - half); err != nil {
		t.Fatal(err)
	}
	st, _ := a.RecipientStatus(ctx, payer, "gnv-2023", "rss-23")
	if st.Reclaim || st.Due != 0 || st.Repaid != due || st.Unspent != due {
		t.Errorf("rss-23 after repaying all: %+v", st)
	}
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: "gnv-2023", Recipient: "region-25", Amount: 1, Reason: "x"}); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("reclaim from a recipient not flagged: %v", err)
	}
	if _, err := a.IssueReclaim(ctx, p.signatory, grant.Reclaim{Agreement: "gnv-2023", Recipient: "skr", Amount: 1, Reason: "x"}); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("reclaim by a signatory: %v", err)
	}
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: "gnv-2023", Recipient: "skr", Amount: paid["skr"] + 1, Reason: "Ingen redovisning"}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("reclaim more than paid: %v", err)
	}
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: "gnv-2023", Recipient: "skr", Amount: paid["skr"], Reason: "Ingen redovisning"}); err != nil {
		t.Fatal(err)
	}
	st, _ = a.RecipientStatus(ctx, payer, "gnv-2023", "skr")
	if st.Due != paid["skr"] || st.Reclaimed != paid["skr"] || !st.Reclaim {
		t.Errorf("skr after reclaim: %+v", st)
	}
	checkLedger(t, a)
}
