package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/followup"
)

// Two listed persons in county 25, one with a named GP; four visits of
// p1, three to the named GP: 0.5 with a named GP, COC 0.5, UPC 0.75.
const (
	testListings = "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear\np1,25,E1,d1,0,K,1950\np2,25,E1,,1,M,1930\n"
	testVisits   = "patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\np1,2023-02-01,E1,d1,lakare,fysisk\np1,2023-03-01,E1,d1,lakare,fysisk\np1,2023-04-01,E1,d1,lakare,fysisk\np1,2023-05-01,E1,d2,lakare,fysisk\n"
)

var testFiles = map[string]string{"listings": testListings, "visits": testVisits}

// testValues are the form's other fields.
func testValues() map[string]string {
	return map[string]string{"from": "2023-01-01", "to": "2023-12-31", "by": "lan", "yrke": "lakare", "min_cell": "1"}
}

// upload posts the follow-up form as a browser does: the CSRF token first
// (unless token is ""), then the files, then the other fields.
func (b *browser) upload(token string, values, files map[string]string) *httptest.ResponseRecorder {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if token != "" {
		mw.WriteField("csrf", token)
	}
	for field, content := range files {
		fw, _ := mw.CreateFormFile(field, field+".csv")
		fw.Write([]byte(content))
	}
	for k, v := range values {
		mw.WriteField(k, v)
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/uppfoljning", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// startJob uploads and returns the job page's path.
func (b *browser) startJob(values, files map[string]string) string {
	b.t.Helper()
	rec := b.upload(b.csrf("/uppfoljning"), values, files)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !regexp.MustCompile(`^/uppfoljning/korning/[0-9a-f]{32}$`).MatchString(loc) {
		b.t.Fatalf("upload: %d %q\n%s", rec.Code, loc, rec.Body.String())
	}
	return loc
}

// waitJob polls the job page until the job is no longer running and
// returns the page.
func (b *browser) waitJob(path string) string {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec := b.do("GET", path, nil)
		if rec.Code == http.StatusSeeOther { // done: the saved run's page
			rec = b.do("GET", rec.Header().Get("Location"), nil)
		}
		page := rec.Body.String()
		if rec.Code != http.StatusOK {
			b.t.Fatalf("job page: %d\n%s", rec.Code, page)
		}
		if !strings.Contains(page, `data-job="running"`) {
			return page
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("job %s still running:\n%s", path, page)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// signedInAs adds a user and returns a browser signed in as them.
func signedInAs(t *testing.T, h http.Handler, email, org string, role auth.Role) *browser {
	t.Helper()
	if _, err := handlerApp.AddUser(context.Background(), email, "", org, role, "ett långt lösenord"); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, h: h, cookies: map[string]string{}}
	if rec := b.signIn(email); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, rec.Code)
	}
	return b
}

// checkIndicators checks the page shows the test files' indicators and
// returns the job id from the download link.
func checkIndicators(t *testing.T, page string) string {
	t.Helper()
	if !strings.Contains(page, `<th scope="row">Riket</th><td class="num">2</td><td class="num">1</td><td class="num">50,0 %</td>`) ||
		!strings.Contains(page, `<th scope="row">Norrbottens län</th>`) ||
		!strings.Contains(page, `<td class="num">0,50</td><td class="num">0,75</td>`) || !strings.Contains(page, "<svg") {
		t.Fatalf("no indicators:\n%s", page)
	}
	id := regexp.MustCompile(`/uppfoljning/([0-9a-f]+)/csv`).FindStringSubmatch(page)
	if id == nil {
		t.Fatal("no download link")
	}
	return id[1]
}

// tempDirs lists the follow-up upload directories left in dir.
func tempDirs(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "narvard-uppfoljning-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFollowUpJob(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h, _ := newHandler(t, nil)
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	if page := b.do("GET", "/uppfoljning", nil).Body.String(); strings.Contains(page, `name="mapp"`) || !strings.Contains(page, `name="listings" type="file" accept=".csv,.parquet,text/csv" required`) {
		t.Errorf("form without --uppfoljning-dir offers folders or lacks required files:\n%s", page)
	}
	path := b.startJob(testValues(), testFiles)
	id := checkIndicators(t, b.waitJob(path))
	if id != strings.TrimPrefix(path, "/uppfoljning/korning/") {
		t.Errorf("download id %s, job %s", id, path)
	}
	if left := tempDirs(t, tmp); len(left) > 0 {
		t.Errorf("upload directories left after the job: %v", left)
	}
	if rec := b.do("GET", "/uppfoljning/"+id+"/csv", nil); rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "grupp,period,listade") || !strings.Contains(rec.Body.String(), "riket,2023,2,1,0.5000") {
		t.Errorf("CSV download: %d %q", rec.Code, rec.Body.String())
	}
	if rec := b.do("GET", "/uppfoljning/"+id+"/xlsx", nil); rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "PK") {
		t.Errorf("XLSX download: %d", rec.Code)
	}

	// Another organisation's analyst sees neither the job nor the saved
	// run nor its downloads; a colleague sees the saved run but not the
	// job; an administrator sees both; an officer may not follow up at
	// all.
	saved := "/uppfoljning/resultat/" + id
	other := signedInAs(t, h, "b@socialstyrelsen.se", "socialstyrelsen", auth.Analyst)
	for _, p := range []string{path, saved, "/uppfoljning/" + id + "/csv"} {
		if rec := other.do("GET", p, nil); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "Riket") {
			t.Errorf("another organisation's analyst opens %s: %d", p, rec.Code)
		}
	}
	colleague := signedInAs(t, h, "c@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	if rec := colleague.do("GET", path, nil); rec.Code != http.StatusNotFound {
		t.Errorf("a colleague opens the job: %d", rec.Code)
	}
	if rec := colleague.do("GET", saved, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `<th scope="row">Riket</th>`) || strings.Contains(rec.Body.String(), "ta-bort") {
		t.Errorf("a colleague opens the saved run: %d", rec.Code)
	}
	admin := signedInAs(t, h, "admin@socialstyrelsen.se", "socialstyrelsen", auth.Admin)
	if page := admin.waitJob(path); !strings.Contains(page, `<th scope="row">Riket</th>`) || !strings.Contains(page, "ta-bort") {
		t.Errorf("admin opens the job:\n%s", page)
	}
	officer := signedInAs(t, h, "o@nll.se", "region-25", auth.RecipientOfficer)
	for _, p := range []string{"/uppfoljning", path} {
		if rec := officer.do("GET", p, nil); rec.Code != http.StatusForbidden {
			t.Errorf("officer opens %s: %d", p, rec.Code)
		}
	}
	if rec := b.do("GET", "/uppfoljning/korning/0123456789abcdef0123456789abcdef", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown job: %d", rec.Code)
	}

	// A file that cannot be read: the job fails with the file and line.
	path = b.startJob(testValues(), map[string]string{"listings": "patient_id,lan\np1,25\n", "visits": testVisits})
	if page := b.waitJob(path); !strings.Contains(page, "listings.csv:1:") || !strings.Contains(page, "error-summary") || regexp.MustCompile(`/uppfoljning/[0-9a-f]+/csv`).MatchString(page) {
		t.Errorf("failed job's page:\n%s", page)
	}
	// What is wrong with the form is said at once, without a job.
	values := testValues()
	values["to"] = "2022-12-31"
	if rec := b.upload(b.csrf("/uppfoljning"), values, testFiles); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Periodens sista dag ligger före dess första") {
		t.Errorf("period backwards: %d", rec.Code)
	}
	if rec := b.upload(b.csrf("/uppfoljning"), testValues(), map[string]string{"listings": testListings}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Välj filen med besök") {
		t.Errorf("visits missing: %d", rec.Code)
	}
	if left := tempDirs(t, tmp); len(left) > 0 {
		t.Errorf("upload directories left after refused forms: %v", left)
	}
}

