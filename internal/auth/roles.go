// Package auth knows who is asking: users, sessions and tokens, the roles,
// the actor making a request, and the hashing of passwords and tokens. The
// rules of who may do what live in internal/grant and use these types.
package auth

import "slices"

// Role is what a user may do, always within its one organisation.
type Role string

// The roles.
const (
	RecipientOfficer Role = "recipient_officer" // drafts for its own organisation
	Signatory        Role = "signatory"         // signs for its own organisation
	CFO              Role = "cfo"               // attests financial reports
	Payer            Role = "payer"             // a paying agency: approves and pays
	FollowUp         Role = "follow_up"         // Socialstyrelsen, Socialdepartementet
	Analyst          Role = "analyst"           // reads everything, changes nothing
	Admin            Role = "admin"             // manages organisations and users
	Auditor          Role = "auditor"           // reads everything including the audit log
)

// Roles lists every role.
var Roles = []Role{RecipientOfficer, Signatory, CFO, Payer, FollowUp, Analyst, Admin, Auditor}

var roleNames = map[Role]string{
	RecipientOfficer: "handläggare",
	Signatory:        "behörig företrädare (firmatecknare)",
	CFO:              "ekonomichef",
	Payer:            "utbetalare",
	FollowUp:         "uppföljare",
	Analyst:          "analytiker",
	Admin:            "administratör",
	Auditor:          "granskare (revisor)",
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Swedish names the role in Swedish.
func (r Role) Swedish() string {
	if s, ok := roleNames[r]; ok {
		return s
	}
	return string(r)
}

// Actor is the signed-in user on whose behalf something is done.
type Actor struct {
	UserID int64
	Email  string
	Name   string
	Org    string // the organisation's id, e.g. "region-25"
	Role   Role
}

// ActsFor reports whether the actor belongs to the organisation.
func (a Actor) ActsFor(org string) bool { return a.Org != "" && a.Org == org }
