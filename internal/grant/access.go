package grant

import (
	"slices"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/org"
	"narvard/internal/payment"
)

// Every rule of who may do what is a function in this file, one per
// question; every use case in internal/app calls one of them before it
// reads or changes anything. access_test.go checks each against the whole
// table of roles and organisations, so opening a rule fails a test.

// readsEverything lists the roles that may read every organisation's data.
var readsEverything = []auth.Role{auth.Payer, auth.Analyst, auth.Auditor, auth.Admin, auth.FollowUp}

func hasRole(a auth.Actor, roles ...auth.Role) bool {
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

func forbidden(format string, args ...any) error { return fault.New(fault.Forbidden, format, args...) }

// CanDraft reports whether the actor may draft or correct a requisition for
// the recipient: an officer or signatory of the recipient's organisation.
func CanDraft(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan skriva dess rekvisition.", recipient)
	}
	return nil
}

// CanWriteReport reports whether the actor may draft or correct the
// recipient's financial report: its officers and signatories.
func CanWriteReport(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan skriva dess ekonomiska redovisning.", recipient)
	}
	return nil
}

// CanSign reports whether the actor may sign for the recipient: a
// signatory of its organisation.
func CanSign(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || a.Role != auth.Signatory {
		return forbidden("Bara en behörig företrädare för %s kan skriva under.", recipient)
	}
	return nil
}

// CanReview reports whether the actor may review the recipient's report:
// a CFO of the recipient's own organisation.
func CanReview(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || a.Role != auth.CFO {
		return forbidden("Bara ekonomichefen för %s kan granska dess ekonomiska redovisning.", recipient)
	}
	return nil
}

// CanDecide reports whether the actor may approve, reject or pay
// requisitions, make and confirm payment batches, accept or return
// financial reports, record repayments and decide reclaims: the paying
// agency's payers.
func CanDecide(a auth.Actor) error {
	if a.Role != auth.Payer {
		return forbidden("Bara Kammarkollegiets utbetalare kan godkänna, avslå och betala.")
	}
	return nil
}

// CanDecideFor reports whether the actor may decide on what agency pays: a
// recipient's requisition, financial report, repayment or reclaim, where
// agency is the paying agency of the recipient's allocation. A payer of
// Socialstyrelsen (which pays VFU) decides nothing that Kammarkollegiet
// pays, nor the other way round.
func CanDecideFor(a auth.Actor, agency string) error {
	if a.Role != auth.Payer || a.Org != agency {
		return forbidden("Bara %ss utbetalare kan besluta om det som %s betalar.", org.AgencyName(agency), org.AgencyName(agency))
	}
	return nil
}

// CanPay reports whether the actor may make, and confirm as paid, payment
// batches paid from the agency's account: the agency's own payers. A payer
// of Kammarkollegiet pays what Kammarkollegiet pays, never Socialstyrelsen's.
func CanPay(a auth.Actor, agency string) error {
	if a.Role != auth.Payer || a.Org != agency || !org.IsPayingAgency(agency) {
		return forbidden("Bara %ss utbetalare kan betala det %s betalar.", org.AgencyName(agency), org.AgencyName(agency))
	}
	return nil
}

// CanAttest reports whether the actor may attest the batch, the second of
// the two people who pay: another payer of the agency that pays it, never
// the one who made it.
func CanAttest(a auth.Actor, b payment.Batch) error {
	if a.Role != auth.Payer || a.Org != b.Payer {
		return forbidden("Bara en annan utbetalare vid %s kan attestera betalningsomgången %s.", org.AgencyName(b.Payer), b.ID)
	}
	if a.Email == b.CreatedBy {
		return forbidden("Du skapade betalningsomgången %s och kan inte attestera den själv: en annan utbetalare vid %s ska attestera den.", b.ID, org.AgencyName(b.Payer))
	}
	return nil
}

// CanRead reports whether the actor may see the recipient's documents and
// status: the recipient's own people, and those who read everything.
func CanRead(a auth.Actor, recipient string) error {
	if hasRole(a, readsEverything...) || a.ActsFor(recipient) {
		return nil
	}
	return forbidden("Du kan bara se din egen organisations uppgifter.")
}

// CanReadAll reports whether the actor may read every organisation's data:
// the national matrix, every list unfiltered, the payment batches.
func CanReadAll(a auth.Actor) error {
	if !hasRole(a, readsEverything...) {
		return forbidden("Den nationella översikten är för Kammarkollegiet, Socialstyrelsen, analytiker och granskare.")
	}
	return nil
}

