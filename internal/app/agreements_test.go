package app

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement/agreementtest"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// The two agreements the tests run side by side: the product's own and
// the test agreement of package agreementtest.
const (
	first  = "gnv-2023"
	second = agreementtest.SecondID
)

// newTwoApp is newTestApp with both agreements.
func newTwoApp(t *testing.T, now time.Time) (*App, *clock.Frozen) {
	t.Helper()
	c := clock.NewFrozen(now)
	a, err := New(context.Background(), storetest.Open(t), agreementtest.Two(t), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}

func stockholm(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, clock.Stockholm)
}

// formFor is a requisition under the agreement, for its year.
func formFor(a *App, agreementID, recipient string, amount money.Kr) grant.Form {
	ag, _ := a.Agreements.Get(agreementID)
	f := form(recipient, amount)
	f.Agreement, f.PeriodFrom, f.PeriodTo = agreementID, ag.PeriodFrom.String(), ag.PeriodTo.String()
	return f
}

// people are one recipient's users.
type people struct{ officer, signatory, cfo auth.Actor }

func recipientPeople(t *testing.T, a *App, r string) people {
	return people{addUser(t, a, "o@"+r+".se", r, auth.RecipientOfficer), addUser(t, a, "s@"+r+".se", r, auth.Signatory), addUser(t, a, "c@"+r+".se", r, auth.CFO)}
}

