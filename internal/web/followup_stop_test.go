package web

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
)

// TestFollowUpCancel stops a running job from its page: the owner can,
// another user cannot; the page then says so and the upload is gone.
func TestFollowUpCancel(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	never := make(chan struct{})
	h, _ := newHandlerWith(t, nil, Options{compute: holdingCompute("besök", never)})
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	other := signedInAs(t, h, "u@socialstyrelsen.se", "socialstyrelsen", auth.FollowUp)
	path := b.startJob(testValues(), testFiles)
	page := b.do("GET", path, nil).Body.String()
	if !strings.Contains(page, `action="`+path+`/avbryt"`) || !strings.Contains(page, "Avbryt beräkningen") {
		t.Fatalf("running job's page has no cancel button:\n%s", page)
	}
	if rec := other.do("POST", path+"/avbryt", url.Values{"csrf": {other.csrf("/uppfoljning")}}); rec.Code != http.StatusNotFound {
		t.Errorf("another user cancels the job: %d", rec.Code)
	}
	if rec := b.do("POST", path+"/avbryt", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("cancel without the CSRF token: %d", rec.Code)
	}
	if rec := b.do("POST", path+"/avbryt", url.Values{"csrf": {b.csrf(path)}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path {
		t.Fatalf("cancel: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if page := b.waitJob(path); !strings.Contains(page, "Beräkningen avbröts") {
		t.Errorf("cancelled job's page:\n%s", page)
	}
	if left := tempDirs(t, tmp); len(left) > 0 {
		t.Errorf("upload directories left after the cancel: %v", left)
	}
	// The slot is free again.
	b.startJob(testValues(), testFiles)
}

// TestUploadIdle: an upload that stops sending after its CSRF token is
// dropped after the idle limit, with a message, and leaves nothing behind.
func TestUploadIdle(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h, _ := newHandlerWith(t, nil, Options{uploadIdle: 300 * time.Millisecond})
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	token := b.csrf("/uppfoljning")
	srv := httptest.NewServer(h)
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const boundary = "grans1234"
	start := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name=\"visits\"; filename=\"visits.csv\"\r\n\r\npatient_id,datum\r\n",
		boundary, token, boundary)
	var cookies []string
	for k, v := range b.cookies {
		cookies = append(cookies, k+"="+v)
	}
	fmt.Fprintf(conn, "POST /uppfoljning HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: 100000\r\n\r\n%s",
		strings.Join(cookies, "; "), boundary, start)
	// Without the idle limit the server would wait for the body for the
	// upload's two hours; the answer must come long before this deadline.
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled upload: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "inget kom fram") {
		t.Errorf("stalled upload: %d\n%s", resp.StatusCode, body)
	}
	if left := tempDirs(t, tmp); len(left) > 0 {
		t.Errorf("upload directories left: %v", left)
	}
}

// TestRemoveLeftoverUploads removes the directories of servers that no
// longer run, and keeps this one's.
func TestRemoveLeftoverUploads(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	mine, err := newUploadDir()
	if err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(tmp, uploadPrefix+"999999999-1234")
	old := filepath.Join(tmp, uploadPrefix+"5678")
	for _, dir := range []string{dead, old} {
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if n := RemoveLeftoverUploads(slog.New(slog.DiscardHandler)); n != 2 {
		t.Errorf("removed %d, want 2", n)
	}
	left := tempDirs(t, tmp)
	if len(left) != 1 || left[0] != mine {
		t.Errorf("left %v, want only %s", left, mine)
	}
}
