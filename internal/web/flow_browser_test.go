package web_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"narvard/internal/auth"
	"narvard/internal/browsertest"
	"narvard/internal/web"
)

// TestBrowserRequisitionToPayment signs in as five people in a real
// Chromium and walks a requisition through the pages: the officer drafts
// it (with a bad bankgiro number first), the signatory signs, the admin
// gives Kammarkollegiet its account (with a bad IBAN first), the payer
// approves and batches, a second payer attests, fetches the payment file
// and confirms the payment, and the officer's start page and the matrix
// show it paid.
func TestBrowserRequisitionToPayment(t *testing.T) {
	ctx := context.Background()
	a := newBrowserApp(t)
	for _, u := range []struct {
		email string
		role  auth.Role
		org   string
	}{
		{"officer@nll.se", auth.RecipientOfficer, "region-25"},
		{"sign@nll.se", auth.Signatory, "region-25"},
		{"pay@kk.se", auth.Payer, "kammarkollegiet"},
		{"attest@kk.se", auth.Payer, "kammarkollegiet"},
		{"admin@kk.se", auth.Admin, "kammarkollegiet"},
	} {
		if _, err := a.AddUser(ctx, u.email, "Namn "+u.email, u.org, u.role, "ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
	}
	base := browsertest.Serve(t, web.New(a, nil, web.Options{}))
	b := browsertest.New(t)
	text := func(sel string) string {
		s, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text %s: %v", sel, err)
		}
		return s
	}
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatal(err)
		}
	}
	// submit clicks a button that sends a form and waits until the next
	// page has loaded and shows want.
	submit := func(button, want string) {
		t.Helper()
		browsertest.Eval[bool](t, b, `window.__before = true`)
		run(chromedp.Click(chromedp.CSS(button)))
		waitLoaded(t, b, want)
	}
	open := func(path, want string) {
		t.Helper()
		run(chromedp.Navigate(base + path))
		waitLoaded(t, b, want)
	}
	signIn := func(email string) {
		t.Helper()
		open("/logga-in", "#email")
		run(chromedp.SetValue(chromedp.CSS("#email"), email), chromedp.SetValue(chromedp.CSS("#password"), "ett långt lösenord"))
		submit("main form button[type=submit]", "nav.user .who")
	}
	signOut := func() {
		t.Helper()
		submit("nav.user button", "nav.user a[href='/logga-in']")
	}

	signIn("officer@nll.se")
	if !strings.Contains(text("[data-next]"), "Skriv rekvisition") {
		t.Errorf("start page: %q", text("[data-next]"))
	}
	// Bilaga 3 binds; for Region Norrbotten it departs from the exact
	// computation (128 206 538 kr) by −114 364 kr, all in Nära vård.
	if got := browsertest.Eval[string](t, b, `document.querySelector('[data-status] [data-kr]').dataset.kr + ' ' +
		document.querySelector('[data-computed]').dataset.computed + ' ' + document.querySelector('[data-departure]').dataset.departure`); got != "128092174 128206538 -114364" {
		t.Errorf("start page allocation, computed, departure: %q", got)
	}
	head := text("[data-components] thead")
	for _, want := range []string{"Enligt bilaga", "Beräknat enligt nyckeln", "Skillnad"} {
		if !strings.Contains(head, want) {
			t.Errorf("component table head %q lacks %q", head, want)
		}
	}
	if row := text("[data-components] tr[data-component=nara_vard]"); !strings.Contains(row, "64 668 499") || !strings.Contains(row, "64 782 863") || !strings.Contains(row, "-114 364") {
		t.Errorf("Nära vård row: %q", row)
	}
	if foot := text("[data-components] tfoot"); !strings.Contains(foot, "128 092 174") || !strings.Contains(foot, "128 206 538") {
		t.Errorf("component table total: %q", foot)
	}
	open("/rekvisitioner/ny", "form.form")
	run(chromedp.SetValue(chromedp.CSS("#f-account\\.number"), "5050-1056"),
		chromedp.SetValue(chromedp.CSS("#f-payment_reference"), "GNV 2023"),
		chromedp.SetValue(chromedp.CSS("#f-contact\\.phone"), "0920-123 45"),
		chromedp.SetValue(chromedp.CSS("#f-agreement_dnr"), "S2023/00417"),
		chromedp.SetValue(chromedp.CSS("#f-payment_decision_dnr"), "S2023/03102"))
	submit("form.form button[type=submit]", ".error-summary")
	if msg := text("#e-account\\.number"); !strings.Contains(msg, "Bankgironumret") {
		t.Errorf("bankgiro message: %q", msg)
	}
	run(chromedp.SetValue(chromedp.CSS("#f-account\\.number"), "5050-1055"))
	submit("form.form button[type=submit]", "[data-status]")
	url, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text("[data-status]"), "utkast") {
		t.Fatalf("after saving: %q at %s", text("[data-status]"), url)
	}
	signOut()

	signIn("sign@nll.se")
	run(chromedp.Navigate(url))
	waitLoaded(t, b, "form[action$=signera]")
	submit("form[action$=signera] button", "[data-confirm-form]")
	submit("[data-confirm-form] button[type=submit]", "[data-status]")
	if !strings.Contains(text("[data-status]"), "inskickad") {
		t.Fatalf("after signing: %q", text("[data-status]"))
	}
	signOut()

	signIn("admin@kk.se")
	submit("nav.user a[href='/admin/organisationer']", "[data-table=agencies]")
	if row := text("[data-table=agencies]"); !strings.Contains(row, "Inget konto angivet") {
		t.Errorf("agencies without accounts: %q", row)
	}
	submit("[data-table=agencies] a[href='/admin/organisationer/kammarkollegiet']", "#f-account\\.number")
	run(chromedp.SetValue(chromedp.CSS("#f-account\\.type"), "iban"),
		chromedp.SetValue(chromedp.CSS("#f-account\\.number"), "SE45 5000 0000 0583 9825 7467"),
		chromedp.SetValue(chromedp.CSS("#f-account\\.bic"), "ESSESESS"))
	submit("form.form button[type=submit]", ".error-summary")
	if msg := text(".error-summary"); !strings.Contains(msg, "Bankgironummer eller IBAN: IBAN är inte giltigt") {
		t.Errorf("IBAN message: %q", msg)
	}
	if kept := browsertest.Eval[string](t, b, `document.querySelector('#f-account\\.number').value + ' ' + document.querySelector('#f-account\\.type').value`); kept != "SE45 5000 0000 0583 9825 7467 iban" {
		t.Errorf("the form did not keep what was typed: %q", kept)
	}
	run(chromedp.SetValue(chromedp.CSS("#f-account\\.number"), "SE45 5000 0000 0583 9825 7466"))
	submit("form.form button[type=submit]", "[data-table=agencies]")
	if row := text("[data-table=agencies]"); !strings.Contains(row, "IBAN SE4550000000058398257466 (BIC ESSESESS)") {
		t.Errorf("agency account: %q", row)
	}
	signOut()

	signIn("pay@kk.se")
	open("/kammarkollegiet", "[data-table=submitted] a")
	submit("[data-table=submitted] a", "form[action$=godkann]")
	submit("form[action$=godkann] button", "[data-confirm-form]")
	submit("[data-confirm-form] button[type=submit]", "[data-table=approved]")
	submit("form[action='/betalningar'] button", "[data-batch-status]")
	open("/kammarkollegiet", "[data-table=batches] [data-cell=maker]")
	if cell := text("[data-table=batches] [data-cell=attester]"); !strings.Contains(cell, "Väntar på attest") {
		t.Errorf("the maker is offered to attest: %q", cell)
	}
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll('[data-table=batches] a[href$="pain.001"], form[action$=bekrafta], form[action$=attestera]').length`); n != 0 {
		t.Errorf("an unattested batch offers %d file links, confirmations or attestations to its maker", n)
	}
	signOut()

	signIn("attest@kk.se")
	open("/kammarkollegiet", "form[action$=attestera]")
	if cell := text("[data-table=batches] [data-cell=maker]"); !strings.Contains(cell, "Namn pay@kk.se") {
		t.Errorf("maker: %q", cell)
	}
	submit("form[action$=attestera] button", "[data-table=batches] a[href$='pain.001']")
	if cell := text("[data-table=batches] [data-cell=attester]"); !strings.Contains(cell, "Namn attest@kk.se") {
		t.Errorf("attester: %q", cell)
	}
	attr := func(sel, name string) string {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.AttributeValue(chromedp.CSS(sel), name))
		if err != nil {
			t.Fatal(err)
		}
		return v.Value
	}
	href := attr("[data-table=batches] a[href$='pain.001']", "href")
	if !strings.HasSuffix(href, "/pain.001") {
		t.Errorf("payment file link %q", href)
	}
	file, err := chromedp.Run(b, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href)+`).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(file, "<CstmrCdtTrfInitn>") || !strings.Contains(file, "<IBAN>SE4550000000058398257466</IBAN>") || !strings.Contains(file, "<BIC>ESSESESS</BIC>") {
		t.Errorf("payment file: %.2000q", file)
	}
	if cookies := browsertest.Eval[string](t, b, `document.cookie`); strings.Contains(cookies, "narvard_session") {
		t.Error("session cookie readable by scripts")
	}
	submit("form[action$=bekrafta] button", "[data-confirm-form]")
	submit("[data-confirm-form] button[type=submit]", "[data-table=batches]")
	open("/oversikt", "[data-table=matrix]")
	al, _ := a.Allocation("gnv-2023", "region-25")
	if paid := attr("tr[data-recipient=region-25] [data-paid]", "data-paid"); paid != strconv.FormatInt(int64(al.Total()), 10) {
		t.Errorf("matrix paid %q, want %d", paid, al.Total())
	}
	signOut()

	signIn("officer@nll.se")
	open("/start", "[data-next]")
	if next := text("[data-next]"); !strings.Contains(next, "Utbetald 2023-11-15") {
		t.Errorf("officer's start page after payment: %q", next)
	}
	if dir := os.Getenv("NARVARD_SCREENSHOT_DIR"); dir != "" {
		browsertest.Screenshot(t, b, base+"/start", 1280, filepath.Join(dir, "flode-start.png"))
		browsertest.Screenshot(t, b, url, 1280, filepath.Join(dir, "flode-rekvisition.png"))
		browsertest.Screenshot(t, b, base+"/rekvisitioner/ny", 1280, filepath.Join(dir, "flode-formular.png"))
	}
	// The payment file itself answers for the payer only.
	resp, err := http.Get(base + href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "CstmrCdtTrfInitn") {
		t.Error("payment file served without signing in")
	}
}

// waitLoaded waits until a new page (one without the marker the caller
// set) has loaded and has an element matching want.
func waitLoaded(t *testing.T, b context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b, chromedp.Evaluate[bool](`!window.__before && document.readyState === "complete" && !!document.querySelector(`+strconv.Quote(want)+`)`))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("page with %s did not load", want)
}
