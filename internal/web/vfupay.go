package web

import (
	"net/http"
	"net/url"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
)

// The VFU payout from the round's page (issue 13, item 6): the payer of
// the agency that pays VFU makes the batch of the closed round; another
// payer attests it and it is filed and confirmed on the work list, as any
// batch.

// vfuPayout is what the round's page shows the payer of the agency that
// pays VFU: the batch, once made, or the recipients without a bankgiro,
// who block it.
type vfuPayout struct {
	BatchID  string
	Blocking []string // "Name (id)" of each recipient with money and no bankgiro
	Worklist string
}

// fillVFUPayout sets the payout part of the round's page for a payer of
// the agency that pays VFU (and leaves it nil for everyone else).
func (s *server) fillVFUPayout(r *http.Request, a auth.Actor, payer string, batchID string, v *vfuListView) {
	if !v.Closed || grant.CanPay(a, payer) != nil {
		return
	}
	p := &vfuPayout{BatchID: batchID, Worklist: worklistOf(v.Agreement)}
	for _, row := range v.Rows {
		if row.Amount <= 0 || batchID != "" {
			continue
		}
		o, err := s.app.Organisation(r.Context(), row.Recipient)
		if err != nil || o.Account.Type != org.AccountBankgiro || o.Account.Number == "" {
			p.Blocking = append(p.Blocking, row.Name+" ("+row.Recipient+")")
		}
	}
	v.Payout = p
}

// vfuPay makes the VFU payout batch of the closed round and sends the
// payer to the work list, where another payer attests it.
func (s *server) vfuPay(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	ag, ok := s.pageAgreement(w, r, a.Org)
	if !ok {
		return
	}
	if _, err := s.app.CreateVFUBatch(r.Context(), a, ag.ID); err != nil {
		if c := fault.CodeOf(err); c == fault.Forbidden || c == fault.NotFound || c == "" {
			s.refuse(w, r, err)
			return
		}
		s.showVFUList(w, r, sess, http.StatusUnprocessableEntity, refusalText(err))
		return
	}
	http.Redirect(w, r, worklistOf(ag.ID)+"#omgangar", http.StatusSeeOther)
}

// vfuRoundOf is the round's page for the agreement.
func vfuRoundOf(agreementID string) string { return "/vfu?agreement=" + url.QueryEscape(agreementID) }
