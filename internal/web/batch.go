package web

import (
	"net/http"

	"narvard/internal/app"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// batchView is a payment batch's page: its lines, recipients, sum and
// count, its status, who made and who attested it, and what the payer
// may do with it now.
type batchView struct {
	app.BatchView
	AgreementName string
	Lines         []batchLine
	Count         int
	Sum           money.Kr
	Status        string
	CanAttest     bool
	CanConfirm    bool
	Today         string
	Confirm       worklistForm
	Changes       []app.HistoryEntry
}

// batchLine is one payment of a batch.
type batchLine struct {
	Requisition, Recipient, Name, Account string
	Amount                                money.Kr
}

// batchLines are the batch's payments with the recipients' names.
func batchLines(r *http.Request, s *server, b app.BatchView) []batchLine {
	name := func(id string) string {
		if o, err := s.app.Organisation(r.Context(), id); err == nil && o.Name != "" {
			return o.Name
		}
		return id
	}
	var out []batchLine
	for _, q := range b.Requisitions {
		out = append(out, batchLine{Requisition: q.ID, Recipient: q.Recipient, Name: name(q.Recipient), Account: accountText(q.Account), Amount: q.Amount})
	}
	for _, l := range b.VFU {
		out = append(out, batchLine{Recipient: l.Recipient, Name: name(l.Recipient), Account: accountText(grant.Account{Type: l.AccountType, Number: l.AccountNumber}), Amount: l.Amount})
	}
	return out
}

// batchStatus says where a batch is in Swedish.
func batchStatus(b app.BatchView) string {
	switch {
	case b.Confirmed():
		return "betald " + b.PaidOn.Format("2006-01-02")
	case b.Attested():
		return "attesterad – betalningsfilen kan hämtas; väntar på bekräftelse att den är betald"
	}
	return "väntar på attest av en annan utbetalare"
}

func (s *server) batchPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showBatch(w, r, sess, http.StatusOK, worklistForm{})
}

func (s *server) showBatch(w http.ResponseWriter, r *http.Request, sess *session, status int, confirm worklistForm) {
	a := sess.Actor()
	b, err := s.app.Batch(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := batchView{BatchView: b, Lines: batchLines(r, s, b), Status: batchStatus(b), Today: today(s), Confirm: confirm,
		CanAttest:  !b.Attested() && grant.CanAttest(a, b.Batch) == nil,
		CanConfirm: b.Attested() && !b.Confirmed() && grant.CanPay(a, b.Payer) == nil}
	v.Count, v.Sum = batchTotals(b)
	if ag, err := s.agreements.Get(b.Agreement); err == nil {
		v.AgreementName = ag.Name
	}
	if v.Changes, err = s.app.History(r.Context(), a, "batch:"+b.ID); err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, status, "batch.html", "Betalningsomgång "+b.ID, v)
}
