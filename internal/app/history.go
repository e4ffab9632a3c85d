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

	"plan.create":   "Skapad",
	"plan.update":   "Ändrad",
	"plan.forecast": "Prognos ändrad",
	"plan.decide":   "Beslutad",

	"municipal_report.create": "Skapad",
	"municipal_report.update": "Ändrad",
	"municipal_report.sign":   "Underskriven och inskickad till RSS",
	"municipal_report.return": "Skickad tillbaka",
	"municipal_report.accept": "Godkänd av RSS",

	"vfu.create":  "Skapad",
	"vfu.correct": "Ändrad",
	"vfu.sign":    "Underskriven och inskickad",
	"vfu.return":  "Skickad tillbaka",

	"onward.create": "Skapat",
	"onward.decide": "Beslutat",
	"onward.pay":    "Utbetalning till kommunerna registrerad",

	"activity.create":  "Skapad",
	"activity.correct": "Ändrad",
	"activity.sign":    "Underskriven och inskickad",
	"activity.return":  "Skickad tillbaka",
	"activity.accept":  "Godkänd",

	"document_request.create": "Begäran skickad",
	"document_request.answer": "Besvarad",
	"document_request.close":  "Stängd",
}

// batchWhat says a payment batch's own changes, where historyWhat says
// what they mean for a requisition in it.
var batchWhat = map[string]string{
	"batch.create":  "Skapad",
	"batch.attest":  "Attesterad",
	"batch.confirm": "Utbetald",
}

// History is every change of a document, oldest first, for those who
// may read the document: a requisition ("requisition:ID", with its
// payment batch's), a financial report ("report:ID"), a plan version
// ("plan:ID"), a municipality's report to its RSS ("municipal_report:ID"),
// a VFU report ("vfu:ID"), an onward decision ("onward:ID", with its
// payments), an activity report ("activity:ID"), a request for underlag
// ("docrequest:ID") and a payment batch ("batch:ID"); each with the files
// attached to it.
func (a *App) History(ctx context.Context, actor auth.Actor, object string) ([]HistoryEntry, error) {
	kind, id, _ := strings.Cut(object, ":")
	var out []HistoryEntry
	err := a.db.View(ctx, func(tx *store.Tx) error {
		src, err := a.historySource(tx, actor, kind, id)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, o := range src.objects {
			es, err := tx.AuditOf(o)
			if err != nil {
				return err
			}
			entries = append(entries, es...)
		}
		if src.attachments != "" {
			es, err := tx.AuditOfPrefix("attachment:" + src.attachments + ":" + id + ":")
			if err != nil {
				return err
			}
			entries = append(entries, es...)
		}
		out = historyOf(tx, entries, kind)
		lastReason(out, src.reason)
		return nil
	})
	return out, err
}

// historySource is where a document's history is in the audit log: the
// objects whose entries are the document's, the owner kind of its
// attachments (grant.OwnerReport …) if it takes any, and the document's
// last rejection's or return's reason.
type historySource struct {
	objects     []string
	attachments string
	reason      string
}

// historySource finds a document the actor may read and where its
// history is; a document the actor may not read is refused as its read
// use case refuses it.
func (a *App) historySource(tx *store.Tx, actor auth.Actor, kind, id string) (historySource, error) {
	own := []string{kind + ":" + id}
	switch kind {
	case "requisition":
		r, err := a.readable(tx, actor, id)
		if err != nil {
			return historySource{}, err
		}
		if r.BatchID != "" {
			own = append(own, "batch:"+r.BatchID)
		}
		return historySource{objects: own, reason: r.RejectReason}, nil
	case "report":
		r, err := a.readableReport(tx, actor, id)
		return historySource{objects: own, attachments: grant.OwnerReport, reason: r.ReturnReason}, err
	case "plan":
		_, err := a.readablePlan(tx, actor, id)
		return historySource{objects: own}, err
	case "municipal_report":
		r, err := a.readableMunicipal(tx, actor, id)
		return historySource{objects: own, reason: r.ReturnReason}, err
	case "activity":
		r, err := a.readableActivity(tx, actor, id)
		return historySource{objects: own, attachments: grant.OwnerActivity, reason: r.ReturnReason}, err
	case "docrequest":
		_, err := a.readableDocRequest(tx, actor, id)
		return historySource{objects: own, attachments: grant.OwnerDocRequest}, err
	}
	return a.historySourceOfAgencies(tx, actor, kind, id)
}

// historySourceOfAgencies is historySource for the VFU reports, the
// onward decisions and the payment batches.
func (a *App) historySourceOfAgencies(tx *store.Tx, actor auth.Actor, kind, id string) (historySource, error) {
	own := []string{kind + ":" + id}
	switch kind {
	case "vfu":
		r, err := tx.VFUReport(id)
		if err != nil {
			return historySource{}, notFound(err, "VFU-redovisningen %s finns inte.", id)
		}
		return historySource{objects: own, reason: r.ReturnReason}, grant.CanReadVFU(actor, r.Recipient)
	case "onward":
		return onwardHistory(tx, actor, id)
	case "batch":
		if err := grant.CanReadAll(actor); err != nil {
			return historySource{}, err
		}
		if _, err := tx.Batch(id); err != nil {
			return historySource{}, notFound(err, "Betalningsomgången %s finns inte.", id)
		}
		return historySource{objects: own}, nil
	}
	return historySource{}, fault.New(fault.NotFound, "Ingen historik för %q.", kind+":"+id)
}

// onwardHistory is an onward decision's history: the decision's entries
// and its recorded payments'.
func onwardHistory(tx *store.Tx, actor auth.Actor, id string) (historySource, error) {
	d, err := tx.Onward(id)
	if err != nil {
		return historySource{}, notFound(err, "Beslutet om vidareförmedling %s finns inte.", id)
	}
	if err := grant.CanReadOnward(actor, d.RSS); err != nil {
		return historySource{}, err
	}
	payments, err := tx.OnwardPayments(d.Agreement, d.RSS)
	if err != nil {
		return historySource{}, err
	}
	src := historySource{objects: []string{"onward:" + id}}
	for _, p := range payments {
		if p.Decision == id {
			src.objects = append(src.objects, "onward_payment:"+p.ID)
		}
	}
	return src, nil
}

// historyOf turns audit entries, in any order of objects, into the
// history in the order they happened, with the actors' names.
func historyOf(tx *store.Tx, entries []audit.Entry, kind string) []HistoryEntry {
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
		if w, own := batchWhat[e.Action]; own && kind == "batch" {
			what, ok = w, true
		}
		if !ok {
			what = e.Action
		}
		h := HistoryEntry{At: e.At, Action: e.Action, What: what, Name: nameOf(e.Actor), Email: e.Actor, Org: orgName(tx, e.Org), Why: why(e)}
		if e.Action == "batch.confirm" && kind != "batch" {
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
		if h[i].Action == "requisition.reject" || strings.HasSuffix(h[i].Action, ".return") {
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