func TestFollowUpCSRF(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h, _ := newHandler(t, nil)
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	if rec := b.upload("", testValues(), testFiles); rec.Code != http.StatusForbidden || rec.Header().Get("Location") != "" {
		t.Errorf("upload without a CSRF token: %d", rec.Code)
	}
	if rec := b.upload("fel", testValues(), testFiles); rec.Code != http.StatusForbidden {
		t.Errorf("upload with a wrong CSRF token: %d", rec.Code)
	}
	// The token must come first, before any file.
	values := testValues()
	values["csrf"] = b.csrf("/uppfoljning")
	if rec := b.upload("", values, testFiles); rec.Code != http.StatusForbidden {
		t.Errorf("upload with the CSRF token last: %d", rec.Code)
	}
	if left := tempDirs(t, tmp); len(left) > 0 {
		t.Errorf("refused uploads were saved: %v", left)
	}
	// Not signed in: to the sign-in page.
	anon := &browser{t: t, h: h, cookies: map[string]string{}}
	if rec := anon.upload("x", testValues(), testFiles); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/logga-in") {
		t.Errorf("upload without signing in: %d", rec.Code)
	}
}

// holdingCompute runs followup.Compute but stops the first time it
// reports stage, until release is closed.
func holdingCompute(stage followup.Stage, release <-chan struct{}) app.ComputeFunc {
	return func(ctx context.Context, in followup.Input, o followup.Options) (*followup.Result, error) {
		report := o.Progress
		var once sync.Once
		o.Progress = func(p followup.Progress) {
			report(p)
			if p.Stage == stage {
				once.Do(func() {
					select {
					case <-release:
					case <-ctx.Done():
					}
				})
			}
		}
		return followup.Compute(ctx, in, o)
	}
}

