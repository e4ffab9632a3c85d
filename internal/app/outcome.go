package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/outcome"
	"narvard/internal/plan"
	"narvard/internal/sie"
	"narvard/internal/store"
)

// MaxOutcomeFile bounds a file of the books: a region's whole year in
// SIE 4 fits with room to spare.
const MaxOutcomeFile = 64 << 20

// OutcomeResult is what an import did: the import, and whether it was
// new (the same file again adds nothing).
type OutcomeResult struct {
	outcome.Import
	Added bool
	Lines int // cost lines on the plan's cost objects
}

// ImportOutcome reads a file of the recipient's books, a SIE 4 file or a
// CSV file (datum,konto,kostnadsobjekt,belopp), and keeps its cost lines
// on the plan's cost objects as the recipient's outcome. The file is
// refused whole when it is damaged; the same file again adds nothing.
func (a *App) ImportOutcome(ctx context.Context, actor auth.Actor, planID, fileName string, data []byte) (OutcomeResult, error) {
	p, err := a.Plan(ctx, actor, planID)
	if err != nil {
		return OutcomeResult{}, err
	}
	if err := grant.CanImportOutcome(actor, p.Recipient); err != nil {
		return OutcomeResult{}, err
	}
	im, err := readOutcome(p.Plan, fileName, data)
	if err != nil {
		return OutcomeResult{}, err
	}
	now := a.Clock.Now()
	im.ID, im.Agreement, im.Recipient, im.ImportedBy, im.ImportedAt = newID("U-"), p.Agreement, p.Recipient, actor.Email, now
	res := OutcomeResult{Import: im, Added: true, Lines: len(im.Entries)}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		old, found, err := tx.OutcomeImportByDigest(im.Agreement, im.Recipient, im.Digest)
		if err != nil || found {
			res = OutcomeResult{Import: old, Lines: len(old.Entries)}
			return err
		}
		if err := tx.InsertOutcomeImport(&res.Import); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "outcome.import", "outcome:"+im.ID, map[string]any{
			"plan": p.ID, "file": fileName, "format": im.Format, "sha256": im.Digest, "generated": im.Generated, "lines": len(im.Entries)}))
		return err
	})
	return res, err
}

// readOutcome reads the file, SIE when it begins with a label, else CSV,
// and keeps the cost lines on the plan's cost objects.
func readOutcome(p plan.Plan, fileName string, data []byte) (outcome.Import, error) {
	if len(data) > MaxOutcomeFile {
		return outcome.Import{}, fault.New(fault.TooLarge, "Filen %s är större än %d MB.", fileName, MaxOutcomeFile>>20)
	}
	sum := sha256.Sum256(data)
	im := outcome.Import{FileName: fileName, Digest: hex.EncodeToString(sum[:])}
	var entries []outcome.Entry
	if isSIE(data) {
		f, err := sie.Read(fileName, data)
		if err != nil {
			return im, fault.Fields{"file": err.Error()}.Err()
		}
		im.Format, im.Generated = outcome.FormatSIE, dateOrEmpty(f.Generated)
		entries = outcome.FromSIE(f, p.SIEDimension)
	} else {
		var err error
		if entries, err = outcome.ReadCSV(fileName, bytes.NewReader(data)); err != nil {
			return im, fault.Fields{"file": err.Error()}.Err()
		}
		im.Format = outcome.FormatCSV
	}
	objects := p.CostObjects()
	im.Entries = slices.DeleteFunc(entries, func(e outcome.Entry) bool { return !slices.Contains(objects, e.CostObject) })
	return im, nil
}

// isSIE reports whether the file begins, after a byte order mark and
// blank space, with a SIE label.
func isSIE(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("#"))
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// BudgetView is a plan against its recipient's books.
type BudgetView struct {
	Plan    PlanView
	Import  *outcome.Import // the newest import, nil before the first
	Outcome outcome.Outcome // the import's costs per cost object and month in the period
	plan.Budget
}

// PlanBudget sets the plan against the newest import of the recipient's
// books: per cost object the budget, the outcome by month and tertial,
// what remains and the straight-line forecast to the agreement period's
// end.
func (a *App) PlanBudget(ctx context.Context, actor auth.Actor, planID string) (BudgetView, error) {
	v, err := a.Plan(ctx, actor, planID)
	if err != nil {
		return BudgetView{}, err
	}
	ag, err := a.agreement(v.Agreement)
	if err != nil {
		return BudgetView{}, err
	}
	var im outcome.Import
	var found bool
	err = a.db.View(ctx, func(tx *store.Tx) error {
		im, found, err = tx.LatestOutcomeImport(v.Agreement, v.Recipient)
		return err
	})
	if err != nil {
		return BudgetView{}, err
	}
	from, to := ag.PeriodFrom.Time, ag.PeriodTo.Time
	out := outcome.Sum(im.Entries, v.CostObjects(), from, to)
	bv := BudgetView{Plan: v, Outcome: out, Budget: plan.MakeBudget(v.Plan, v.Rows, out, from, to, lastDate(im.Entries))}
	if found {
		bv.Import = &im
	}
	return bv, nil
}

// lastDate is the newest cost line's date: how far the books reach.
func lastDate(entries []outcome.Entry) time.Time {
	var last time.Time
	for _, e := range entries {
		if e.Date.After(last) {
			last = e.Date
		}
	}
	return last
}
