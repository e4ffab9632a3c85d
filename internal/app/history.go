package app

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"narvard/internal/audit"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
)

// HistoryEntry is one change of a document as its history shows it,
// read from the audit log: what happened, who did it (name, e-mail and
// organisation), when and why.
type HistoryEntry struct {
	At     time.Time
	Action string // the audit action, e.g. "requisition.reject"
	What   string // the change in Swedish
	Name   string // the actor's name, or the e-mail when no name is known
	Email  string
	Org    string // the actor's organisation's name
	Why    string // a rejection's or return's reason, a review's alternative
}

// historyWhat says each audited change in Swedish.
var historyWhat = map[string]string{
	"requisition.create":   "Skapad",
	"requisition.update":   "Ändrad",
	"requisition.sign":     "Underskriven och inskickad",
	"requisition.approve":  "Godkänd",
	"requisition.reject":   "Avslagen",
	"requisition.withdraw": "Återkallad",
	"batch.create":         "Lagd i betalningsomgång",
	"batch.attest":         "Betalningsomgången attesterad",
	"batch.confirm":        "Utbetald",
	"report.create":        "Skapad",
	"report.update":        "Ändrad",
	"report.review":        "Granskad av ekonomichefen",
	"report.sign":          "Underskriven och inskickad",
	"report.accept":        "Godkänd",
	"report.return":        "Skickad tillbaka",
	"attachment.add":       "Bilaga tillagd",
}

// History is every change of a requisition ("requisition:ID", with its
// payment batch's) or a financial report ("report:ID"), oldest first,
// for those who may read the document.
func (a *App) History(ctx context.Context, actor auth.Actor, object string) ([]HistoryEntry, error) {
	kind, id, _ := strings.Cut(object, ":")
	var out []HistoryEntry
	err := a.db.View(ctx, func(tx *store.Tx) error {
		objects, reason, err := a.historyObjects(tx, actor, kind, id)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, o := range objects {
			es, err := tx.AuditOf(o)
			if err != nil {
				return err
			}
			entries = append(entries, es...)
		}
		out = historyOf(tx, entries)
		lastReason(out, reason)
		return nil
	})
	return out, err
}

// historyObjects are the audit log's objects of a document the actor may
// read: the document, and for a requisition in a batch the batch; and the
// document's last rejection's or return's reason.
func (a *App) historyObjects(tx *store.Tx, actor auth.Actor, kind, id string) ([]string, string, error) {
	switch kind {
	case "requisition":
		r, err := tx.Requisition(id)
		if err != nil {
			return nil, "", notFound(err, "Rekvisitionen %s finns inte.", id)
		}
		if err := grant.CanRead(actor, r.Recipient); err != nil {
			return nil, "", err
		}
		if r.BatchID != "" {
			return []string{"requisition:" + id, "batch:" + r.BatchID}, r.RejectReason, nil
		}
		return []string{"requisition:" + id}, r.RejectReason, nil
	case "report":
		r, err := tx.Report(id)
		if err != nil {
			return nil, "", notFound(err, "Redovisningen %s finns inte.", id)
		}
		if err := grant.CanRead(actor, r.Recipient); err != nil {
			return nil, "", err
		}
		return []string{"report:" + id}, r.ReturnReason, nil
	}
	return nil, "", fault.New(fault.NotFound, "Ingen historik för %q.", kind+":"+id)
}

// historyOf turns audit entries, in any order of objects, into the
// history in the order they happened, with the actors' names.
func historyOf(tx *store.Tx, entries []audit.Entry) []HistoryEntry {
	names := map[string]string{}
	nameOf := func(email string) string {
		if n, ok := names[email]; ok {
			return n
		}
		n := email
		if u, err := tx.UserByEmail(email); err == nil && u.Name != "" {
			n = u.Name
		}
		names[email] = n
		return n
	}
	slices.SortFunc(entries, func(x, y audit.Entry) int { return cmp.Compare(x.Seq, y.Seq) })
	out := make([]HistoryEntry, 0, len(entries))
	for _, e := range entries {
		what, ok := historyWhat[e.Action]
		if !ok {
			what = e.Action
		}
		h := HistoryEntry{At: e.At, Action: e.Action, What: what, Name: nameOf(e.Actor), Email: e.Actor, Org: orgName(tx, e.Org), Why: why(e)}
		if e.Action == "batch.confirm" {
			h.What += " (betalningsomgång " + strings.TrimPrefix(e.Object, "batch:") + ")"
		}
		out = append(out, h)
	}
	return out
}

// lastReason gives the last rejection or return the document's own
// reason when its audit entry, written before reasons were audited,
// carries none.
func lastReason(h []HistoryEntry, reason string) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Action == "requisition.reject" || h[i].Action == "report.return" {
			if h[i].Why == "" {
				h[i].Why = reason
			}
			return
		}
	}
}

// why is an entry's reason as its detail records it.
func why(e audit.Entry) string {
	var d struct {
		Reason      string `json:"reason"`
		Alternative int    `json:"alternative"`
		PaidOn      string `json:"paid_on"`
	}
	_ = json.Unmarshal([]byte(e.Detail), &d)
	switch {
	case d.Reason != "":
		return d.Reason
	case d.Alternative == 1:
		return "Alt 1: redovisningen är korrekt"
	case d.Alternative == 2:
		return "Alt 2: redovisningen är inte korrekt"
	case d.PaidOn != "":
		return "betalningsdag " + d.PaidOn
	}
	return ""
}

// orgName is an organisation's name, or its id when unknown.
func orgName(tx *store.Tx, id string) string {
	if o, err := tx.Organisation(id); err == nil && o.Name != "" {
		return o.Name
	}
	if n := org.AgencyName(id); n != "" {
		return n
	}
	return id
}
