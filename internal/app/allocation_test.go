package app

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"narvard/internal/audit"

	"narvard/internal/agreement"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestFreshLedgerHoldsTheBindingAmounts: a new database gets the signed
// annexes' amounts, per component, and starts again without complaint.
func TestFreshLedgerHoldsTheBindingAmounts(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	c := clock.NewFrozen(time.Date(2023, 11, 15, 9, 0, 0, 0, time.UTC))
	for range 2 {
		if _, err := New(ctx, s, agreement.Builtin(), c, quiet); err != nil {
			t.Fatal(err)
		}
	}
	checkAllocated(t, s, map[string]money.Kr{"region-01": 1103067686, "region-23": 75422690, "rss-23": 14188196, "skr": 51500000})
	err := s.View(ctx, func(tx *store.Tx) error {
		totals, err := tx.RefTotals("gnv-2023", ledger.KindAllocation)
		for _, r := range totals {
			if r.Recipient == "region-01" && r.Ref == "nara_vard" && r.Account == ledger.Allocated("gnv-2023", "region-01") && r.Amount != 491776817 {
				t.Errorf("region-01 nara_vard posted %d", r.Amount)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDepartingLedgerRefusesToStartUntilCorrected: a database posted
// before the annexes bound holds the computed amounts, one sum per
// recipient. The server refuses to start, naming recipient, component and
// both amounts; after the admin's correction it starts, and the balances
// are the annexes' amounts.
func TestDepartingLedgerRefusesToStartUntilCorrected(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	c := clock.NewFrozen(time.Date(2023, 11, 15, 9, 0, 0, 0, time.UTC))
	ag, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	all, err := grant.Allocations(ag)
	if err != nil {
		t.Fatal(err)
	}
	// As the product posted it before: the computed total, referenced by
	// the agreement's id.
	err = s.Update(ctx, func(tx *store.Tx) error {
		for _, id := range sortedKeys(all) {
			if _, err := tx.Post(ledger.Move(ledger.KindAllocation, ag.ID, id, ag.ID, c.Now(),
				ledger.Appropriation(ag.ID), ledger.Allocated(ag.ID, id), all[id].ComputedTotal())); err != nil {
				return err
			}
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "test", Org: "narvard", Action: "test.write", Object: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(ctx, s, agreement.Builtin(), c, quiet)
	if !IsAllocationDeparture(err) {
		t.Fatalf("New = %v, want a refusal", err)
	}
	for _, want := range []string{
		"servern startar inte",
		"narvard allocation correct --agreement gnv-2023",
		"region-01, Nära vård (nara_vard): bokfört 491 697 353 kr, bindande enligt överenskommelsen 491 776 817 kr (skillnad 79 464 kr)",
		"region-01, Karriärtjänster (karriartjanster): bokfört 23 178 537 kr, bindande enligt överenskommelsen 23 178 536 kr (skillnad -1 kr)",
		"region-23, Nära vård (nara_vard): bokfört 41 218 451 kr, bindande enligt överenskommelsen 41 247 254 kr",
		"rss-23, Vårdens medarbetare (vardens_medarbetare): bokfört 2 702 514 kr, bindande enligt överenskommelsen 2 702 513 kr",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "skr,") || strings.Contains(err.Error(), "region-01, Vårdens medarbetare") {
		t.Errorf("refusal names what does not depart:\n%v", err)
	}

	if _, err := CorrectAllocation(ctx, s, agreement.Builtin(), c, "gnv-2023", "  ", "ops"); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("correction without a reason: %v", err)
	}
	done, err := CorrectAllocation(ctx, s, agreement.Builtin(), c, "gnv-2023", "Bilaga 2 och 3 är bindande (issue 11)", "ops")
	if err != nil {
		t.Fatal(err)
	}
	var sum money.Kr
	for _, d := range done {
		sum += d.Correction()
	}
	if len(done) == 0 || sum != 0 { // the annexes' columns sum to the components' amounts
		t.Errorf("corrections: %d, summing to %d", len(done), sum)
	}
	a, err := New(ctx, s, agreement.Builtin(), c, quiet)
	if err != nil {
		t.Fatalf("after the correction: %v", err)
	}
	checkAllocated(t, s, map[string]money.Kr{"region-01": 1103067686, "region-23": 75422690, "rss-23": 14188196, "rss-01": 152730325, "skr": 51500000})
	checkLedger(t, a)
	st, err := a.Matrix(ctx, addUser(t, a, "analys@skr.se", "skr", "analyst"), "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range st {
		if want := all[x.Recipient].Total(); x.Allocation != want || x.Computed != all[x.Recipient].ComputedTotal() || x.Departure != want-x.Computed {
			t.Errorf("%s: status allocation %d computed %d departure %d, want %d", x.Recipient, x.Allocation, x.Computed, x.Departure, want)
		}
	}
	err = s.View(ctx, func(tx *store.Tx) error {
		log, err := tx.AuditLog(0, true)
		if err != nil {
			return err
		}
		for _, e := range log {
			if e.Action == "allocation.correct" {
				for _, want := range []string{`"reason":"Bilaga 2 och 3 är bindande (issue 11)"`, `"operator":"ops"`,
					`"binding_kr":491776817,"component":"nara_vard","correction_kr":79464,"posted_kr":491697353,"recipient":"region-01"`} {
					if !strings.Contains(e.Detail, want) {
						t.Errorf("audit detail lacks %s: %s", want, e.Detail)
					}
				}
				return nil
			}
		}
		t.Error("no allocation.correct in the audit log")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if again, err := CorrectAllocation(ctx, s, agreement.Builtin(), c, "gnv-2023", "igen", "ops"); err != nil || len(again) != 0 {
		t.Errorf("second correction: %v, %v", again, err)
	}
}

// TestDepartureOfOneComponentAndOfAWholeSum: a ledger posted per component
// names the one component that departs; a sum whose components cannot be
// told apart is named as the whole allocation. Both start after the
// correction.
func TestDepartureOfOneComponentAndOfAWholeSum(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	c := clock.NewFrozen(time.Date(2023, 11, 15, 9, 0, 0, 0, time.UTC))
	ag, _ := agreement.Builtin().Get("gnv-2023")
	all, err := grant.Allocations(ag)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		for _, id := range sortedKeys(all) {
			if id == "region-25" { // one sum, neither binding nor computed
				if _, err := tx.Post(ledger.Move(ledger.KindAllocation, ag.ID, id, ag.ID, c.Now(),
					ledger.Appropriation(ag.ID), ledger.Allocated(ag.ID, id), all[id].Total()-5)); err != nil {
					return err
				}
				continue
			}
			for _, comp := range all[id].Components {
				amount := comp.Amount
				if id == "region-23" && comp.ID == "ambulans" {
					amount -= 1000
				}
				if _, err := tx.Post(ledger.Move(ledger.KindAllocation, ag.ID, id, comp.ID, c.Now(),
					ledger.Appropriation(ag.ID), ledger.Allocated(ag.ID, id), amount)); err != nil {
					return err
				}
			}
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "test", Org: "narvard", Action: "test.write", Object: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(ctx, s, agreement.Builtin(), c, quiet)
	if !IsAllocationDeparture(err) {
		t.Fatalf("New = %v, want a refusal", err)
	}
	msg := err.Error()
	for _, want := range []string{"i 2 fall",
		"region-23, Ambulans (ambulans): bokfört 1 437 690 kr, bindande enligt överenskommelsen 1 438 690 kr (skillnad 1 000 kr)",
		"region-25, hela tilldelningen (bokförd som en summa): bokfört 128 092 169 kr, bindande enligt överenskommelsen 128 092 174 kr (skillnad 5 kr)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal lacks %q:\n%s", want, msg)
		}
	}
	if _, err := CorrectAllocation(ctx, s, agreement.Builtin(), c, "gnv-2023", "Rättat efter bilaga 3", "ops"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, s, agreement.Builtin(), c, quiet); err != nil {
		t.Fatalf("after the correction: %v", err)
	}
	checkAllocated(t, s, map[string]money.Kr{"region-23": 75422690, "region-25": 128092174})
}

func checkAllocated(t *testing.T, s *store.Store, want map[string]money.Kr) {
	t.Helper()
	err := s.View(context.Background(), func(tx *store.Tx) error {
		for id, w := range want {
			b, err := tx.Balances(ledger.Allocated("gnv-2023", id))
			if err != nil {
				return err
			}
			if got := b[ledger.Allocated("gnv-2023", id)]; got != w {
				t.Errorf("%s allocated %d, want %d", id, got, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
