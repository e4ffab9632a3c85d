package web

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"narvard/internal/audit"

	"narvard/internal/auth"
	"narvard/internal/store"
)

// TestSignInRefusesMisfitRole: a user stored with a role that does not
// belong in its organisation (a payer at a region) gets the sign-in page
// back with a message saying so, and no session.
func TestSignInRefusesMisfitRole(t *testing.T) {
	h, st := newHandler(t, nil)
	hash, _ := auth.HashPassword("ett långt lösenord")
	u := auth.User{Email: "betalare@nll.se", Name: "Fel Roll", Org: "region-25", Role: auth.Payer, PasswordHash: hash, CreatedAt: demoNow}
	if err := st.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.InsertUser(&u); err != nil {
			return err
		}
		_, err := tx.Audit(audit.Entry{At: u.CreatedAt, Actor: "test", Org: "narvard", Action: "user.add", Object: "user:" + u.Email})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, h: h, cookies: map[string]string{}}
	rec := b.signIn(u.Email)
	body := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusForbidden || !strings.Contains(body, "passar inte Region Norrbotten") || b.cookies[sessionCookie] != "" {
		t.Errorf("sign-in of a payer at a region: %d, session %q\n%s", rec.Code, b.cookies[sessionCookie], body)
	}
}
