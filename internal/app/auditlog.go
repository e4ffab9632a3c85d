package app

import (
	"context"
	"strings"
	"time"

	"narvard/internal/audit"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// AuditPerPage is how many entries a page of the audit log shows.
const AuditPerPage = 50

// AuditQuery is what the auditor searches the audit log for: part of an
// object ("requisition:R-1" or "R-1"), part of a user's e-mail, and the
// days (YYYY-MM-DD, Stockholm, both included) between which the entries
// were written; empty for any. Page counts from 1; 0 means every entry
// (the export).
type AuditQuery struct {
	Object, User string
	From, To     string
	Page         int
}

// AuditRow is one entry of the log with its actor's and organisation's
// names.
type AuditRow struct {
	audit.Entry
	Name    string // the actor's name, or the e-mail when no name is known
	OrgName string
}

// AuditChain is the state of the whole log: how many entries and rows of
// the books were checked, the chain's head, where the chain breaks (nil
// when intact) and the rows of the books that do not match their seals.
type AuditChain struct {
	Entries    int
	Head       string
	Rows       int
	Break      *audit.Break
	Mismatches []audit.Mismatch
	CheckedAt  time.Time
}

// Intact reports whether the chain and the books hold.
func (c AuditChain) Intact() bool { return c.Break == nil && len(c.Mismatches) == 0 }

// AuditLogView is a page of the entries the query picks, newest first,
// how many it picks in all, and the chain's state.
type AuditLogView struct {
	Rows         []AuditRow
	Total, Pages int
	Page         int
	Chain        AuditChain
}

// AuditLog searches the audit log for an auditor or admin, and checks
// the whole chain and the books against it (store.VerifyBooks without a
// checkpoint: the checkpoints and their key are kept outside the
// database, for `narvard audit verify --checkpoint`). With Page 0 it
// returns every entry the query picks and leaves the chain unchecked.
func (a *App) AuditLog(ctx context.Context, actor auth.Actor, q AuditQuery) (AuditLogView, error) {
	if err := grant.CanReadAuditLog(actor); err != nil {
		return AuditLogView{}, err
	}
	sq, err := auditStoreQuery(q)
	if err != nil {
		return AuditLogView{}, err
	}
	var v AuditLogView
	err = a.db.View(ctx, func(tx *store.Tx) error {
		entries, total, err := tx.AuditSearch(sq)
		if err != nil {
			return err
		}
		v.Total, v.Page, v.Pages = total, q.Page, (total+AuditPerPage-1)/AuditPerPage
		v.Rows = auditRows(tx, entries)
		if q.Page == 0 {
			return nil
		}
		vb, err := tx.VerifyBooks(nil)
		v.Chain = AuditChain{Entries: int(vb.Entries), Head: vb.Head, Rows: vb.Rows, Break: vb.Break, Mismatches: vb.Mismatches, CheckedAt: a.Timer.Now()}
		return err
	})
	return v, err
}

// auditStoreQuery turns the auditor's query into the store's, refusing
// dates that are not dates or a range that ends before it begins.
func auditStoreQuery(q AuditQuery) (audit.Query, error) {
	sq := audit.Query{Object: strings.TrimSpace(q.Object), Actor: strings.TrimSpace(q.User)}
	bad := fault.Fields{}
	from, fromOK := auditDay(bad, "from", "Från och med", q.From)
	to, toOK := auditDay(bad, "to", "Till och med", q.To)
	if fromOK && toOK && !from.IsZero() && !to.IsZero() && to.Before(from) {
		bad.Add("to", "Till och med (%s) ligger före från och med (%s).", q.To, q.From)
	}
	if q.Page < 0 {
		bad.Add("sida", "Sidan måste vara 1 eller större.")
	}
	if err := bad.Err(); err != nil {
		return sq, err
	}
	if !from.IsZero() {
		sq.From = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, clock.Stockholm)
	}
	if !to.IsZero() {
		sq.To = clock.EndOfDay(to)
	}
	if q.Page > 0 {
		sq.Limit, sq.Offset = AuditPerPage, (q.Page-1)*AuditPerPage
	}
	return sq, nil
}

// auditDay parses a day of the query; ok is false when it was given and
// is not a date (the message is added to bad under field).
func auditDay(bad fault.Fields, field, label, s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	d, err := clock.ParseDate(s)
	if err != nil {
		bad.Add(field, "%s: ange ett datum som 2023-12-01, inte %q.", label, s)
		return time.Time{}, false
	}
	return d, true
}

// auditRows gives the entries their actors' and organisations' names.
func auditRows(tx *store.Tx, entries []audit.Entry) []AuditRow {
	names, orgs := map[string]string{}, map[string]string{}
	out := make([]AuditRow, 0, len(entries))
	for _, e := range entries {
		n, ok := names[e.Actor]
		if !ok {
			n = e.Actor
			if u, err := tx.UserByEmail(e.Actor); err == nil && u.Name != "" {
				n = u.Name
			}
			names[e.Actor] = n
		}
		o, ok := orgs[e.Org]
		if !ok {
			o = orgName(tx, e.Org)
			orgs[e.Org] = o
		}
		out = append(out, AuditRow{Entry: e, Name: n, OrgName: o})
	}
	return out
}
