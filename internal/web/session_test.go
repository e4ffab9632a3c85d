package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/grant"
)

// browser is a cookie-keeping client against the handler.
type browser struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]string
}

func (b *browser) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return rec
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) csrf(path string) string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(b.do("GET", path, nil).Body.String())
	if m == nil {
		b.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

func (b *browser) signIn(email string) *httptest.ResponseRecorder {
	b.t.Helper()
	token := b.csrf("/logga-in")
	return b.do("POST", "/logga-in", url.Values{"csrf": {token}, "email": {email}, "password": {"ett långt lösenord"}, "next": {"/start"}})
}

func TestSignInCSRFAndRoles(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	ctx := context.Background()
	for _, u := range []struct {
		email, org string
		role       auth.Role
	}{{"o@nll.se", "region-25", auth.RecipientOfficer}, {"o@vll.se", "region-24", auth.RecipientOfficer}} {
		if _, err := a.AddUser(ctx, u.email, "", u.org, u.role, "ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
	}
	b := &browser{t: t, h: h, cookies: map[string]string{}}
	if rec := b.do("GET", "/start", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/logga-in?next=") {
		t.Errorf("start without signing in: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := b.do("POST", "/logga-in", url.Values{"email": {"o@nll.se"}, "password": {"ett långt lösenord"}}); rec.Code != http.StatusForbidden {
		t.Errorf("sign-in without CSRF token: %d", rec.Code)
	}
	if rec := b.signIn("o@nll.se"); rec.Code != http.StatusSeeOther || b.cookies[sessionCookie] == "" {
		t.Fatalf("sign in: %d", rec.Code)
	}
	if rec := b.do("POST", "/rekvisitioner/ny", url.Values{"amount_kr": {"1"}}); rec.Code != http.StatusForbidden {
		t.Errorf("form without CSRF token: %d", rec.Code)
	}
	if rec := b.do("GET", "/kammarkollegiet", nil); rec.Code != http.StatusForbidden {
		t.Errorf("officer opens the payer's work list: %d", rec.Code)
	}
	if rec := b.do("GET", "/oversikt", nil); rec.Code != http.StatusForbidden {
		t.Errorf("officer opens the matrix: %d", rec.Code)
	}
	token := b.csrf("/rekvisitioner/ny")
	form := url.Values{"csrf": {token}, "amount_kr": {"1 000"}, "period_from": {"2023-01-01"}, "period_to": {"2023-12-31"},
		"account.type": {"bankgiro"}, "account.number": {"5050-1056"}, "payment_reference": {"X"}, "contact.name": {"A"},
		"contact.email": {"a@nll.se"}, "contact.phone": {"1"}, "agreement_dnr": {"S1"}, "payment_decision_dnr": {"S2"}}
	rec := b.do("POST", "/rekvisitioner/ny", form)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Bankgironumret är inte giltigt") || !strings.Contains(rec.Body.String(), `value="1 000"`) {
		t.Errorf("bad bankgiro: %d", rec.Code)
	}
	form.Set("account.number", "5050-1055")
	rec = b.do("POST", "/rekvisitioner/ny", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", rec.Code, rec.Body.String())
	}
	path := rec.Header().Get("Location")
	reqs, _ := a.Requisitions(ctx, auth.Actor{Role: auth.Payer}, storeFilter("gnv-2023", "region-25"))
	if len(reqs) != 1 || reqs[0].Amount != 1000 || reqs[0].Status != grant.Draft {
		t.Fatalf("saved requisitions = %+v", reqs)
	}
	other := &browser{t: t, h: h, cookies: map[string]string{}}
	other.signIn("o@vll.se")
	if rec := other.do("GET", path, nil); rec.Code != http.StatusForbidden {
		t.Errorf("another region's officer opens the requisition: %d", rec.Code)
	}
	if rec := b.do("POST", "/logga-ut", url.Values{"csrf": {token}}); rec.Code != http.StatusSeeOther {
		t.Errorf("sign out: %d", rec.Code)
	}
	if rec := b.do("GET", "/start", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("start after signing out: %d", rec.Code)
	}
}

// TestSignInFormHardened: the sign-in form's token must be one this
// server made (a made-up cookie and field matching each other are
// refused), it must come first, and the body is refused beyond 4 KB
// before it is read; pages, documents and downloads are not cached; a
// proxy's header does not make a cookie Secure unless the proxy is trusted
// (httpserve.Transport).
func TestSignInFormHardened(t *testing.T) {
	h, _ := newHandler(t, nil)
	if _, err := handlerApp.AddUser(context.Background(), "o@nll.se", "", "region-25", auth.RecipientOfficer, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	post := func(body string, cookie string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/logga-in", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: loginCookie, Value: cookie})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const madeUp = "bW9ja2VkLXRva2Vu"
	creds := "&email=o%40nll.se&password=ett+l%C3%A5ngt+l%C3%B6senord"
	if rec := post("csrf="+madeUp+creds, madeUp); rec.Code != http.StatusForbidden {
		t.Errorf("a made-up token: %d", rec.Code)
	}
	b := &browser{t: t, h: h, cookies: map[string]string{}}
	token := b.csrf("/logga-in")
	if rec := post("email=o%40nll.se&csrf="+url.QueryEscape(token)+"&password=x", token); rec.Code != http.StatusForbidden {
		t.Errorf("the token not first: %d", rec.Code)
	}
	if rec := post("csrf="+url.QueryEscape(token)+creds+"&pad="+strings.Repeat("x", 5000), token); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 5 KB body: %d", rec.Code)
	}
	req := httptest.NewRequest("POST", "/logga-in", strings.NewReader(strings.Repeat("x", 64<<10)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 64 KB body: %d", rec.Code)
	}
	rec = post("csrf="+url.QueryEscape(token)+creds, token)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", rec.Code)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Secure {
			t.Error("X-Forwarded-Proto from an untrusted client made the cookie Secure")
		}
	}
	b.signIn("o@nll.se")
	for _, path := range []string{"/start", "/konto", "/logga-in", "/overenskommelser/gnv-2023"} {
		if cc := b.do("GET", path, nil).Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
	}
}
