package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/audit"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/store"
)

// CorrectAllocation records that the ledger's allocations under the
// agreement become the agreement file's binding amounts: for every
// recipient and component whose posted allocation departs, it posts the
// difference as an allocation correction (ledger.KindAllocationCorrection)
// in one transaction with one audit entry that carries the reason and the
// operator. It returns what it corrected (nothing if nothing departs).
//
// It is the command line's (narvard allocation correct), run with the
// operator's access to the data, and works without an App: New refuses to
// start while the ledger departs from the file.
func CorrectAllocation(ctx context.Context, s *store.Store, agreements *agreement.Set, c clock.Clock,
	agreementID, reason, operator string) ([]grant.AllocationDeparture, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fault.Fields{"reason": "Ange varför tilldelningen rättas."}.Err()
	}
	ag, err := agreements.Get(agreementID)
	if err != nil {
		return nil, err
	}
	want, err := grant.Allocations(ag)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ag.ID, err)
	}
	now := c.Now()
	var done []grant.AllocationDeparture
	err = s.Update(ctx, func(tx *store.Tx) error {
		posted, err := postedAllocations(tx, ag.ID)
		if err != nil {
			return err
		}
		if len(posted) == 0 {
			return fault.New(fault.Conflict, "%s har ingen bokförd tilldelning att rätta; den bokförs när servern startar.", ag.ID)
		}
		deps := grant.AllocationDepartures(want, posted)
		var lines []map[string]any
		for _, d := range deps {
			if err := postCorrection(tx, ag.ID, d, now); err != nil {
				return err
			}
			lines = append(lines, map[string]any{"recipient": d.Recipient, "component": d.Component,
				"posted_kr": d.Posted, "binding_kr": d.Binding, "correction_kr": d.Correction()})
		}
		if len(deps) == 0 {
			return nil
		}
		done = deps
		_, err = tx.Audit(audit.Entry{At: now, Actor: "system", Org: "narvard", Action: "allocation.correct",
			Object: "agreement:" + ag.ID, Detail: detail(map[string]any{"reason": reason, "operator": operator, "corrections": lines})})
		return err
	})
	return done, err
}

// postCorrection posts one departure's correction: to the recipient's
// allocation from the appropriation, or back. It refuses a correction
// that would take away more than the recipient has left unrequisitioned.
func postCorrection(tx *store.Tx, agreementID string, d grant.AllocationDeparture, now time.Time) error {
	ref := d.Component
	if ref == "" {
		ref = agreementID // the whole allocation, posted as one sum
	}
	from, to, amount := ledger.Appropriation(agreementID), ledger.Allocated(agreementID, d.Recipient), d.Correction()
	if amount < 0 {
		bal, err := tx.Balances(to)
		if err != nil {
			return err
		}
		if bal[to]+amount < 0 {
			return fault.New(fault.Conflict, "%s: rättelsen tar bort %s men bara %s är kvar att rekvirera; rätta rekvisitionen först.",
				d.Recipient, -amount, bal[to])
		}
		from, to, amount = to, from, -amount
	}
	_, err := tx.Post(ledger.Move(ledger.KindAllocationCorrection, agreementID, d.Recipient, ref, now, from, to, amount))
	return err
}

// IsAllocationDeparture reports whether err is New's refusal to start
// because the ledger's allocation departs from the agreement file.
func IsAllocationDeparture(err error) bool { return errors.Is(err, ErrAllocationDeparts) }
