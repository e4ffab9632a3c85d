package web

import (
	"net/http"
	"slices"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/grant"
	"narvard/internal/plan"
)

// recipientView is one row of the national matrix opened: the recipient's
// figures under the agreement and every document behind them, each with
// its status and amount (issue 17, item 2). Each figure of the matrix
// links to the section here that makes it up.
type recipientView struct {
	Agreement, AgreementName string
	Status                   app.Status
	Requisitions             []grant.Requisition
	Reports                  []app.ReportView
	Repayments               []grant.Repayment
	Plans                    []plan.Plan
	Activity                 []grant.ActivityReport
	DocRequests              []app.DocRequestView
	// Paid are the requisitions paid out, with their batch.
	Paid []grant.Requisition
}

// recipientOverview is the drill-down from a row of the national matrix,
// for those who read everything (the matrix's own rule); each list comes
// from the use case that lists it, under its own rule.
func (s *server) recipientOverview(w http.ResponseWriter, r *http.Request, sess *session) {
	a := sess.Actor()
	ag, ok := s.overviewAgreement(w, r, a)
	if !ok {
		return
	}
	rec := r.PathValue("recipient")
	st, err := s.app.RecipientStatus(r.Context(), a, ag.ID, rec)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := recipientView{Agreement: ag.ID, AgreementName: ag.Name, Status: st}
	if err := s.fillRecipient(r, a, &v); err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "recipient_overview.html", st.Name, v)
}

// fillRecipient reads the recipient's documents under the agreement.
func (s *server) fillRecipient(r *http.Request, a auth.Actor, v *recipientView) error {
	ctx, ag, rec := r.Context(), v.Agreement, v.Status.Recipient
	var err error
	if v.Requisitions, err = s.app.Requisitions(ctx, a, grant.RequisitionFilter{Agreement: ag, Recipient: rec}); err != nil {
		return err
	}
	for _, q := range v.Requisitions {
		if !q.PaidOn.IsZero() {
			v.Paid = append(v.Paid, q)
		}
	}
	if v.Reports, err = s.app.Reports(ctx, a, grant.ReportFilter{Agreement: ag, Recipient: rec}); err != nil {
		return err
	}
	if v.Repayments, err = s.app.Repayments(ctx, a, ag, rec); err != nil {
		return err
	}
	if v.Plans, err = s.app.Plans(ctx, a, ag, rec); err != nil {
		return err
	}
	slices.Reverse(v.Plans) // newest first
	acts, err := s.app.ActivityReports(ctx, a, "", "")
	if err != nil {
		return err
	}
	v.Activity = slices.DeleteFunc(acts, func(x grant.ActivityReport) bool { return x.Recipient != rec || x.Agreement != ag })
	v.DocRequests, err = s.app.DocumentRequests(ctx, a, app.DocRequestFilter{Agreement: ag, Recipient: rec})
	return err
}