// ListScope returns the recipient a listing is narrowed to for the actor:
// the one asked for ("" for all) by those who read everything, the actor's
// own organisation for everyone else, who may not ask for another's.
func ListScope(a auth.Actor, recipient string) (string, error) {
	if hasRole(a, readsEverything...) {
		return recipient, nil
	}
	if recipient != "" && !a.ActsFor(recipient) {
		return "", forbidden("Du kan bara se din egen organisations uppgifter.")
	}
	return a.Org, nil
}

// CanReadPaymentFile reports whether the actor may download a batch's
// payment file (pain.001): the payers who send it and the auditors.
func CanReadPaymentFile(a auth.Actor) error {
	if !hasRole(a, auth.Payer, auth.Auditor) {
		return forbidden("Betalningsfilen är för Kammarkollegiets utbetalare och granskare.")
	}
	return nil
}

// CanManageOrganisations reports whether the actor may change an
// organisation's name, organisation number, address or RSS host: admins.
func CanManageOrganisations(a auth.Actor) error {
	if a.Role != auth.Admin {
		return forbidden("Bara administratörer kan ändra organisationer.")
	}
	return nil
}

// CanManageMail reports whether the actor may see the mails that could
// not be sent (with their addresses and errors) and send them again:
// admins.
func CanManageMail(a auth.Actor) error {
	if a.Role != auth.Admin {
		return forbidden("Bara administratörer ser e-post som inte kunde skickas.")
	}
	return nil
}

// CanListUsers reports whether the actor may see the users: admins and
// auditors.
func CanListUsers(a auth.Actor) error {
	if !hasRole(a, auth.Admin, auth.Auditor) {
		return forbidden("Bara administratörer och granskare ser användarna.")
	}
	return nil
}

// CanReadAuditLog reports whether the actor may read the whole audit log
// and see whether its chain holds: auditors, and admins, who answer for
// the system and trace what was done with the users they manage.
func CanReadAuditLog(a auth.Actor) error {
	if !hasRole(a, auth.Auditor, auth.Admin) {
		return forbidden("Bara granskare och administratörer läser granskningsloggen.")
	}
	return nil
}

// CanManageUsers reports whether the actor may add, disable and re-enable
// users, reset their passwords and end their sessions and tokens: admins.
func CanManageUsers(a auth.Actor) error {
	if a.Role != auth.Admin {
		return forbidden("Bara administratörer hanterar användarna.")
	}
	return nil
}

// CanManageAccount reports whether the actor may see and end the sessions
// and tokens of the user with the id owner: that user, or an admin.
func CanManageAccount(a auth.Actor, owner int64) error {
	if (a.UserID != 0 && a.UserID == owner) || a.Role == auth.Admin {
		return nil
	}
	return forbidden("Bara användaren själv och administratörer ser och avslutar kontots inloggningar och tokens.")
}

// CanFollowUp reports whether the actor may compute the follow-up
// indicators from extracts: analysts, Socialstyrelsen's follow-up
// officers, admins and auditors.
func CanFollowUp(a auth.Actor) error {
	if !hasRole(a, auth.Analyst, auth.FollowUp, auth.Admin, auth.Auditor) {
		return forbidden("Uppföljningen är för analytiker och Socialstyrelsens uppföljare.")
	}
	return nil
}

// CanSeeJob reports whether the actor may see a follow-up job started by
// the user with the id owner: that user, or an admin.
func CanSeeJob(a auth.Actor, owner int64) error {
	if a.UserID == owner || a.Role == auth.Admin {
		return nil
	}
	return fault.New(fault.NotFound, "Beräkningen finns inte.")
}

// CanSeeFollowUpRun reports whether the actor may see a saved follow-up
// run made by a user of the organisation org: those who may follow up,
// in that organisation, and admins and auditors of any. A run of another
// organisation is not found.
func CanSeeFollowUpRun(a auth.Actor, org string) error {
	if err := CanFollowUp(a); err != nil {
		return err
	}
	if a.Org == org || hasRole(a, auth.Admin, auth.Auditor) {
		return nil
	}
	return fault.New(fault.NotFound, "Den sparade beräkningen finns inte.")
}

