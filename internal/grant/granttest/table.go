// Package granttest holds the one table of who may do what, for the
// tests: each rule of internal/grant/access.go as the roles it lets act on
// their own organisation's things and on another's. grant's TestAccessTable
// checks every rule function against it, and the route tests of
// internal/api and internal/web derive every route's expected answer, for
// every role of the organisation the route is about and of another, from
// the rules the route's use case calls. Opening a rule in access.go fails
// all three.
//
// It is a test-support package: only tests import it.
package granttest

import (
	"fmt"
	"slices"
	"sort"

	"narvard/internal/auth"
)

// Rule is who a rule lets act: roles held in the organisation the action
// is about (Own) and roles held in any other (Other).
type Rule struct {
	Own, Other []auth.Role
	// Of says what the "own organisation" is: the recipient whose document
	// or status it is, or the paying agency that pays.
	Of string
}

// What an action is about.
const (
	OfRecipient = "recipient"
	OfAgency    = "agency"
	OfNothing   = "nothing" // the rule does not look at organisations
	OfRSS       = "rss"     // the RSS whose onward decision it is
	// OfRequester: who asks for underlag. Own is Socialdepartementet (its
	// follow-up officers ask), other the paying agencies (their payers
	// ask from any of them).
	OfRequester = "requester"
)

func roles(rs ...auth.Role) []auth.Role { return rs }

// Readers read every organisation's data.
var Readers = roles(auth.Payer, auth.Analyst, auth.Auditor, auth.Admin, auth.FollowUp)