// payUnder walks a requisition of amount under the agreement to paid,
// today.
func payUnder(t *testing.T, a *App, p people, payer auth.Actor, agreementID, recipient string, amount money.Kr) {
	t.Helper()
	ctx := context.Background()
	r, err := a.CreateRequisition(ctx, p.officer, formFor(a, agreementID, recipient, amount))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, p.signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApproveRequisition(ctx, payer, r.ID); err != nil {
		t.Fatal(err)
	}
	readyToPay(t, a, payer.Org)
	b, err := a.CreateBatch(ctx, payer, agreementID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Requisitions) != 1 || b.Requisitions[0].ID != r.ID {
		t.Fatalf("the batch of %s holds %v, want only %s", agreementID, b.Requisitions, r.ID)
	}
	attest(t, a, b.ID)
	if _, err := a.ConfirmBatch(ctx, payer, b.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// fileReport writes, reviews and signs a report under the agreement with
// the given costs per component.
func fileReport(t *testing.T, a *App, p people, agreementID, recipient string, costs map[string]money.Kr) ReportView {
	t.Helper()
	ctx := context.Background()
	ag, _ := a.Agreements.Get(agreementID)
	f := grant.ReportForm{Agreement: agreementID, Recipient: recipient, PeriodFrom: ag.PeriodFrom.String(), PeriodTo: ag.PeriodTo.String(),
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "010-1"}, AgreementDnr: "S1", PaymentDecisionDnr: "S2"}
	al, _ := a.Allocation(agreementID, recipient)
	for _, c := range al.Components {
		f.Costs = append(f.Costs, grant.CostLine{Item: "Personal " + c.Label, Component: c.ID, Amount: costs[c.ID]})
	}
	v, err := a.CreateReport(ctx, p.officer, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReviewReport(ctx, p.cfo, v.ID, grant.Review{Alternative: 1, Name: "Cecilia", Title: "Ekonomichef", Phone: "010-2", Email: "c@example.se"}); err != nil {
		t.Fatal(err)
	}
	if v, err = a.SignReport(ctx, p.signatory, v.ID); err != nil {
		t.Fatal(err)
	}
	return v
}

// want is a recipient's figures under one agreement, computed by hand.
type want struct {
	allocation, requisitioned, paid, costs, unspent, repaid, reclaimed, due, lapsed money.Kr
	reclaim                                                                         bool
}

func checkStatus(t *testing.T, a *App, reader auth.Actor, agreementID, recipient string, w want) {
	t.Helper()
	st, err := a.RecipientStatus(context.Background(), reader, agreementID, recipient)
	if err != nil {
		t.Fatal(err)
	}
	got := want{st.Allocation, st.Requisitioned, st.Paid, st.Costs, st.Unspent, st.Repaid, st.Reclaimed, st.Due, st.LapsedAmount, st.Reclaim}
	if got != w {
		t.Errorf("%s %s:\n got %+v\nwant %+v", agreementID, recipient, got, w)
	}
}

// checkAccounts compares the ledger's balances of the agreement's
// accounts (every recipient's and the agreement's own) with the hand
// computation; accounts not named must be zero.
func checkAccounts(t *testing.T, a *App, agreementID string, w map[string]money.Kr) {
	t.Helper()
	err := a.db.View(context.Background(), func(tx *store.Tx) error {
		all, err := tx.Balances("")
		if err != nil {
			return err
		}
		for acct, v := range all {
			mine := strings.HasPrefix(acct, ledger.RecipientAccounts(agreementID, "")) || strings.HasSuffix(acct, ":"+agreementID)
			if !mine || v == 0 {
				continue
			}
			if _, named := w[acct]; !named && !strings.HasPrefix(acct, "anslag:") {
				t.Errorf("%s = %s, want 0", acct, v)
			}
		}
		for acct, v := range w {
			if all[acct] != v {
				t.Errorf("%s = %s, want %s", acct, all[acct], v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkNoCrossing checks that every transaction posts only to accounts of
// its own agreement: not one krona crosses between agreements.
func checkNoCrossing(t *testing.T, a *App) {
	t.Helper()
	err := a.db.View(context.Background(), func(tx *store.Tx) error {
		txs, err := tx.LedgerTxs()
		for _, x := range txs {
			for _, p := range x.Postings {
				if !strings.HasPrefix(p.Account, ledger.RecipientAccounts(x.Agreement, "")) && !strings.HasSuffix(p.Account, ":"+x.Agreement) {
					t.Errorf("tx %d (%s, %s) posts %s to %s", x.ID, x.Kind, x.Agreement, p.Amount, p.Account)
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkLedger(t, a)
}

// TestTwoAgreementsSideBySide runs the product's agreement and a second
// one for the same recipients through their whole lives — requisition,
// approval, batch, payment, financial report, repayment, lapse and
// reclaim — and checks every figure of each against a hand computation.
// The second agreement's allocations (agreementtest/data/prov-2024.toml):
// region-01 5 950 000, region-23 3 610 000, region-25 2 440 000; its
// Socialstyrelsen component (4 000 000) is never in Kammarkollegiet's
// ledger. gnv-2023's binding allocations: region-01 1 103 067 686,
// region-23 75 422 690, region-25 128 092 174.
func TestTwoAgreementsSideBySide(t *testing.T) {
	ctx := context.Background()
	a, clk := newTwoApp(t, stockholm(2023, 10, 2))
	payer := addUser(t, a, "p@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	auditor := addUser(t, a, "r@kammarkollegiet.se", "kammarkollegiet", auth.Auditor)
	r01, r23, r25 := recipientPeople(t, a, "region-01"), recipientPeople(t, a, "region-23"), recipientPeople(t, a, "region-25")

	// Both agreements are posted, each to its own accounts.
	checkAccounts(t, a, second, map[string]money.Kr{
		"anslag:" + second:                    -17000000,
		ledger.Allocated(second, "region-01"): 5950000, ledger.Allocated(second, "region-23"): 3610000, ledger.Allocated(second, "region-25"): 2440000,
		ledger.Allocated(second, "rss-01"): 2000000, ledger.Allocated(second, "rss-23"): 1100000, ledger.Allocated(second, "rss-25"): 900000,
		ledger.Allocated(second, "skr"): 1000000,
	})
	al, _ := a.Allocation(second, "region-23")
	for _, c := range al.Components {
		if c.ID == "kompetens" {
			t.Errorf("the component paid by Socialstyrelsen is in Kammarkollegiet's allocation: %+v", c)
		}
	}

	// 2023: gnv-2023 pays region-23 in full and region-01 1 000 000.
	payUnder(t, a, r23, payer, first, "region-23", 75422690)
	payUnder(t, a, r01, payer, first, "region-01", 1000000)
	checkStatus(t, a, auditor, second, "region-23", want{allocation: 3610000})
	checkStatus(t, a, auditor, second, "region-01", want{allocation: 5950000})
	// Money paid under gnv-2023 is no ground for a report under the other.
	if _, err := a.CreateReport(ctx, r01.officer, grant.ReportForm{Agreement: second, Recipient: "region-01", PeriodFrom: "2024-01-01", PeriodTo: "2024-12-31",
		Costs: []grant.CostLine{{Item: "x", Component: "primarvard", Amount: 1}}, Contact: grant.Contact{Name: "A", Email: "a@example.se", Phone: "1"},
		AgreementDnr: "S1", PaymentDecisionDnr: "S2"}); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("report under %s with nothing paid under it: %v", second, err)
	}
	if _, err := a.CreateRequisition(ctx, r23.officer, formFor(a, second, "region-23", 3610001)); fault.CodeOf(err) != fault.OverAllocation {
		t.Errorf("one krona over %s's allocation: %v", second, err)
	}

	// 2024: the second agreement pays region-23 in full and region-01 2 000 000;
	// region-25 signs under gnv-2023 too late and loses that grant only.
	clk.Set(stockholm(2024, 2, 1))
	payUnder(t, a, r23, payer, second, "region-23", 3610000)
	payUnder(t, a, r01, payer, second, "region-01", 2000000)
	late, err := a.CreateRequisition(ctx, r25.officer, formFor(a, first, "region-25", 1000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, r25.signatory, late.ID); fault.CodeOf(err) != fault.DeadlinePassed {
		t.Fatalf("late signature: %v", err)
	}
	checkStatus(t, a, auditor, first, "region-23", want{allocation: 75422690, requisitioned: 75422690, paid: 75422690})
	checkStatus(t, a, auditor, second, "region-23", want{allocation: 3610000, requisitioned: 3610000, paid: 3610000})
	checkStatus(t, a, auditor, first, "region-25", want{allocation: 128092174, lapsed: 128092174})
	checkStatus(t, a, auditor, second, "region-25", want{allocation: 2440000})
	if _, err := a.ResolveAgreement(ctx, "region-23", ""); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("two live agreements, none named: %v", err)
	}

	// March 2024: region-23 reports gnv-2023 with 422 690 unspent.
	clk.Set(stockholm(2024, 3, 20))
	costs := map[string]money.Kr{}
	al23, _ := a.Allocation(first, "region-23")
	for _, c := range al23.Components {
		costs[c.ID] = c.Amount
	}
	costs["nara_vard"] -= 422690
	if v := fileReport(t, a, r23, first, "region-23", costs); v.Paid != 75422690 || v.Due != 422690 {
		t.Errorf("gnv-2023 report: paid %s, due %s", v.Paid, v.Due)
	}
	checkStatus(t, a, auditor, second, "region-23", want{allocation: 3610000, requisitioned: 3610000, paid: 3610000})

	// April 2024: region-01 never reported gnv-2023; it is reclaimed, at
	// most what it was paid under gnv-2023.
	clk.Set(stockholm(2024, 4, 10))
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: first, Recipient: "region-01", Amount: 1000001, Reason: "Ingen redovisning"}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("reclaim of more than gnv-2023 paid: %v", err)
	}
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: second, Recipient: "region-01", Amount: 1, Reason: "x"}); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("reclaim under %s before its deadline: %v", second, err)
	}
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: first, Recipient: "region-01", Amount: 1000000, Reason: "Ingen redovisning"}); err != nil {
		t.Fatal(err)
	}
	checkStatus(t, a, auditor, first, "region-01", want{allocation: 1103067686, requisitioned: 1000000, paid: 1000000, reclaimed: 1000000, due: 1000000, reclaim: true})
	checkStatus(t, a, auditor, second, "region-01", want{allocation: 5950000, requisitioned: 2000000, paid: 2000000})

	// April 2025: region-23 reports the second agreement: 110 000 of the
	// earmarked psykiatri unused. What it still owes under gnv-2023 is no
	// room for a repayment under the second.
	clk.Set(stockholm(2025, 4, 1))
	if v := fileReport(t, a, r23, second, "region-23", map[string]money.Kr{"primarvard": 3000000, "psykiatri": 500000}); v.Paid != 3610000 || v.Due != 110000 {
		t.Errorf("%s report: paid %s, due %s", second, v.Paid, v.Due)
	}
	on := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.RecordRepayment(ctx, payer, grant.Repayment{Agreement: second, Recipient: "region-23", Amount: 110001, ReceivedOn: on, Reference: "x"}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("repayment beyond what is due under %s: %v", second, err)
	}
	for _, p := range []grant.Repayment{
		{Agreement: second, Recipient: "region-23", Amount: 50000, ReceivedOn: on, Reference: "OCR 1"},
		{Agreement: first, Recipient: "region-23", Amount: 422690, ReceivedOn: on, Reference: "OCR 2"},
		{Agreement: first, Recipient: "region-01", Amount: 1000000, ReceivedOn: on, Reference: "OCR 3"},
	} {
		if _, err := a.RecordRepayment(ctx, payer, p); err != nil {
			t.Fatal(err)
		}
	}

	// May 2025: region-01 missed the second agreement's report; reclaimed
	// 500 000 of the 2 000 000 it was paid under it.
	clk.Set(stockholm(2025, 5, 5))
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: second, Recipient: "region-01", Amount: 2000001, Reason: "x"}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("reclaim of more than %s paid: %v", second, err)
	}
	if _, err := a.IssueReclaim(ctx, payer, grant.Reclaim{Agreement: second, Recipient: "region-01", Amount: 500000, Reason: "Ingen redovisning"}); err != nil {
		t.Fatal(err)
	}

	// Every figure, by hand.
	checkStatus(t, a, auditor, first, "region-23", want{allocation: 75422690, requisitioned: 75422690, paid: 75422690, costs: 75000000, unspent: 422690, repaid: 422690})
	checkStatus(t, a, auditor, first, "region-01", want{allocation: 1103067686, requisitioned: 1000000, paid: 1000000, reclaimed: 1000000, repaid: 1000000, reclaim: true})
	checkStatus(t, a, auditor, first, "region-25", want{allocation: 128092174, lapsed: 128092174})
	checkStatus(t, a, auditor, second, "region-23", want{allocation: 3610000, requisitioned: 3610000, paid: 3610000, costs: 3500000, unspent: 110000, repaid: 50000, due: 60000})
	checkStatus(t, a, auditor, second, "region-01", want{allocation: 5950000, requisitioned: 2000000, paid: 2000000, reclaimed: 500000, due: 500000, reclaim: true})
	checkStatus(t, a, auditor, second, "region-25", want{allocation: 2440000})
	checkAccounts(t, a, second, map[string]money.Kr{
		"anslag:" + second: -17000000, "aterbetalt:" + second: 50000,
		ledger.Allocated(second, "region-23"): 0, ledger.Paid(second, "region-23"): 3500000, ledger.Debt(second, "region-23"): 60000,
		ledger.Allocated(second, "region-01"): 3950000, ledger.Paid(second, "region-01"): 1500000, ledger.Debt(second, "region-01"): 500000,
		ledger.Allocated(second, "region-25"): 2440000,
		ledger.Allocated(second, "rss-01"):    2000000, ledger.Allocated(second, "rss-23"): 1100000, ledger.Allocated(second, "rss-25"): 900000,
		ledger.Allocated(second, "skr"): 1000000,
	})
	err = a.db.View(ctx, func(tx *store.Tx) error {
		b, err := tx.Balances("")
		for acct, w := range map[string]money.Kr{
			"aterbetalt:" + first:                    1422690,
			ledger.Paid(first, "region-23"):          75000000,
			ledger.Debt(first, "region-23"):          0,
			ledger.Allocated(first, "region-01"):     1102067686,
			ledger.Paid(first, "region-01"):          0,
			ledger.Debt(first, "region-01"):          0,
			ledger.Allocated(first, "region-25"):     0,
			ledger.Lapsed(first, "region-25"):        128092174,
			ledger.Requisitioned(first, "region-23"): 0,
		} {
			if b[acct] != w {
				t.Errorf("%s = %s, want %s", acct, b[acct], w)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkNoCrossing(t, a)

	// Which agreement a request means when it names none.
	for _, c := range []struct {
		org, want string
	}{
		{"region-23", second},   // gnv-2023 repaid in full after its last deadline
		{"region-01", second},   // gnv-2023 reclaimed and repaid
		{"region-25", second},   // gnv-2023 lapsed, nothing owed
		{"kommun-0180", second}, // takes part in neither: every agreement, the live one
	} {
		got, err := a.ResolveAgreement(ctx, c.org, "")
		if err != nil || got != c.want {
			t.Errorf("%s: agreement %q, %v; want %s", c.org, got, err, c.want)
		}
	}
	if got, err := a.ResolveAgreement(ctx, "region-23", first); got != first || err != nil {
		t.Errorf("named agreement: %q, %v", got, err)
	}
}