// CanDeleteFollowUpRun reports whether the actor may delete a saved
// follow-up run started by the user with the id owner: that user, or an
// admin.
func CanDeleteFollowUpRun(a auth.Actor, owner int64) error {
	if err := CanFollowUp(a); err != nil {
		return err
	}
	if a.UserID == owner || a.Role == auth.Admin {
		return nil
	}
	return forbidden("Bara den som gjorde beräkningen, eller en administratör, kan ta bort den.")
}

// CanDraftOnward reports whether the actor may draft the RSS's onward
// decision (vidareförmedling) to its county's municipalities: the RSS's
// officers and signatories.
func CanDraftOnward(a auth.Actor, rss string) error {
	if !a.ActsFor(rss) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan skriva dess beslut om vidareförmedling.", rss)
	}
	return nil
}

// CanDecideOnward reports whether the actor may decide the RSS's onward
// decision: a signatory of the RSS.
func CanDecideOnward(a auth.Actor, rss string) error {
	if !a.ActsFor(rss) || a.Role != auth.Signatory {
		return forbidden("Bara en behörig företrädare för %s kan besluta om vidareförmedlingen.", rss)
	}
	return nil
}

// CanPayOnward reports whether the actor may record the RSS's payments to
// its municipalities: the RSS's officers and signatories.
func CanPayOnward(a auth.Actor, rss string) error {
	if !a.ActsFor(rss) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan registrera dess utbetalningar till kommunerna.", rss)
	}
	return nil
}

// CanReadOnward reports whether the actor may see the RSS's onward
// decisions and payments: the RSS's own people, those who read
// everything, and the people of the county's municipalities (who see
// their own rows).
func CanReadOnward(a auth.Actor, rss string) error {
	if hasRole(a, readsEverything...) || a.ActsFor(rss) || isKommunOf(a.Org, rss) {
		return nil
	}
	return forbidden("Du kan bara se din egen organisations uppgifter.")
}

// isKommunOf reports whether the organisation is a municipality of the
// RSS's county.
func isKommunOf(id, rss string) bool {
	kind, _, _ := org.Parse(id)
	return kind == org.KindKommun && org.CountyOf(id) != "" && org.CountyOf(id) == org.CountyOf(rss)
}

// CanReportVFU reports whether the actor may write or correct the
// recipient's VFU report: an officer or signatory of the recipient, or, for
// a municipality, an officer of its county's RSS (coordinated reports).
func CanReportVFU(a auth.Actor, recipient string) error {
	if a.ActsFor(recipient) && hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return nil
	}
	if rss := CoordinatingRSS(recipient); rss != "" && a.ActsFor(rss) && a.Role == auth.RecipientOfficer {
		return nil
	}
	return forbidden("Bara handläggare och behöriga företrädare för %s, eller för en kommun handläggare vid länets RSS, kan skriva dess VFU-redovisning.", recipient)
}

// CanSignVFU reports whether the actor may sign the recipient's VFU
// report: a signatory of the recipient, or for a municipality of its
// county's RSS.
func CanSignVFU(a auth.Actor, recipient string) error {
	if a.Role == auth.Signatory && (a.ActsFor(recipient) || (CoordinatingRSS(recipient) != "" && a.ActsFor(CoordinatingRSS(recipient)))) {
		return nil
	}
	return forbidden("Bara en behörig företrädare för %s, eller för en kommun för länets RSS, kan skriva under VFU-redovisningen.", recipient)
}

// CanReadVFU reports whether the actor may see the recipient's VFU report:
// those who may read the recipient's documents, and for a municipality its
// county's RSS.
func CanReadVFU(a auth.Actor, recipient string) error {
	if CanRead(a, recipient) == nil {
		return nil
	}
	if rss := CoordinatingRSS(recipient); rss != "" && a.ActsFor(rss) {
		return nil
	}
	return forbidden("Du kan bara se din egen organisations VFU-redovisning.")
}

// CanReviewVFU reports whether the actor may return VFU reports and close
// the VFU round of a component the agency pays: the agency's follow-up
// officers (Socialstyrelsen's).
func CanReviewVFU(a auth.Actor, agency string) error {
	if a.Role != auth.FollowUp || a.Org != agency || !org.IsPayingAgency(agency) {
		return forbidden("Bara %ss uppföljare kan granska VFU-redovisningarna och stänga VFU-omgången.", org.AgencyName(agency))
	}
	return nil
}