// Rules is the table, by the name of the function in access.go. Signed-in
// is no function: the routes every signed-in user may use (their own
// account, the agreements, the organisations' names).
var Rules = map[string]Rule{
	"CanDraft":       {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
	"CanWriteReport": {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
	"CanSign":        {Own: roles(auth.Signatory), Of: OfRecipient},
	"CanReview":      {Own: roles(auth.CFO), Of: OfRecipient},
	// A municipality's county's RSS also reports and signs for it
	// (TestVFUCoordination); the table's recipient is a region.
	"CanReportVFU": {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
	"CanSignVFU":   {Own: roles(auth.Signatory), Of: OfRecipient},
	"CanReadVFU":   {Own: auth.Roles, Other: Readers, Of: OfRecipient},
	"CanReviewVFU": {Own: roles(auth.FollowUp), Of: OfAgency},
	// Activity reports: the receiver and the templates' publisher are
	// agencies (Socialstyrelsen, Socialdepartementet).
	"CanWriteActivityReport":   {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
	"CanReceiveActivityReport": {Own: roles(auth.FollowUp), Of: OfAgency},
	"CanPublishTemplate":       {Own: roles(auth.FollowUp), Of: OfAgency},
	"CanDecide":                {Own: roles(auth.Payer), Other: roles(auth.Payer), Of: OfNothing},
	"CanDecideFor":             {Own: roles(auth.Payer), Of: OfAgency},
	"CanPay":                   {Own: roles(auth.Payer), Of: OfAgency},
	"CanAttest":                {Own: roles(auth.Payer), Of: OfAgency}, // never the batch's maker
	"CanRead":                  {Own: auth.Roles, Other: Readers, Of: OfRecipient},
	"ListScope":                {Own: auth.Roles, Other: Readers, Of: OfRecipient},
	"CanReadAll":               {Own: Readers, Other: Readers, Of: OfNothing},
	"CanReadPaymentFile":       {Own: roles(auth.Payer, auth.Auditor), Other: roles(auth.Payer, auth.Auditor), Of: OfNothing},
	"CanManageOrganisations":   {Own: roles(auth.Admin), Other: roles(auth.Admin), Of: OfNothing},
	"CanListUsers":             {Own: roles(auth.Admin, auth.Auditor), Other: roles(auth.Admin, auth.Auditor), Of: OfNothing},
	"CanManageUsers":           {Own: roles(auth.Admin), Other: roles(auth.Admin), Of: OfNothing},
	"CanManageMail":            {Own: roles(auth.Admin), Other: roles(auth.Admin), Of: OfNothing},
	"CanReadAuditLog":          {Own: roles(auth.Auditor, auth.Admin), Other: roles(auth.Auditor, auth.Admin), Of: OfNothing},
	// Another user's account; each user manages its own (SignedIn).
	"CanManageAccount": {Own: roles(auth.Admin), Other: roles(auth.Admin), Of: OfNothing},
	"CanFollowUp":      {Own: roles(auth.Analyst, auth.FollowUp, auth.Admin, auth.Auditor), Other: roles(auth.Analyst, auth.FollowUp, auth.Admin, auth.Auditor), Of: OfNothing},
	// A job is its starter's: "own" is the user, not the organisation; the
	// route tests act as users who did not start it.
	"CanSeeJob": {Own: roles(auth.Admin), Other: roles(auth.Admin), Of: OfNothing},
	"SignedIn":  {Own: auth.Roles, Other: auth.Roles, Of: OfNothing},
	// A saved run is its maker's organisation's; admins and auditors see
	// every organisation's.
	"CanSeeFollowUpRun": {Own: roles(auth.Analyst, auth.FollowUp, auth.Admin, auth.Auditor), Other: roles(auth.Admin, auth.Auditor), Of: OfRecipient},
	// A saved run is deleted by its maker ("own" is the user, as for a
	// job; the route tests act as users who did not make it) or an admin.
	"CanDeleteFollowUpRun": {Own: roles(auth.Admin), Other: roles(auth.Admin), Of: OfNothing},

	// The RSS's onward decision; its county's municipalities also read
	// (TestOnwardRules in grant).
	"CanDraftOnward":  {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRSS},
	"CanDecideOnward": {Own: roles(auth.Signatory), Of: OfRSS},
	"CanPayOnward":    {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRSS},
	"CanReadOnward":   {Own: auth.Roles, Other: Readers, Of: OfRSS},
	// A municipality's report to its RSS, about the RSS it reports to (the
	// rule is asked about one of the RSS's municipalities; the
	// municipality's own people read it too, TestMunicipalReportRules).
	"CanReadMunicipalReport":   {Own: auth.Roles, Other: Readers, Of: OfRSS},
	"CanReviewMunicipalReport": {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRSS},
	// Requests for underlag (TestDocumentRequestRules in grant).
	"CanRequestDocuments":      {Own: roles(auth.FollowUp), Other: roles(auth.Payer), Of: OfRequester},
	"CanCloseDocumentRequest":  {Own: roles(auth.FollowUp), Of: OfRequester}, // a request made by Socialdepartementet
	"CanAnswerDocumentRequest": {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
	"CanReadDocumentRequest":   {Own: auth.Roles, Other: roles(auth.Payer, auth.FollowUp, auth.Auditor, auth.Admin), Of: OfRecipient},
	// The recipient's own plan and the outcome from its books; reading is
	// CanRead.
	"CanDraftPlan":     {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
	"CanDecidePlan":    {Own: roles(auth.Signatory), Of: OfRecipient},
	"CanImportOutcome": {Own: roles(auth.RecipientOfficer, auth.CFO), Of: OfRecipient},
	// Surveys: the agency that runs one (Socialstyrelsen) and the invited
	// organisations; results are read with CanReadAll.
	"CanRunSurvey":    {Own: roles(auth.FollowUp), Of: OfAgency},
	"CanAnswerSurvey": {Own: roles(auth.RecipientOfficer, auth.Signatory), Of: OfRecipient},
}

// Allows reports whether the rule lets a user with the role act, in the
// organisation the action is about (own) or in another.
func (r Rule) Allows(role auth.Role, own bool) bool {
	if own {
		return slices.Contains(r.Own, role)
	}
	return slices.Contains(r.Other, role)
}

// Allowed reports whether a use case that calls every one of the rules
// lets the role act; it panics on a name not in the table.
func Allowed(role auth.Role, own bool, rules ...string) bool {
	if len(rules) == 0 {
		panic("granttest: a route with no rule")
	}
	for _, name := range rules {
		r, ok := Rules[name]
		if !ok {
			panic(fmt.Sprintf("granttest: no rule %q in the table", name))
		}
		if !r.Allows(role, own) {
			return false
		}
	}
	return true
}

// Names lists the rules of the table, sorted.
func Names() []string {
	var out []string
	for n := range Rules {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
