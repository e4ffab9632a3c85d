package app

import (
	"cmp"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/store"
	"narvard/internal/survey"
)

// SurveyReminderDays is how many days before a survey closes the invited
// that have not submitted are reminded ("the survey closes Friday").
const SurveyReminderDays = 5

// notifyDocAnswered mails the one who asked for underlag that it is
// answered.
func (a *App) notifyDocAnswered(tx *store.Tx, now time.Time, r grant.DocRequest) error {
	if r.Stored != grant.DocRequestAnswered {
		return nil
	}
	return a.notifyUser(tx, now, mail.Notice{Kind: mail.KindDocAnswered, Object: "docrequest:" + r.ID, Path: "/underlag/" + r.ID,
		What: "Begäran om underlag " + r.ID + " till " + orgName(tx, r.Recipient) + " (" + r.Agreement + ")"}, r.RequesterOrg, r.RequestedBy)
}

// notifyUser writes the notice's mail to one user of the organisation,
// if active (the one who asked for underlag), held for the digest if the
// user chose it.
func (a *App) notifyUser(tx *store.Tx, now time.Time, n mail.Notice, orgID, email string) error {
	return a.notifyWhere(tx, now, n, orgID, func(u auth.User) bool { return u.Email == email })
}

// notifyMunicipal mails a municipality's report submitted (to its RSS's
// officers and signatories) or returned (to the municipality's).
func (a *App) notifyMunicipal(tx *store.Tx, now time.Time, r grant.MunicipalReport) error {
	n := mail.Notice{Object: "municipal_report:" + r.ID, Path: "/kommunredovisningar/" + r.ID,
		What: "Redovisningen " + r.ID + " från " + orgName(tx, r.Kommun) + " till " + orgName(tx, r.RSS) + " (" + r.Agreement + ")"}
	switch r.Status {
	case grant.MunicipalSubmitted:
		n.Kind = mail.KindMunicipalSigned
		return a.notify(tx, now, n, r.RSS, auth.RecipientOfficer, auth.Signatory)
	case grant.MunicipalReturned:
		n.Kind, n.Reason = mail.KindMunicipalReturn, r.ReturnReason
		return a.notify(tx, now, n, r.Kommun, auth.RecipientOfficer, auth.Signatory)
	}
	return nil
}

// notifyVFUDraft mails the signatories of the organisation that wrote a
// VFU report in draft that it waits for their signature.
func (a *App) notifyVFUDraft(tx *store.Tx, now time.Time, r grant.VFUReport) error {
	if r.Status != grant.VFUDraft {
		return nil
	}
	return a.notify(tx, now, mail.Notice{Kind: mail.KindSignVFU, Object: "vfu:" + r.ID, Path: "/vfu/" + r.ID,
		What: "VFU-redovisningen " + r.ID + " för " + orgName(tx, r.Recipient) + " (" + r.Agreement + ")"},
		cmp.Or(r.ReportedFor, r.Recipient), auth.Signatory)
}

// surveyNotice is the mail about a survey to an invited organisation that
// has not submitted.
func surveyNotice(kind mail.Kind, object string, s survey.Survey, recipient string) mail.Notice {
	return mail.Notice{Kind: kind, Object: object, Path: "/enkater/" + s.ID + "/svar/" + recipient,
		What: "Enkäten »" + s.Title + "«", Date: mail.Day(s.Closes)}
}

// remindSurveys reminds, once per survey, the invited that have not
// submitted when the survey closes within SurveyReminderDays. It returns
// how many mails it wrote.
func (a *App) remindSurveys(tx *store.Tx, now time.Time) (int, error) {
	list, err := tx.Surveys()
	if err != nil {
		return 0, err
	}
	before, err := a.outboxSize(tx)
	if err != nil {
		return 0, err
	}
	for _, s := range list {
		if s.PhaseAt(now) != survey.Open || clock.Today(now).AddDate(0, 0, SurveyReminderDays).Before(s.Closes) {
			continue
		}
		s, responses, _, err := surveyData(tx, s.ID)
		if err != nil {
			return 0, err
		}
		for _, rec := range s.Missing(responses) {
			n := surveyNotice(mail.KindSurveyCloses, "survey_closes:"+s.ID+":"+rec, s, rec)
			// Keyed by the day it closes: one reminder per survey.
			if err := a.notify(tx, s.Closes, n, rec, auth.RecipientOfficer, auth.Signatory); err != nil {
				return 0, err
			}
		}
	}
	after, err := a.outboxSize(tx)
	return after - before, err
}