// CanReadMunicipalReport reports whether the actor may see a
// municipality's report to its RSS: those who may read the municipality's
// documents, and the people of its county's RSS, to whom it reports. The
// municipality writes it under CanWriteReport and signs it under CanSign.
func CanReadMunicipalReport(a auth.Actor, kommun string) error {
	if CanRead(a, kommun) == nil {
		return nil
	}
	if rss := CoordinatingRSS(kommun); rss != "" && a.ActsFor(rss) {
		return nil
	}
	return forbidden("Du kan bara se din egen organisations kommunredovisning.")
}

// CanReviewMunicipalReport reports whether the actor may return or accept
// a municipality's report: an officer or signatory of its county's RSS.
func CanReviewMunicipalReport(a auth.Actor, kommun string) error {
	if rss := CoordinatingRSS(kommun); rss != "" && a.ActsFor(rss) && hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return nil
	}
	return forbidden("Bara handläggare och behöriga företrädare vid länets RSS kan godkänna eller skicka tillbaka %ss redovisning.", kommun)
}

// CanRequestDocuments reports whether the actor may ask a recipient for
// underlag (copies of its accounts and other documents): the payers of a
// paying agency (Kammarkollegiet, Socialstyrelsen) and the follow-up
// officers of Socialdepartementet.
func CanRequestDocuments(a auth.Actor) error {
	if (a.Role == auth.Payer && org.IsPayingAgency(a.Org)) || (a.Role == auth.FollowUp && a.Org == org.Socialdepartementet) {
		return nil
	}
	return forbidden("Bara utbetalare vid Kammarkollegiet eller Socialstyrelsen och uppföljare vid Socialdepartementet kan begära underlag.")
}

// CanCloseDocumentRequest reports whether the actor may close the request:
// one who may request documents, of the organisation that asked.
func CanCloseDocumentRequest(a auth.Actor, r DocRequest) error {
	if CanRequestDocuments(a) != nil || a.Org != r.RequesterOrg {
		return forbidden("Bara den som begärde underlaget (%s) kan stänga begäran %s.", org.AgencyName(r.RequesterOrg), r.ID)
	}
	return nil
}

// CanAnswerDocumentRequest reports whether the actor may attach files to,
// and answer, a request for the recipient's underlag: its officers and
// signatories.
func CanAnswerDocumentRequest(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan besvara en begäran om underlag.", recipient)
	}
	return nil
}

// CanReadDocumentRequest reports whether the actor may see requests to the
// recipient and download their files: the recipient's own people, and the
// payers, follow-up officers, auditors and admins (not the analysts: the
// files are the recipient's accounts).
func CanReadDocumentRequest(a auth.Actor, recipient string) error {
	if a.ActsFor(recipient) || hasRole(a, auth.Payer, auth.FollowUp, auth.Auditor, auth.Admin) {
		return nil
	}
	return forbidden("Du kan bara se begäranden om underlag till din egen organisation.")
}

// roleHome says where a role may be held: which organisations fit it and,
// in Swedish, where that is.
type roleHome struct {
	fits  func(o org.Organisation) bool
	where string
}

// isRecipient: regions, RSS, municipalities and SKR receive the grants.
func isRecipient(o org.Organisation) bool {
	switch o.Kind {
	case org.KindRegion, org.KindRSS, org.KindKommun:
		return true
	}
	return o.Kind == org.KindSKR && o.ID == org.SKR
}

// oneOf fits the named agencies, the ministry and SKR, each of its own kind.
func oneOf(ids ...string) func(o org.Organisation) bool {
	return func(o org.Organisation) bool {
		switch o.Kind {
		case org.KindAgency, org.KindMinistry, org.KindSKR:
			return slices.Contains(ids, o.ID)
		}
		return false
	}
}

func anywhere(org.Organisation) bool { return true }

// roleHomes is where each role may be held. The paying agencies pay, the
// follow-up sits with Socialstyrelsen and the ministry, the recipients'
// own roles only in a recipient.
var roleHomes = map[auth.Role]roleHome{
	auth.Payer:            {oneOf(org.Kammarkollegiet, org.Socialstyrelsen), "en utbetalande myndighet (Kammarkollegiet eller Socialstyrelsen)"},
	auth.FollowUp:         {oneOf(org.Socialstyrelsen, org.Socialdepartementet), "Socialstyrelsen eller Socialdepartementet"},
	auth.RecipientOfficer: {isRecipient, "en mottagare (region, RSS, kommun eller SKR)"},
	auth.Signatory:        {isRecipient, "en mottagare (region, RSS, kommun eller SKR)"},
	auth.CFO:              {isRecipient, "en mottagare (region, RSS, kommun eller SKR)"},
	auth.Analyst:          {oneOf(org.SKR, org.Socialdepartementet, org.Socialstyrelsen, org.Kammarkollegiet), "SKR, Socialdepartementet, Socialstyrelsen eller Kammarkollegiet"},
	auth.Auditor:          {anywhere, "alla organisationer"},
	auth.Admin:            {anywhere, "alla organisationer"},
}