// TestFollowUpProgress holds two jobs while they read the visits: their
// pages show the stage, the share read and the time, and reload
// themselves; a third job is refused until one is done.
func TestFollowUpProgress(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	done := func() { once.Do(func() { close(release) }) }
	t.Cleanup(done)
	h, _ := newHandlerWith(t, nil, Options{compute: holdingCompute("besök", release)})
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	b2 := signedInAs(t, h, "u@socialstyrelsen.se", "socialstyrelsen", auth.FollowUp)
	b3 := signedInAs(t, h, "b@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	first := b.startJob(testValues(), testFiles)
	if rec := b.upload(b.csrf("/uppfoljning"), testValues(), testFiles); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "Du har redan en beräkning igång") {
		t.Errorf("a second job for the same user: %d", rec.Code)
	}
	second := b2.startJob(testValues(), testFiles)
	for _, job := range []struct {
		b    *browser
		path string
	}{{b, first}, {b2, second}} {
		b, path := job.b, job.path
		deadline := time.Now().Add(10 * time.Second)
		var page string
		for time.Now().Before(deadline) {
			page = b.do("GET", path, nil).Body.String()
			if strings.Contains(page, "Läser besök") {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		for _, want := range []string{`data-job="running"`, "Läser besök …", `<meta http-equiv="refresh" content="1">`, "Tid hittills: <span data-elapsed>", "listings.csv, visits.csv"} {
			if !strings.Contains(page, want) {
				t.Errorf("running job's page lacks %q:\n%s", want, page)
			}
		}
		if !regexp.MustCompile(`<progress id="framsteg" max="100" value="(\d+)">`).MatchString(page) || !regexp.MustCompile(`<span data-percent>\d+ %</span>`).MatchString(page) {
			t.Errorf("running job's page shows no share read:\n%s", page)
		}
		if strings.Contains(page, "<table") {
			t.Errorf("running job's page shows a table")
		}
		if rec := b.do("GET", "/uppfoljning/"+strings.TrimPrefix(path, "/uppfoljning/korning/")+"/csv", nil); rec.Code != http.StatusNotFound {
			t.Errorf("download of a running job: %d", rec.Code)
		}
	}
	rec := b3.upload(b3.csrf("/uppfoljning"), testValues(), testFiles)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Två beräkningar pågår redan") {
		t.Errorf("third job while two run: %d\n%s", rec.Code, rec.Body.String())
	}
	done()
	checkIndicators(t, b.waitJob(first))
	checkIndicators(t, b2.waitJob(second))
	if page := b.waitJob(first); strings.Contains(page, "http-equiv") {
		t.Error("finished job's page still reloads itself")
	}
	checkIndicators(t, b.waitJob(b.startJob(testValues(), testFiles)))
}

func TestFollowUpStageText(t *testing.T) {
	for p, want := range map[*followup.Progress]string{
		nil: "Startar beräkningen …",
		{Stage: followup.StageVisits, Done: 50, Total: 200}: "Läser besök …",
		{Stage: followup.StageListings}:                     "Läser listningar …",
		{Stage: followup.StageCompute}:                      "Beräknar indikatorerna …",
	} {
		if got := stageText(p); got != want {
			t.Errorf("stage text %q, want %q", got, want)
		}
	}
	for d, want := range map[time.Duration]string{4 * time.Second: "4 s", 125 * time.Second: "2 min 05 s", 3723 * time.Second: "1 h 02 min"} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestFollowUpFolder runs a job on a folder on the server and refuses
// any name that is not one of its listed subfolders.
func TestFollowUpFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2023/listings.csv", testListings)
	write("2023/visits.csv", testVisits)
	write("bara-listningar/listings.csv", testListings)
	write("x/listings.csv", testListings) // "../x" from a folder would reach this if paths were joined blindly
	write("x/visits.csv", testVisits)
	if err := os.Mkdir(filepath.Join(dir, "tom"), 0o755); err != nil {
		t.Fatal(err)
	}
	h, _ := newHandlerWith(t, nil, Options{FollowUpDir: filepath.Join(dir, "")})
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	form := b.do("GET", "/uppfoljning", nil).Body.String()
	if !strings.Contains(form, `<option value="2023">2023 (listings.csv, visits.csv)</option>`) || strings.Contains(form, `value="tom"`) || strings.Contains(form, `value="bara-listningar"`) {
		t.Errorf("folders offered:\n%s", form)
	}
	if strings.Contains(form, `accept=".csv,.parquet,text/csv" required`) {
		t.Error("file inputs required although a folder may be chosen")
	}
	values := testValues()
	values["mapp"] = "2023"
	checkIndicators(t, b.waitJob(b.startJob(values, nil)))
	if _, err := os.Stat(filepath.Join(dir, "2023", "visits.csv")); err != nil {
		t.Errorf("the folder's file after the job: %v", err)
	}
	for _, name := range []string{"../x", "2023/../x", "/etc", "tom", "bara-listningar", ".", ".."} {
		values["mapp"] = name
		if rec := b.upload(b.csrf("/uppfoljning"), values, nil); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Okänd mapp") {
			t.Errorf("folder %q: %d", name, rec.Code)
		}
	}
	values["mapp"] = "2023"
	if rec := b.upload(b.csrf("/uppfoljning"), values, testFiles); rec.Code != http.StatusBadRequest {
		t.Errorf("both a folder and files: %d", rec.Code)
	}

	// Without --uppfoljning-dir no folder is offered or accepted.
	plain, _ := newHandler(t, nil)
	pb := signedInAs(t, plain, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	if rec := pb.upload(pb.csrf("/uppfoljning"), values, nil); rec.Code != http.StatusBadRequest {
		t.Errorf("folder without --uppfoljning-dir: %d", rec.Code)
	}
}
