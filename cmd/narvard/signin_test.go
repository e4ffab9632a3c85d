package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// signInWait is the wait the tests configure (serve --signin-wait).
const signInWait = 2 * time.Second

// client is an HTTP client whose connections come from the loopback
// address from (127.0.0.2, 127.0.1.7, …), so the server sees a different
// client address for each.
func client(from string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       60 * time.Second,
	}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signInForm fetches the sign-in form: its CSRF token and cookie.
func signInForm(t *testing.T, c *http.Client, base string) (token string, cookie *http.Cookie) {
	t.Helper()
	resp, err := c.Get(base + "/logga-in")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := csrfInput.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no csrf token on the sign-in page")
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "narvard_login" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("no sign-in cookie")
	}
	return strings.ReplaceAll(string(m[1]), "&#43;", "+"), cookie
}

// signInResult is one sign-in's answer.
type signInResult struct {
	status     int
	retryAfter string
	session    bool
	took       time.Duration
	err        error
}

func postSignIn(c *http.Client, base, token string, cookie *http.Cookie, email, password string, header http.Header) signInResult {
	body := "csrf=" + url.QueryEscape(token) + "&" + url.Values{"email": {email}, "password": {password}, "next": {"/start"}}.Encode()
	req, _ := http.NewRequest("POST", base+"/logga-in", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	req.AddCookie(cookie)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return signInResult{err: err}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	r := signInResult{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), took: time.Since(start)}
	for _, ck := range resp.Cookies() {
		r.session = r.session || (ck.Name == "narvard_session" && ck.Value != "")
	}
	return r
}

// peakRSS is the process's peak resident memory (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// startSignInServer starts `narvard serve` with a frozen business clock
// and the tests' wait, and returns its base URL and process.
func startSignInServer(t *testing.T, bin, dir string) (string, *exec.Cmd) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", addr, "--now", "2023-11-15T10:00:00+01:00", "--signin-wait", signInWait.String())
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server did not start")
	return "", nil
}

// TestSignInUnderAttack runs the real server and (1) fires 50 parallel
// sign-ins, each from its own address: the server stays under 500 MB and
// each answer comes within the configured wait plus slack; (2) guesses at
// one account from one address until the limit, then fires 50 parallel
// guesses with the right password among them: none signs in, while the
// owner signs in from another address.
func TestSignInUnderAttack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin := buildNarvard(t)
	dir := t.TempDir()
	const password = "ett långt lösenord"
	cli(t, bin, password+"\n", "user", "add", "--data", dir, "--email", "offer@region25.se", "--org", "region-25", "--role", "signatory")
	base, srv := startSignInServer(t, bin, dir)

	// (1) 50 parallel sign-ins from 50 addresses, the right password for
	// the real user from some, unknown users from the others.
	var wg sync.WaitGroup
	results := make([]signInResult, 50)
	type form struct {
		c      *http.Client
		token  string
		cookie *http.Cookie
	}
	forms := make([]form, 50)
	for i := range forms {
		c := client(fmt.Sprintf("127.0.1.%d", i+1))
		token, cookie := signInForm(t, c, base)
		forms[i] = form{c, token, cookie}
	}
	start := make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			email, pw := fmt.Sprintf("okand%d@region25.se", i), "fel lösenord "+strconv.Itoa(i)
			if i%10 == 0 {
				email, pw = "offer@region25.se", password
			}
			results[i] = postSignIn(forms[i].c, base, forms[i].token, forms[i].cookie, email, pw, nil)
		}()
	}
	close(start)
	wg.Wait()
	rss := peakRSS(t, srv.Process.Pid)
	t.Logf("peak RSS after 50 parallel sign-ins: %d MB", rss>>20)
	if rss >= 500<<20 {
		t.Errorf("peak RSS %d MB, want under 500 MB", rss>>20)
	}
	// A hash takes well under a second alone; four at once on two cores
	// a few. Generous slack, no flaky timing: the bound is what matters.
	const slack = 15 * time.Second
	busy, ok := 0, 0
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("sign-in %d: %v", i, r.err)
		case r.took > signInWait+slack:
			t.Errorf("sign-in %d took %v, more than the wait %v and %v slack", i, r.took, signInWait, slack)
		case r.status == http.StatusServiceUnavailable:
			busy++
			if r.retryAfter == "" {
				t.Errorf("sign-in %d: 503 without Retry-After", i)
			}
		case r.status == http.StatusSeeOther && r.session:
			ok++
		case r.status != http.StatusUnauthorized:
			t.Errorf("sign-in %d: status %d", i, r.status)
		}
	}
	t.Logf("50 parallel sign-ins: %d signed in, %d busy (503), %d refused", ok, busy, 50-ok-busy)

	// (2) The attacker at 127.0.0.2 guesses until it is held back.
	attacker := client("127.0.0.2")
	token, cookie := signInForm(t, attacker, base)
	held := false
	for i := range 20 {
		r := postSignIn(attacker, base, token, cookie, "offer@region25.se", "gissning nummer "+strconv.Itoa(i), nil)
		if r.status == http.StatusTooManyRequests {
			if r.retryAfter == "" {
				t.Error("429 without Retry-After")
			}
			held = true
			break
		}
		if r.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d", i, r.status)
		}
	}
	if !held {
		t.Fatal("20 wrong guesses were never held back")
	}
	owner := client("127.0.0.3")
	ownerToken, ownerCookie := signInForm(t, owner, base)
	guesses := make([]signInResult, 50)
	var ownerResult signInResult
	start = make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			pw := "gissning " + strconv.Itoa(i)
			var h http.Header
			if i == 17 || i == 33 {
				pw = password
			}
			if i == 33 { // a made-up proxy header is not believed
				h = http.Header{"X-Forwarded-For": {"127.0.0.9"}}
			}
			guesses[i] = postSignIn(attacker, base, token, cookie, "offer@region25.se", pw, h)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		time.Sleep(20 * time.Millisecond) // in the middle of the guesses
		ownerResult = postSignIn(owner, base, ownerToken, ownerCookie, "offer@region25.se", password, nil)
	}()
	close(start)
	wg.Wait()
	for i, r := range guesses {
		if r.err != nil || r.session || r.status != http.StatusTooManyRequests {
			t.Errorf("guess %d after the limit: status %d, signed in %v, %v", i, r.status, r.session, r.err)
		}
	}
	if ownerResult.status != http.StatusSeeOther || !ownerResult.session {
		t.Errorf("the owner from another address: status %d, signed in %v, %v", ownerResult.status, ownerResult.session, ownerResult.err)
	}
	_ = context.Background
}
