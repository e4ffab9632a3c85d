package grant

import (
	"slices"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/fault"
)

// roles is shorthand for a set of roles in the table below.
func roles(rs ...auth.Role) []auth.Role { return rs }

var everyone = auth.Roles

var readers = roles(auth.Payer, auth.Analyst, auth.Auditor, auth.Admin, auth.FollowUp)

// TestAccessTable checks every rule for every role, acting for the
// recipient's own organisation and for another one. The table is the
// specification: opening or closing any rule for any role fails here.
func TestAccessTable(t *testing.T) {
	const recipient = "region-25"
	tests := []struct {
		rule  string
		check func(a auth.Actor) error
		own   []auth.Role // allowed when the actor belongs to the recipient
		other []auth.Role // allowed when it belongs to another organisation
	}{
		{"CanDraft", func(a auth.Actor) error { return CanDraft(a, recipient) },
			roles(auth.RecipientOfficer, auth.Signatory), nil},
		{"CanWriteReport", func(a auth.Actor) error { return CanWriteReport(a, recipient) },
			roles(auth.RecipientOfficer, auth.Signatory), nil},
		{"CanSign", func(a auth.Actor) error { return CanSign(a, recipient) },
			roles(auth.Signatory), nil},
		{"CanReview", func(a auth.Actor) error { return CanReview(a, recipient) },
			roles(auth.CFO), nil},
		{"CanDecide", CanDecide, roles(auth.Payer), roles(auth.Payer)},
		{"CanRead", func(a auth.Actor) error { return CanRead(a, recipient) }, everyone, readers},
		{"ListScope", func(a auth.Actor) error { _, err := ListScope(a, recipient); return err }, everyone, readers},
		{"CanReadAll", CanReadAll, readers, readers},
		{"CanReadPaymentFile", CanReadPaymentFile, roles(auth.Payer, auth.Auditor), roles(auth.Payer, auth.Auditor)},
		{"CanManageOrganisations", CanManageOrganisations, roles(auth.Admin), roles(auth.Admin)},
		{"CanListUsers", CanListUsers, roles(auth.Admin, auth.Auditor), roles(auth.Admin, auth.Auditor)},
		{"CanFollowUp", CanFollowUp, roles(auth.Analyst, auth.FollowUp, auth.Admin, auth.Auditor), roles(auth.Analyst, auth.FollowUp, auth.Admin, auth.Auditor)},
	}
	for _, tt := range tests {
		for _, role := range auth.Roles {
			for _, org := range []string{recipient, "region-24"} {
				a := auth.Actor{UserID: 7, Email: "x@example.se", Org: org, Role: role}
				want := slices.Contains(tt.own, role)
				if org != recipient {
					want = slices.Contains(tt.other, role)
				}
				err := tt.check(a)
				if got := err == nil; got != want {
					t.Errorf("%s(%s of %s) allowed = %v, want %v", tt.rule, role, org, got, want)
				}
				if err != nil && fault.CodeOf(err) != fault.Forbidden {
					t.Errorf("%s(%s of %s): code %q, want forbidden", tt.rule, role, org, fault.CodeOf(err))
				}
			}
		}
	}
}

// TestNoOrganisationActsForNone: an actor without an organisation acts for
// no recipient, not even the empty one.
func TestNoOrganisationActsForNone(t *testing.T) {
	for _, role := range []auth.Role{auth.RecipientOfficer, auth.Signatory, auth.CFO} {
		a := auth.Actor{Role: role}
		if CanDraft(a, "") == nil || CanSign(a, "") == nil || CanReview(a, "") == nil || CanWriteReport(a, "") == nil {
			t.Errorf("%s without an organisation acts for the empty recipient", role)
		}
	}
}

func TestListScope(t *testing.T) {
	tests := []struct {
		actor     auth.Actor
		asked     string
		want      string
		forbidden bool
	}{
		{auth.Actor{Org: "region-25", Role: auth.RecipientOfficer}, "", "region-25", false},
		{auth.Actor{Org: "region-25", Role: auth.CFO}, "region-25", "region-25", false},
		{auth.Actor{Org: "region-25", Role: auth.Signatory}, "region-24", "", true},
		{auth.Actor{Org: "kammarkollegiet", Role: auth.Payer}, "", "", false},
		{auth.Actor{Org: "kammarkollegiet", Role: auth.Payer}, "region-24", "region-24", false},
		{auth.Actor{Org: "socialdepartementet", Role: auth.Analyst}, "", "", false},
	}
	for _, tt := range tests {
		got, err := ListScope(tt.actor, tt.asked)
		if (err != nil) != tt.forbidden || got != tt.want {
			t.Errorf("ListScope(%s of %s, %q) = %q, %v; want %q, forbidden %v", tt.actor.Role, tt.actor.Org, tt.asked, got, err, tt.want, tt.forbidden)
		}
	}
}

func TestCanSeeJob(t *testing.T) {
	owner := auth.Actor{UserID: 3, Role: auth.Analyst}
	for _, tt := range []struct {
		actor auth.Actor
		ok    bool
	}{
		{owner, true},
		{auth.Actor{UserID: 4, Role: auth.Analyst}, false},
		{auth.Actor{UserID: 5, Role: auth.FollowUp}, false},
		{auth.Actor{UserID: 6, Role: auth.Auditor}, false},
		{auth.Actor{UserID: 9, Role: auth.Admin}, true},
	} {
		if err := CanSeeJob(tt.actor, owner.UserID); (err == nil) != tt.ok {
			t.Errorf("CanSeeJob(%d %s) = %v, want ok %v", tt.actor.UserID, tt.actor.Role, err, tt.ok)
		}
	}
}
