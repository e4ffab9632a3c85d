package main

import (
	"context"
	"log/slog"
	"narvard/internal/audit"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/store"
)

// TestServeRefusesADepartingLedgerUntilCorrected: a data directory from
// before the annexes bound holds the computed allocations. serve refuses
// to start and says why and what to do; allocation correct records the
// change with its reason; then the app starts and the audit chain holds.
func TestServeRefusesADepartingLedgerUntilCorrected(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	ag, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	all, err := grant.Allocations(ag)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		for id, al := range all {
			if _, err := tx.Post(ledger.Move(ledger.KindAllocation, ag.ID, id, ag.ID, time.Now(),
				ledger.Appropriation(ag.ID), ledger.Allocated(ag.ID, id), al.ComputedTotal())); err != nil {
				return err
			}
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "test", Org: "narvard", Action: "test.write", Object: "test"})
		return err
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, _, stderr := runCLI(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	for _, want := range []string{"servern startar inte", "narvard allocation correct --agreement gnv-2023",
		"region-01, Nära vård (nara_vard): bokfört 491 697 353 kr, bindande enligt överenskommelsen 491 776 817 kr"} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("serve: exit %d, stderr lacks %q:\n%s", code, want, stderr)
		}
	}
	for _, args := range [][]string{
		{"allocation"},
		{"allocation", "correct", "--data", dir, "--agreement", "gnv-2023"},
		{"allocation", "correct", "--data", dir, "--reason", "x"},
	} {
		if code, out, errOut := runCLI(t, args...); code != 2 || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	code, out, errOut := runCLI(t, "allocation", "correct", "--data", dir, "--agreement", "gnv-2023", "--reason", "Bilaga 2 och 3 är bindande")
	if code != 0 || !strings.Contains(out, "Rättat: region-01, Nära vård (nara_vard)") || !strings.Contains(out, "rättelser bokförda för gnv-2023") {
		t.Fatalf("correct: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "allocation", "correct", "--data", dir, "--agreement", "gnv-2023", "--reason", "igen")
	if code != 0 || !strings.Contains(out, "Inget att rätta") {
		t.Errorf("second correct: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "audit", "verify", "--data", dir); code != 0 {
		t.Errorf("audit verify: exit %d: %s", code, errOut)
	}
	s, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := app.New(ctx, s, agreement.Builtin(), clock.System{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("after the correction: %v", err)
	}
	if al, _ := a.Allocation("gnv-2023", "region-23"); al.Total() != 75422690 {
		t.Errorf("region-23 = %d", al.Total())
	}
}
