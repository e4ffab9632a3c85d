package app

import (
	"context"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/fault"
)

// TestChangeRole: an admin gives a user another role its organisation may
// hold, audited with both roles; the user's next request has it; a role
// the organisation may not hold, an unknown one, the admin's own role and
// anyone but an admin are refused.
func TestChangeRole(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	admin := addUser(t, a, "admin@kk.se", "kammarkollegiet", auth.Admin)
	officer := addUser(t, a, "o@nll.se", "region-25", auth.RecipientOfficer)
	payer := addUser(t, a, "p@kk.se", "kammarkollegiet", auth.Payer)

	u, err := a.ChangeRole(ctx, admin, officer.UserID, auth.CFO)
	if err != nil || u.Role != auth.CFO {
		t.Fatalf("change: %+v %v", u, err)
	}
	acc, err := a.Account(ctx, admin, officer.UserID)
	if err != nil || acc.User.Role != auth.CFO {
		t.Errorf("stored: %+v %v", acc.User, err)
	}
	log, err := a.AuditLog(ctx, admin, AuditQuery{Object: "user:o@nll.se", Page: 1})
	if err != nil || len(log.Rows) == 0 || log.Rows[0].Action != "user.role" || log.Rows[0].Detail != `{"from":"recipient_officer","to":"cfo"}` {
		t.Errorf("audited: %+v %v", log.Rows, err)
	}
	if !log.Chain.Intact() {
		t.Errorf("the books after the change: %+v", log.Chain)
	}
	tests := []struct {
		name  string
		actor auth.Actor
		id    int64
		role  auth.Role
		code  fault.Code
	}{
		{"a role the region may not hold", admin, officer.UserID, auth.Payer, fault.Invalid},
		{"an unknown role", admin, officer.UserID, auth.Role("kung"), fault.Invalid},
		{"the admin's own", admin, admin.UserID, auth.Auditor, fault.Conflict},
		{"a payer", payer, officer.UserID, auth.Signatory, fault.Forbidden},
		{"an unknown user", admin, 9999, auth.Signatory, fault.NotFound},
	}
	for _, tc := range tests {
		if _, err := a.ChangeRole(ctx, tc.actor, tc.id, tc.role); fault.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}