// CanHoldRole reports whether a user of the organisation may hold the
// role: payers only in a paying agency, follow-up officers only at
// Socialstyrelsen or the ministry, officers, signatories and CFOs only in a
// recipient, analysts at SKR, the ministry and the agencies, auditors and
// admins anywhere. It is checked when a user is added and at every
// sign-in, so a user stored before the rule cannot act until fixed.
func CanHoldRole(role auth.Role, o org.Organisation) error {
	h, ok := roleHomes[role]
	if !ok {
		return forbidden("Okänd roll %q.", role)
	}
	if o.ID == "" {
		return forbidden("Rollen %s, %s, kräver en organisation.", role, role.Swedish())
	}
	if !h.fits(o) {
		return forbidden("Rollen %s, %s, passar inte %s (%s): den finns bara hos %s.", role, role.Swedish(), o.Name, o.ID, h.where)
	}
	return nil
}

// CanDraftPlan reports whether the actor may draft or change the
// recipient's own plan for its money: its officers and signatories.
func CanDraftPlan(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan skriva dess plan.", recipient)
	}
	return nil
}

// CanDecidePlan reports whether the actor may record the decision of the
// recipient's plan: a signatory of the recipient.
func CanDecidePlan(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || a.Role != auth.Signatory {
		return forbidden("Bara en behörig företrädare för %s kan registrera beslutet om planen.", recipient)
	}
	return nil
}

// CanImportOutcome reports whether the actor may bring the recipient's
// books (a SIE or CSV file) to its plan: its officers and its CFO.
func CanImportOutcome(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.CFO) {
		return forbidden("Bara handläggare och ekonomichef för %s kan läsa in utfall ur bokföringen.", recipient)
	}
	return nil
}

// CanWriteActivityReport reports whether the actor may write or correct
// the recipient's activity report: an officer or signatory of the
// recipient.
func CanWriteActivityReport(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan skriva dess verksamhetsrapport.", recipient)
	}
	return nil
}

// CanReceiveActivityReport reports whether the actor may return or accept
// activity reports sent to the receiver: the receiver's follow-up
// officers (Socialstyrelsen's for the regions' and RSS's reports,
// Socialdepartementet's for SKR's).
func CanReceiveActivityReport(a auth.Actor, receiver string) error {
	if a.Role != auth.FollowUp || a.Org != receiver {
		return forbidden("Bara uppföljare hos mottagaren, %s, kan återsända eller godkänna verksamhetsrapporten.", org.AgencyName(receiver))
	}
	return nil
}

// CanPublishTemplate reports whether the actor may publish a new version
// of a question template for an agreement whose templates the publisher
// writes (Socialstyrelsen for gnv-2023, by the agreement's
// question_template deadline): the publisher's follow-up officers.
func CanPublishTemplate(a auth.Actor, publisher string) error {
	if a.Role != auth.FollowUp || a.Org != publisher {
		return forbidden("Bara uppföljare hos %s kan publicera frågeunderlag.", org.AgencyName(publisher))
	}
	return nil
}

// CanRunSurvey reports whether the actor may make a survey, import
// answers collected elsewhere, see who has not answered and remind them:
// the follow-up officers of the agency that runs it (the one publishing
// the question templates, Socialstyrelsen).
func CanRunSurvey(a auth.Actor, owner string) error {
	if a.Role != auth.FollowUp || a.Org != owner {
		return forbidden("Bara uppföljare hos %s kan göra enkäter och hantera deras svar.", org.AgencyName(owner))
	}
	return nil
}

// CanAnswerSurvey reports whether the actor may answer a survey for the
// invited organisation: its officers and signatories.
func CanAnswerSurvey(a auth.Actor, recipient string) error {
	if !a.ActsFor(recipient) || !hasRole(a, auth.RecipientOfficer, auth.Signatory) {
		return forbidden("Bara handläggare och behöriga företrädare för %s kan besvara enkäten.", recipient)
	}
	return nil
}
