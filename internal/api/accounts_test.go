package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
)

// TestAccountsAPI: an admin adds a user (a role that does not fit the
// organisation is refused), resets its password, disables it (its token
// stops working) and re-enables it, lists and revokes its tokens; a user
// changes its own password; no one else may manage users; a body over 1 MB
// is refused with 413.
func TestAccountsAPI(t *testing.T) {
	cl, a, _ := setup(t, "2023-11-15T10:00:00+01:00")
	const admin = "admin@kammarkollegiet.se"
	if code, _ := cl.do(admin, "POST", "/api/v1/users", `{"email":"ny@nll.se","organisation":"region-25","role":"payer"}`); code != http.StatusUnprocessableEntity {
		t.Errorf("a payer at a region: %d", code)
	}
	if code, _ := cl.do("officer@nll.se", "POST", "/api/v1/users", `{"email":"ny@nll.se","organisation":"region-25","role":"signatory"}`); code != http.StatusForbidden {
		t.Errorf("an officer adds a user: %d", code)
	}
	code, out := cl.do(admin, "POST", "/api/v1/users", `{"email":"ny@nll.se","name":"Ny","organisation":"region-25","role":"signatory"}`)
	if code != http.StatusCreated {
		t.Fatalf("add: %d %v", code, out)
	}
	password, _ := out["password"].(string)
	if auth.CheckPolicy(password, "ny@nll.se") != nil {
		t.Errorf("password %q", password)
	}
	id := fmt.Sprint(out["user"].(map[string]any)["id"])
	tok, err := a.CreateToken(t.Context(), "ny@nll.se", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cl.tokens["ny@nll.se"] = tok
	if _, err := a.CreateToken(t.Context(), "ny@nll.se", 91*24*time.Hour); err == nil {
		t.Error("a token for 91 days was made")
	}
	if code, _ := cl.do("ny@nll.se", "POST", "/api/v1/me/password", `{"current":"`+password+`","password":"ny@nll.se"}`); code != http.StatusUnprocessableEntity {
		t.Errorf("the e-mail as password: %d", code)
	}
	if code, out := cl.do("ny@nll.se", "POST", "/api/v1/me/password", `{"current":"`+password+`","password":"en ny och lång mening"}`); code != http.StatusNoContent {
		t.Errorf("change own password: %d %v", code, out)
	}
	if _, err := a.Authenticate(t.Context(), "ny@nll.se", "en ny och lång mening", "192.0.2.1"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if code, _ := cl.do("ny@nll.se", "GET", "/api/v1/users/"+id, ""); code != http.StatusOK {
		t.Errorf("own account: %d", code)
	}
	if code, _ := cl.do("officer@nll.se", "GET", "/api/v1/users/"+id, ""); code != http.StatusForbidden {
		t.Errorf("another's account: %d", code)
	}
	if code, out := cl.do(admin, "POST", "/api/v1/users/"+id+"/reset-password", ""); code != http.StatusOK || out["password"] == "" {
		t.Errorf("reset: %d %v", code, out)
	}
	if code, _ := cl.do(admin, "POST", "/api/v1/users/"+id+"/disable", ""); code != http.StatusOK {
		t.Errorf("disable: %d", code)
	}
	if code, _ := cl.do("ny@nll.se", "GET", "/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Errorf("a disabled user's token: %d", code)
	}
	if code, _ := cl.do(admin, "POST", "/api/v1/users/"+id+"/enable", ""); code != http.StatusOK {
		t.Errorf("enable: %d", code)
	}
	tok, _ = a.CreateToken(t.Context(), "ny@nll.se", time.Hour)
	cl.tokens["ny@nll.se"] = tok
	code, out = cl.do(admin, "GET", "/api/v1/users/"+id, "")
	if tokens, _ := out["tokens"].([]any); code != http.StatusOK || len(tokens) != 1 {
		t.Fatalf("account: %d %v", code, out)
	}
	hash := out["tokens"].([]any)[0].(map[string]any)["id"].(string)
	if code, _ := cl.do("officer@nll.se", "DELETE", "/api/v1/users/"+id+"/tokens/"+hash, ""); code != http.StatusForbidden {
		t.Errorf("another revokes the token: %d", code)
	}
	if code, _ := cl.do(admin, "DELETE", "/api/v1/users/"+id+"/tokens/"+hash, ""); code != http.StatusNoContent {
		t.Errorf("revoke: %d", code)
	}
	if code, _ := cl.do("ny@nll.se", "GET", "/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", code)
	}
	if code, out := cl.do("auditor-less", "GET", "/api/v1/users", ""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d %v", code, out)
	}
	if code, out := cl.do(admin, "POST", "/api/v1/users", `{"email":"`+strings.Repeat("x", 2<<20)+`"}`); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB body: %d %v", code, out)
	}
}
