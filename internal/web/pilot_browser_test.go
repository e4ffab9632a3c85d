package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"narvard/internal/browsertest"
)

// pilot drives one Chromium through the pages as one person after
// another: sign in, open a page, fill in fields, press a button and wait
// for the next page.
type pilot struct {
	t    *testing.T
	b    context.Context
	base string
}

func newPilot(t *testing.T, base string) *pilot {
	return &pilot{t: t, b: browsertest.New(t), base: base}
}

func (p *pilot) run(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.b, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// text is the text of the first element sel matches.
func (p *pilot) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.b, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text %s: %v", sel, err)
	}
	return s
}

// attr is an attribute of the first element sel matches.
func (p *pilot) attr(sel, name string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.b, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		p.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return v.Value
}

// count is how many elements sel matches.
func (p *pilot) count(sel string) int {
	p.t.Helper()
	return browsertest.Eval[int](p.t, p.b, `document.querySelectorAll(`+strconv.Quote(sel)+`).length`)
}

// set fills in fields by CSS selector.
func (p *pilot) set(pairs ...string) {
	p.t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		p.run(chromedp.SetValue(chromedp.CSS(pairs[i]), pairs[i+1]))
	}
}

// submit presses a button that sends a form and waits until the next page
// has loaded and shows want.
func (p *pilot) submit(button, want string) {
	p.t.Helper()
	browsertest.Eval[bool](p.t, p.b, `window.__before = true`)
	p.run(chromedp.Click(chromedp.CSS(button)))
	waitLoaded(p.t, p.b, want)
}

// open goes to a path and waits until the page shows want.
func (p *pilot) open(path, want string) {
	p.t.Helper()
	p.run(chromedp.Navigate(p.base + path))
	waitLoaded(p.t, p.b, want)
}

// location is the page's address, without the base.
func (p *pilot) location() string {
	p.t.Helper()
	u, err := chromedp.Run(p.b, chromedp.Location())
	if err != nil {
		p.t.Fatal(err)
	}
	return u[len(p.base):]
}

// fetch gets a path with the signed-in session: the status and the body.
func (p *pilot) fetch(path string) (int, string) {
	p.t.Helper()
	out, err := chromedp.Run(p.b, chromedp.Evaluate[[]any](`fetch(`+strconv.Quote(path)+`).then(async r => [r.status, await r.text()])`, chromedp.EvalAwaitPromise))
	if err != nil || len(out) != 2 {
		p.t.Fatalf("fetch %s: %v", path, err)
	}
	status, _ := out[0].(float64)
	body, _ := out[1].(string)
	return int(status), body
}

func (p *pilot) signIn(email string) {
	p.t.Helper()
	p.open("/logga-in", "#email")
	p.set("#email", email, "#password", "ett långt lösenord")
	p.submit("main form button[type=submit]", "nav.user .who")
}

func (p *pilot) signOut() {
	p.t.Helper()
	p.submit("nav.user button", "nav.user a[href='/logga-in']")
}
