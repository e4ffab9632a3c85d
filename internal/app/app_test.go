package app

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// newTestApp opens a real database (SQLite, or PostgreSQL in storetest's
// second pass) with the clock frozen at the given time.
func newTestApp(t *testing.T, now string) (*App, *clock.Frozen) {
	t.Helper()
	s := storetest.Open(t)
	at, err := time.Parse(time.RFC3339, now)
	if err != nil {
		t.Fatal(err)
	}
	c := clock.NewFrozen(at)
	a, err := New(context.Background(), s, agreement.Builtin(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}

func addUser(t *testing.T, a *App, email, orgID string, role auth.Role) auth.Actor {
	t.Helper()
	u, err := a.AddUser(context.Background(), email, "Namn "+email, orgID, role, "ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

func form(recipient string, amount money.Kr) grant.Form {
	return grant.Form{Agreement: "gnv-2023", Recipient: recipient, Amount: amount, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/00001", PaymentDecisionDnr: "S2023/00002"}
}

// checkLedger asserts the invariants after every step: the ledger sums to
// zero and nobody is paid more than allocated.
func checkLedger(t *testing.T, a *App) {
	t.Helper()
	ctx := context.Background()
	err := a.db.View(ctx, func(tx *store.Tx) error {
		txs, err := tx.LedgerTxs()
		if err != nil {
			return err
		}
		for _, x := range txs {
			if err := x.Check(); err != nil {
				t.Errorf("tx %d: %v", x.ID, err)
			}
		}
		all, err := tx.Balances("")
		if err != nil {
			return err
		}
		var sum money.Kr
		for _, v := range all {
			sum += v
		}
		if sum != 0 {
			t.Errorf("ledger sums to %d", sum)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	payer := auth.Actor{Org: "kammarkollegiet", Role: auth.Payer}
	m, err := a.Matrix(ctx, payer, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range m {
		if st.Paid > st.Allocation || st.Requisitioned > st.Allocation {
			t.Errorf("%s: paid %d, requisitioned %d, allocation %d", st.Recipient, st.Paid, st.Requisitioned, st.Allocation)
		}
	}
}

func TestRequisitionToPayment(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	payer := addUser(t, a, "pay@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	other := addUser(t, a, "officer@regionvasterbotten.se", "region-24", auth.RecipientOfficer)
	analyst := addUser(t, a, "analys@skr.se", "skr", auth.Analyst)
	checkLedger(t, a)

	al, _ := a.Allocation("gnv-2023", "region-25")
	if _, err := a.CreateRequisition(ctx, other, form("region-25", 100)); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("other region's officer: %v", err)
	}
	if _, err := a.CreateRequisition(ctx, analyst, form("region-25", 100)); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("analyst writing: %v", err)
	}
	if _, err := a.CreateRequisition(ctx, officer, form("region-25", al.Total()+1)); fault.CodeOf(err) != fault.OverAllocation {
		t.Errorf("over allocation: %v", err)
	}
	bad := form("region-25", 100)
	bad.Account.Number = "5050-1056"
	if _, err := a.CreateRequisition(ctx, officer, bad); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("bad bankgiro: %v", err)
	}
	r, err := a.CreateRequisition(ctx, officer, form("region-25", al.Total()))
	if err != nil || r.Status != grant.Draft {
		t.Fatalf("create: %v", err)
	}
	if _, err := a.CreateRequisition(ctx, officer, form("region-25", 5)); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("second live requisition: %v", err)
	}
	if _, err := a.SignRequisition(ctx, officer, r.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("officer signing: %v", err)
	}
	if _, err := a.Requisition(ctx, other, r.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("other region reading: %v", err)
	}
	if r, err = a.SignRequisition(ctx, signatory, r.ID); err != nil || r.Status != grant.Submitted {
		t.Fatalf("sign: %v", err)
	}
	checkLedger(t, a)
	if _, err := a.ApproveRequisition(ctx, signatory, r.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("signatory approving: %v", err)
	}
	if r, err = a.ApproveRequisition(ctx, payer, r.ID); err != nil || r.Status != grant.Approved {
		t.Fatalf("approve: %v", err)
	}
	readyToPay(t, a, "kammarkollegiet")
	b, err := a.CreateBatch(ctx, payer, "gnv-2023", nil)
	if err != nil || len(b.Requisitions) != 1 {
		t.Fatalf("batch: %v", err)
	}
	attest(t, a, b.ID)
	file, err := a.PaymentFile(ctx, payer, b.ID)
	if err != nil || len(file) == 0 {
		t.Fatalf("pain.001: %v", err)
	}
	if _, err := a.ConfirmBatch(ctx, payer, b.ID, time.Time{}); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if _, err := a.ConfirmBatch(ctx, payer, b.ID, time.Time{}); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("confirm twice: %v", err)
	}
	checkLedger(t, a)
	st, err := a.RecipientStatus(ctx, officer, "gnv-2023", "region-25")
	if err != nil {
		t.Fatal(err)
	}
	if st.Paid != al.Total() || st.Requisitioned != al.Total() || st.Allocation != al.Total() || st.Requisition.Status != grant.Paid {
		t.Errorf("status = %+v", st)
	}
	if st.Next == nil || st.Next.ID != "financial_report" {
		t.Errorf("next deadline = %+v", st.Next)
	}
	if _, err := a.RecipientStatus(ctx, other, "gnv-2023", "region-25"); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("other region's status: %v", err)
	}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		n, b, err := tx.VerifyAudit()
		if err != nil || b != nil || n < 8 {
			t.Errorf("audit: %d entries, break %v, err %v", n, b, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSigningAfterDeadlineLapses(t *testing.T) {
	ctx := context.Background()
	a, c := newTestApp(t, "2023-12-01T23:59:00+01:00")
	officer := addUser(t, a, "o@rss.se", "rss-23", auth.RecipientOfficer)
	signatory := addUser(t, a, "s@rss.se", "rss-23", auth.Signatory)
	r, err := a.CreateRequisition(ctx, officer, form("rss-23", 1000))
	if err != nil {
		t.Fatal(err)
	}
	c.Set(time.Date(2023, 12, 2, 0, 0, 0, 0, clock.Stockholm))
	if _, err := a.SignRequisition(ctx, signatory, r.ID); fault.CodeOf(err) != fault.DeadlinePassed {
		t.Fatalf("sign on 2 December: %v", err)
	}
	got, err := a.Requisition(ctx, officer, r.ID)
	if err != nil || got.Status != grant.Draft {
		t.Errorf("refused sign changed the requisition: %v %v", got.Status, err)
	}
	st, err := a.RecipientStatus(ctx, officer, "gnv-2023", "rss-23")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Lapsed || st.LapsedAmount != st.Allocation {
		t.Errorf("status after lapse = %+v", st)
	}
	checkLedger(t, a)
}

func TestRejectCorrectResign(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	signatory := addUser(t, a, "s@skr.se", "skr", auth.Signatory)
	payer := addUser(t, a, "p@kammarkollegiet.se", "kammarkollegiet", auth.Payer)
	r, err := a.CreateRequisition(ctx, signatory, form("skr", 51500000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignRequisition(ctx, signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RejectRequisition(ctx, payer, r.ID, "Fel diarienummer"); err != nil {
		t.Fatal(err)
	}
	checkLedger(t, a)
	f := form("skr", 51000000)
	if r, err = a.UpdateRequisition(ctx, signatory, r.ID, f); err != nil || r.Status != grant.Draft || r.Amount != 51000000 {
		t.Fatalf("correct: %v %+v", err, r)
	}
	if r, err = a.SignRequisition(ctx, signatory, r.ID); err != nil || r.Status != grant.Submitted {
		t.Fatalf("re-sign: %v", err)
	}
	st, _ := a.RecipientStatus(ctx, signatory, "gnv-2023", "skr")
	if st.Requisitioned != 51000000 {
		t.Errorf("requisitioned = %d", st.Requisitioned)
	}
	checkLedger(t, a)
}

func TestAuthenticateThrottles(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	timer := clock.NewFrozen(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC))
	a.Timer = timer
	addUser(t, a, "x@nll.se", "region-25", auth.RecipientOfficer)
	const attacker, owner = "192.0.2.66", "198.51.100.7"
	if _, err := a.Authenticate(ctx, "X@nll.se", "ett långt lösenord", owner); err != nil {
		t.Fatalf("right password: %v", err)
	}
	for range auth.PairFree {
		if _, err := a.Authenticate(ctx, "x@nll.se", "fel", attacker); fault.CodeOf(err) != fault.Unauthenticated {
			t.Fatalf("wrong password: %v", err)
		}
	}
	// 50 parallel guesses, the right password among them: none gets in.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var codes []fault.Code
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			password := "fel gissning " + strconv.Itoa(i)
			if i == 25 {
				password = "ett långt lösenord"
			}
			_, err := a.Authenticate(ctx, "x@nll.se", password, attacker)
			mu.Lock()
			codes = append(codes, fault.CodeOf(err))
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, c := range codes {
		if c != fault.TooMany {
			t.Errorf("a guess after the limit: %q, want too_many_requests", c)
		}
	}
	// The owner signs in from its own address meanwhile.
	if _, err := a.Authenticate(ctx, "x@nll.se", "ett långt lösenord", owner); err != nil {
		t.Errorf("the owner from another address: %v", err)
	}
	// The business clock stands still, the security clock does not: the
	// delay lifts.
	timer.Set(timer.Now().Add(auth.MaxDelay + time.Second))
	if _, err := a.Authenticate(ctx, "x@nll.se", "ett långt lösenord", attacker); err != nil {
		t.Errorf("after the delay: %v", err)
	}
	// A 2 MiB e-mail is refused without being counted.
	if _, err := a.Authenticate(ctx, strings.Repeat("x", 2<<20)+"@nll.se", "fel", attacker); fault.CodeOf(err) != fault.Unauthenticated {
		t.Errorf("a huge e-mail: %v", err)
	}
}
