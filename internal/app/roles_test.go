package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"narvard/internal/audit"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/store"
)

// TestAddUserRefusesRoleOutsideItsOrganisation: AddUser refuses a role in
// an organisation it does not belong to, on the field role, naming both.
func TestAddUserRefusesRoleOutsideItsOrganisation(t *testing.T) {
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	ctx := context.Background()
	for _, tt := range []struct {
		org  string
		role auth.Role
		name string
	}{
		{"region-01", auth.Payer, "Region Stockholm"},
		{"kammarkollegiet", auth.FollowUp, "Kammarkollegiet"},
		{"socialstyrelsen", auth.Signatory, "Socialstyrelsen"},
		{"kommun-2580", auth.Analyst, "Luleå kommun"},
	} {
		_, err := a.AddUser(ctx, "x@example.se", "", tt.org, tt.role, "ett långt lösenord")
		var f *fault.Error
		if !errors.As(err, &f) || f.Code != fault.Invalid || !strings.Contains(f.Fields["role"], string(tt.role)) || !strings.Contains(f.Fields["role"], tt.name) {
			t.Errorf("AddUser(%s at %s) = %v, want invalid role naming %s and %s", tt.role, tt.org, err, tt.role, tt.name)
		}
	}
	for _, ok := range []struct {
		org  string
		role auth.Role
	}{{"socialstyrelsen", auth.Payer}, {"socialdepartementet", auth.FollowUp}, {"kommun-2580", auth.CFO}, {"region-01", auth.Auditor}} {
		if _, err := a.AddUser(ctx, string(ok.role)+"@"+ok.org+".se", "", ok.org, ok.role, "ett långt lösenord"); err != nil {
			t.Errorf("AddUser(%s at %s): %v", ok.role, ok.org, err)
		}
	}
}

// TestStoredUserWithMisfitRole: a user stored before the rule (a payer at a
// region) does not stop the server from starting, is listed, and is
// refused sign-in, its session and its token with a message that says the
// role does not fit the organisation, until an admin fixes it.
func TestStoredUserWithMisfitRole(t *testing.T) {
	a, c := newTestApp(t, "2023-11-15T10:00:00+01:00")
	ctx := context.Background()
	admin := addUser(t, a, "admin@kammarkollegiet.se", "kammarkollegiet", auth.Admin)
	hash, err := auth.HashPassword("ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	now := a.Timer.Now() // sessions and tokens run on the real clock
	u := auth.User{Email: "betalare@regionstockholm.se", Name: "Fel Roll", Org: "region-01", Role: auth.Payer, PasswordHash: hash, CreatedAt: now}
	const token, session = "token-of-the-misfit", "session-of-the-misfit"
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertUser(&u); err != nil {
			return err
		}
		if err := tx.InsertToken(auth.Token{TokenHash: auth.TokenHash(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			return err
		}
		if err := tx.InsertSession(auth.Session{TokenHash: auth.TokenHash(session), UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			return err
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "test", Org: "narvard", Action: "test.write", Object: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// The server starts on the database that holds it.
	b, err := New(ctx, a.db, agreement.Builtin(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start with a misfit user: %v", err)
	}
	users, err := b.Users(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	listed := false
	for _, x := range users {
		listed = listed || x.Email == u.Email
	}
	if !listed {
		t.Errorf("the misfit user is not listed: %v", users)
	}

	fits := func(what string, err error) {
		t.Helper()
		if fault.CodeOf(err) != fault.Forbidden || !strings.Contains(err.Error(), "passar inte Region Stockholm") || !strings.Contains(err.Error(), "payer") {
			t.Errorf("%s: %v, want forbidden saying the role does not fit the organisation", what, err)
		}
	}
	_, err = b.Authenticate(ctx, u.Email, "ett långt lösenord", "192.0.2.1")
	fits("sign-in", err)
	if _, err := b.Authenticate(ctx, u.Email, "fel lösenord", "192.0.2.1"); fault.CodeOf(err) != fault.Unauthenticated || strings.Contains(err.Error(), "passar inte") {
		t.Errorf("sign-in with a wrong password: %v, want the plain refusal", err)
	}
	_, err = b.TokenUser(ctx, token)
	fits("token", err)
	_, err = b.CreateToken(ctx, u.Email, time.Hour)
	fits("new token", err)
	if _, _, err := b.Session(ctx, session); fault.CodeOf(err) != fault.Unauthenticated {
		t.Errorf("session: %v, want unauthenticated", err)
	}
}
