package api

import (
	"context"
	"log/slog"
	"narvard/internal/audit"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/store"
	"narvard/internal/store/storetest"
)

// TestTokenOfMisfitRoleRefused: the token of a user stored with a role that
// does not belong in its organisation (a follow-up officer at a region) is
// refused with 403 and a message saying so; the server starts all the same.
func TestTokenOfMisfitRoleRefused(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	now := time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm)
	u := auth.User{Email: "uppfoljare@nll.se", Name: "Fel Roll", Org: "region-25", Role: auth.FollowUp, PasswordHash: "x", CreatedAt: now}
	const token = "token-of-the-misfit"
	if _, err := app.New(ctx, s, agreement.Builtin(), clock.NewFrozen(now), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err) // seeds the organisations
	}
	err := s.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertUser(&u); err != nil {
			return err
		}
		if err := tx.InsertToken(auth.Token{TokenHash: auth.TokenHash(token), UserID: u.ID, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}); err != nil { // tokens run on the real clock
			return err
		}
		_, err := tx.Audit(audit.Entry{At: time.Now(), Actor: "test", Org: "narvard", Action: "test.write", Object: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, s, agreement.Builtin(), clock.NewFrozen(now), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("start again with the misfit user: %v", err)
	}
	srv := httptest.NewServer(New(a, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	c := &client{t: t, srv: srv, tokens: map[string]string{u.Email: token}}
	st, out := c.do(u.Email, "GET", "/api/v1/organisations", "")
	msg, _ := out["error"].(map[string]any)["message"].(string)
	if st != http.StatusForbidden || code(out) != "forbidden" || !strings.Contains(msg, "follow_up") || !strings.Contains(msg, "passar inte Region Norrbotten") {
		t.Errorf("token of a follow-up officer at a region: %d %v", st, out)
	}
}
