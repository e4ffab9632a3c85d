package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
)

var shownPassword = regexp.MustCompile(`<code data-password>([^<]+)</code>`)

// TestAccounts: the admin adds a user on a form that offers only the roles
// that fit the organisation and sees its password once; the user signs in
// with it and changes it (its other sessions end); the admin resets it,
// disables and re-enables the user, ends its sessions and tokens. Every
// form is refused without its CSRF token, and others may not manage users.
func TestAccounts(t *testing.T) {
	h, _ := newHandler(t, nil)
	admin := signedInAs(t, h, "admin@kk.se", "kammarkollegiet", auth.Admin)
	if page := admin.do("GET", "/start", nil).Body.String(); !strings.Contains(page, `href="/admin/anvandare"`) {
		t.Error("no link to the users for the admin")
	}
	// The roles offered fit the organisation.
	page := html.UnescapeString(admin.do("GET", "/admin/anvandare/ny?org=region-25", nil).Body.String())
	if !strings.Contains(page, `value="signatory"`) || strings.Contains(page, `value="payer"`) {
		t.Errorf("roles offered for a region:\n%s", page)
	}
	page = html.UnescapeString(admin.do("GET", "/admin/anvandare/ny?org=kammarkollegiet", nil).Body.String())
	if strings.Contains(page, `value="signatory"`) || !strings.Contains(page, `value="payer"`) {
		t.Errorf("roles offered for Kammarkollegiet:\n%s", page)
	}
	token := admin.csrf("/admin/anvandare/ny?org=region-25")
	add := url.Values{"csrf": {token}, "email": {"ny@nll.se"}, "name": {"Ny Person"}, "org": {"region-25"}, "role": {"payer"}}
	if rec := admin.do("POST", "/admin/anvandare", add); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(rec.Body.String()), "passar inte") {
		t.Errorf("a payer at a region: %d", rec.Code)
	}
	add.Set("role", "signatory")
	noCSRF := url.Values{"email": {"ny@nll.se"}, "org": {"region-25"}, "role": {"signatory"}}
	if rec := admin.do("POST", "/admin/anvandare", noCSRF); rec.Code != http.StatusForbidden {
		t.Errorf("add without CSRF: %d", rec.Code)
	}
	rec := admin.do("POST", "/admin/anvandare", add)
	m := shownPassword.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusCreated || m == nil {
		t.Fatalf("add: %d\n%s", rec.Code, rec.Body.String())
	}
	first := m[1]
	if err := auth.CheckPolicy(first, "ny@nll.se"); err != nil {
		t.Errorf("the new password breaks the policy: %v", err)
	}
	if rec := admin.do("POST", "/admin/anvandare", add); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("the same e-mail twice: %d", rec.Code)
	}
	users, _ := handlerApp.Users(t.Context(), auth.Actor{Role: auth.Admin})
	var id string
	for _, u := range users {
		if u.Email == "ny@nll.se" {
			id = strconv.FormatInt(u.ID, 10)
		}
	}

	// The user signs in twice with the password, then changes it from one
	// session: the other ends.
	signIn := func(password string) *browser {
		b := &browser{t: t, h: h, cookies: map[string]string{}}
		token := b.csrf("/logga-in")
		if rec := b.do("POST", "/logga-in", url.Values{"csrf": {token}, "email": {"ny@nll.se"}, "password": {password}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in with %q: %d", password, rec.Code)
		}
		return b
	}
	one, two := signIn(first), signIn(first)
	if rec := one.do("POST", "/admin/anvandare", add); rec.Code != http.StatusForbidden {
		t.Errorf("a signatory adds a user: %d", rec.Code)
	}
	if rec := one.do("GET", "/admin/anvandare/"+id, nil); rec.Code != http.StatusOK {
		t.Errorf("own account under /admin: %d", rec.Code)
	}
	if rec := one.do("GET", "/admin/anvandare/1", nil); rec.Code != http.StatusForbidden {
		t.Errorf("another's account: %d", rec.Code)
	}
	ctoken := one.csrf("/konto")
	change := url.Values{"csrf": {ctoken}, "current": {first}, "password": {"password1234"}}
	if rec := one.do("POST", "/konto/losenord", change); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(rec.Body.String()), "för vanligt") {
		t.Errorf("a common password: %d", rec.Code)
	}
	change.Set("password", "en ny och lång mening")
	change.Set("current", "inte det nuvarande")
	if rec := one.do("POST", "/konto/losenord", change); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a wrong current password: %d", rec.Code)
	}
	change.Set("current", first)
	change.Del("csrf")
	if rec := one.do("POST", "/konto/losenord", change); rec.Code != http.StatusForbidden {
		t.Errorf("change without CSRF: %d", rec.Code)
	}
	change.Set("csrf", ctoken)
	if rec := one.do("POST", "/konto/losenord", change); rec.Code != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", rec.Code, rec.Body.String())
	}
	if rec := one.do("GET", "/konto", nil); rec.Code != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", rec.Code)
	}
	if rec := two.do("GET", "/konto", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("the other session lives on: %d", rec.Code)
	}
	three := signIn("en ny och lång mening")

	// The user ends its other session itself.
	page = one.do("GET", "/konto", nil).Body.String()
	hashes := regexp.MustCompile(`name="session" value="([0-9a-f]+)"`).FindAllStringSubmatch(page, -1)
	if len(hashes) != 2 {
		t.Fatalf("%d sessions listed, want 2", len(hashes))
	}
	for _, hm := range hashes {
		if hm[1] != auth.TokenHash(one.cookies[sessionCookie]) {
			if rec := one.do("POST", "/konto/avsluta", url.Values{"csrf": {one.csrf("/konto")}, "session": {hm[1]}}); rec.Code != http.StatusSeeOther {
				t.Errorf("end a session: %d", rec.Code)
			}
		}
	}
	if rec := three.do("GET", "/konto", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("the ended session lives on: %d", rec.Code)
	}

	// The admin revokes a token, resets the password, disables and
	// re-enables the user, each form refused without its token.
	apiToken, err := handlerApp.CreateToken(t.Context(), "ny@nll.se", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	page = admin.do("GET", "/admin/anvandare/"+id, nil).Body.String()
	if !strings.Contains(page, auth.TokenHash(apiToken)) {
		t.Error("the token is not listed")
	}
	atoken := admin.csrf("/admin/anvandare/" + id)
	for _, path := range []string{"/avsluta", "/nytt-losenord", "/stang-av", "/aktivera"} {
		if rec := admin.do("POST", "/admin/anvandare/"+id+path, url.Values{"token": {auth.TokenHash(apiToken)}}); rec.Code != http.StatusForbidden {
			t.Errorf("%s without CSRF: %d", path, rec.Code)
		}
	}
	if rec := admin.do("POST", "/admin/anvandare/"+id+"/avsluta", url.Values{"csrf": {atoken}, "token": {auth.TokenHash(apiToken)}}); rec.Code != http.StatusSeeOther {
		t.Errorf("revoke the token: %d", rec.Code)
	}
	if _, err := handlerApp.TokenUser(t.Context(), apiToken); err == nil {
		t.Error("the revoked token still works")
	}
	rec = admin.do("POST", "/admin/anvandare/"+id+"/nytt-losenord", url.Values{"csrf": {atoken}})
	m = shownPassword.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := one.do("GET", "/konto", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("a session lives on after the reset: %d", rec.Code)
	}
	four := signIn(m[1])
	if rec := admin.do("POST", "/admin/anvandare/"+id+"/stang-av", url.Values{"csrf": {atoken}}); rec.Code != http.StatusSeeOther {
		t.Errorf("disable: %d", rec.Code)
	}
	if rec := four.do("GET", "/konto", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("a disabled user's session lives on: %d", rec.Code)
	}
	b := &browser{t: t, h: h, cookies: map[string]string{}}
	if rec := b.do("POST", "/logga-in", url.Values{"csrf": {b.csrf("/logga-in")}, "email": {"ny@nll.se"}, "password": {m[1]}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("a disabled user signs in: %d", rec.Code)
	}
	if rec := admin.do("POST", "/admin/anvandare/"+id+"/aktivera", url.Values{"csrf": {atoken}}); rec.Code != http.StatusSeeOther {
		t.Errorf("enable: %d", rec.Code)
	}
	signIn(m[1])
	if rec := admin.do("GET", "/admin/anvandare", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "ny@nll.se") {
		t.Errorf("list: %d", rec.Code)
	}
}
