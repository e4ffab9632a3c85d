package web

import (
	"net/http"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
)

// existingDoc is the document an organisation already has where the
// agreement allows one per organisation (a requisition, a financial
// report, a municipality's report, a VFU report) or where a new one is a
// new version of it (a plan). The "ny" pages show it at once, by name,
// status and link, instead of an empty form refused only when sent.
type existingDoc struct {
	What          string // "en rekvisition"
	OrgName       string
	AgreementName string
	Name          string // "Rekvisition R-…"
	Status        string // in Swedish
	Href          string
	EditHref      string // when it may still be changed
}

// showExisting renders the page that says the organisation already has d.
func (s *server) showExisting(w http.ResponseWriter, r *http.Request, status int, d existingDoc) {
	s.render(w, r, status, "existing.html", d.OrgName+" har redan "+d.What, d)
}

// conflictExisting shows the existing document when a new one was
// refused as a conflict (sent from a form opened before the other one was
// made): it reports whether it did.
func (s *server) conflictExisting(w http.ResponseWriter, r *http.Request, err error, find func() (existingDoc, bool)) bool {
	if r.PathValue("id") != "" || fault.CodeOf(err) != fault.Conflict {
		return false
	}
	d, ok := find()
	if ok {
		s.showExisting(w, r, http.StatusConflict, d)
	}
	return ok
}

// existingRequisition is the organisation's live requisition under the
// agreement (one that is not withdrawn), if any.
func (s *server) existingRequisition(r *http.Request, a auth.Actor, agreementID, org string) (existingDoc, bool) {
	reqs, err := s.app.Requisitions(r.Context(), a, storeFilter(agreementID, org))
	if err != nil {
		return existingDoc{}, false
	}
	for _, q := range reqs {
		if q.Status == grant.Withdrawn {
			continue
		}
		d := s.existing(r, "en rekvisition", agreementID, org, "Rekvisition "+q.ID, q.Status.Swedish(), "/rekvisitioner/"+q.ID)
		if (q.Status == grant.Draft || q.Status == grant.Rejected) && grant.CanDraft(a, org) == nil {
			d.EditHref = d.Href + "/andra"
		}
		return d, true
	}
	return existingDoc{}, false
}

// existingReport is the organisation's financial report under the
// agreement, if any.
func (s *server) existingReport(r *http.Request, a auth.Actor, agreementID, org string) (existingDoc, bool) {
	reps, err := s.app.Reports(r.Context(), a, grant.ReportFilter{Agreement: agreementID, Recipient: org})
	if err != nil || len(reps) == 0 {
		return existingDoc{}, false
	}
	rep := reps[0]
	d := s.existing(r, "en ekonomisk redovisning", agreementID, org, "Ekonomisk redovisning "+rep.ID, rep.Status.Swedish(), "/redovisningar/"+rep.ID)
	if st := rep.Status; (st == grant.ReportDraft || st == grant.ReportReviewed || st == grant.ReportReturned) && grant.CanWriteReport(a, org) == nil {
		d.EditHref = d.Href + "/andra"
	}
	return d, true
}

// existingMunicipal is the municipality's report to its RSS under the
// agreement, if any.
func (s *server) existingMunicipal(r *http.Request, a auth.Actor, agreementID, kommun string) (existingDoc, bool) {
	rows, err := s.app.MunicipalReports(r.Context(), a, agreementID, grant.CoordinatingRSS(kommun))
	if err != nil {
		return existingDoc{}, false
	}
	for _, row := range rows {
		if row.Kommun != kommun || row.Report == nil {
			continue
		}
		rep := row.Report
		d := s.existing(r, "en redovisning till RSS:en", agreementID, kommun, "Redovisning "+rep.ID, rep.Status.Swedish(), "/kommunredovisningar/"+rep.ID)
		if (rep.Status == grant.MunicipalDraft || rep.Status == grant.MunicipalReturned) && grant.CanWriteReport(a, kommun) == nil {
			d.EditHref = d.Href + "/andra"
		}
		return d, true
	}
	return existingDoc{}, false
}

// existingVFU is the recipient's VFU report under the agreement, if any.
func (s *server) existingVFU(r *http.Request, a auth.Actor, agreementID, recipient string) (existingDoc, bool) {
	reps, err := s.app.VFUReports(r.Context(), a, agreementID)
	if err != nil {
		return existingDoc{}, false
	}
	for _, rep := range reps {
		if rep.Recipient != recipient {
			continue
		}
		d := s.existing(r, "en VFU-redovisning", agreementID, recipient, "VFU-redovisning "+rep.ID, rep.Status.Swedish(), "/vfu/"+rep.ID)
		if (rep.Status == grant.VFUDraft || rep.Status == grant.VFUReturned) && grant.CanReportVFU(a, recipient) == nil {
			d.EditHref = d.Href + "/andra"
		}
		return d, true
	}
	return existingDoc{}, false
}

func (s *server) existing(r *http.Request, what, agreementID, org, name, status, href string) existingDoc {
	d := existingDoc{What: what, OrgName: s.orgName(r, org), AgreementName: agreementID, Name: name, Status: status, Href: href}
	if ag, err := s.agreements.Get(agreementID); err == nil {
		d.AgreementName = ag.Name
	}
	return d
}
