package app

import (
	"cmp"
	"slices"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/store"
)

// DefaultBaseURL is where the mails' links point unless --base-url says
// otherwise.
const DefaultBaseURL = "http://127.0.0.1:8080"

func (a *App) baseURL() string {
	if a.BaseURL == "" {
		return DefaultBaseURL
	}
	return a.BaseURL
}

// notify writes the notice's mail to the outbox for every active user of
// the organisation who holds one of the roles, in the transaction of the
// event: no event without its mail, no mail for an event rolled back. A
// user who chose the daily digest gets it held for the digest.
func (a *App) notify(tx *store.Tx, now time.Time, n mail.Notice, orgID string, roles ...auth.Role) error {
	return a.notifyWhere(tx, now, n, orgID, func(u auth.User) bool { return slices.Contains(roles, u.Role) })
}

// notifyWhere writes the notice's mail to each active user of the
// organisation that to picks, held for the digest if the user chose it.
func (a *App) notifyWhere(tx *store.Tx, now time.Time, n mail.Notice, orgID string, to func(auth.User) bool) error {
	users, err := tx.UsersOf(orgID)
	if err != nil {
		return err
	}
	subject, body := mail.Compose(n, a.baseURL())
	sent := a.Timer.Now()
	for _, u := range users {
		if !to(u) {
			continue
		}
		digest, err := tx.MailDigest(u.Email)
		if err != nil {
			return err
		}
		status := mail.Pending
		if digest {
			status = mail.Held
		}
		if _, err := tx.EnqueueMail(mail.Message{Key: mail.Key(n.Kind, n.Object, u.Email, clock.Today(now)),
			Kind: n.Kind, Object: n.Object, To: u.Email, Subject: subject, Body: body,
			Status: status, NextAt: sent, CreatedAt: sent}); err != nil {
			return err
		}
	}
	return nil
}

// notifyRequisition mails what the requisition's new state asks of whom.
func (a *App) notifyRequisition(tx *store.Tx, now time.Time, r grant.Requisition) error {
	n := mail.Notice{Object: "requisition:" + r.ID, Path: "/rekvisitioner/" + r.ID,
		What: "Rekvisitionen " + r.ID + " för " + orgName(tx, r.Recipient) + " (" + r.Agreement + ")"}
	switch r.Status {
	case grant.Draft:
		n.Kind = mail.KindSignRequisition
		return a.notify(tx, now, n, r.Recipient, auth.Signatory)
	case grant.Rejected:
		n.Kind, n.Reason = mail.KindRejected, r.RejectReason
	case grant.Approved:
		n.Kind = mail.KindApproved
	case grant.Paid:
		n.Kind = mail.KindPaid
	default:
		return nil
	}
	return a.notify(tx, now, n, r.Recipient, auth.RecipientOfficer, auth.Signatory)
}

// notifyReport mails what the financial report's new state asks of whom.
func (a *App) notifyReport(tx *store.Tx, now time.Time, r grant.FinancialReport) error {
	n := mail.Notice{Object: "report:" + r.ID, Path: "/redovisningar/" + r.ID,
		What: "Den ekonomiska redovisningen " + r.ID + " för " + orgName(tx, r.Recipient) + " (" + r.Agreement + ")"}
	switch r.Status {
	case grant.ReportDraft:
		n.Kind = mail.KindReviewReport
		return a.notify(tx, now, n, r.Recipient, auth.CFO)
	case grant.ReportReviewed:
		n.Kind = mail.KindSignReport
		return a.notify(tx, now, n, r.Recipient, auth.Signatory)
	case grant.ReportReturned:
		n.Kind, n.Reason = mail.KindReportReturned, r.ReturnReason
	case grant.ReportAccepted:
		n.Kind = mail.KindReportAccepted
	default:
		return nil
	}
	return a.notify(tx, now, n, r.Recipient, auth.RecipientOfficer, auth.CFO, auth.Signatory)
}

// notifyVFU mails a returned VFU report to the officers and signatories
// of the organisation that wrote it: the recipient, or for a
// municipality its county's RSS.
func (a *App) notifyVFU(tx *store.Tx, now time.Time, r grant.VFUReport) error {
	if r.Status != grant.VFUReturned {
		return nil
	}
	return a.notify(tx, now, mail.Notice{Kind: mail.KindVFUReturned, Object: "vfu:" + r.ID, Path: "/vfu/" + r.ID,
		What:   "VFU-redovisningen " + r.ID + " för " + orgName(tx, r.Recipient) + " (" + r.Agreement + ")",
		Reason: r.ReturnReason}, cmp.Or(r.ReportedFor, r.Recipient), auth.RecipientOfficer, auth.Signatory)
}

// notifyDocRequest mails the recipient's officers a new request for underlag.
func (a *App) notifyDocRequest(tx *store.Tx, now time.Time, r grant.DocRequest) error {
	return a.notify(tx, now, mail.Notice{Kind: mail.KindDocRequest, Object: "docrequest:" + r.ID, Path: "/underlag/" + r.ID,
		What: orgName(tx, r.RequesterOrg) + " ber " + orgName(tx, r.Recipient) + " om underlag (" + r.Agreement + ")",
		Date: r.DueDate.Format(time.DateOnly)}, r.Recipient, auth.RecipientOfficer, auth.Signatory)
}

// notifyPaid mails each paid requisition's recipient.
func (a *App) notifyPaid(tx *store.Tx, now time.Time, paid []grant.Requisition) error {
	for _, r := range paid {
		if err := a.notifyRequisition(tx, now, r); err != nil {
			return err
		}
	}
	return nil
}

// Link is the page's address as a mail or a calendar gives it.
func (a *App) Link(path string) string { return mail.Link(a.baseURL(), path) }
