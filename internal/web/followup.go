package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"narvard/internal/auth"
	"narvard/internal/followup"
)

func mayFollowUp(a auth.Actor) bool {
	return a.Role == auth.Analyst || a.Role == auth.FollowUp || a.Role == auth.Admin || a.Role == auth.Auditor
}

const followUpOnly = "Uppföljningen är för analytiker och Socialstyrelsens uppföljare."

// followupView is the follow-up page: the form, and the indicators with
// the goals when a job is done.
type followupView struct {
	Error   string
	Result  *followup.Result
	ID      string
	By      string
	Bars    []bar
	Goals   string
	Elapsed string
	// HasDir is whether --uppfoljning-dir is set; Folders are its
	// subfolders with an extract.
	HasDir  bool
	Folders []folder
}

// jobView is the page of a job still running.
type jobView struct {
	Stage    string
	Files    string
	HasTotal bool
	Percent  int64
	Elapsed  string
}

// bar is one group's named-GP share, drawn as an SVG bar against the goal.
type bar struct {
	Group    string
	Share    string
	Width    int // per mille of the chart's width
	Y        int
	Suppress bool
	Reached  bool
}

// formView is the form as it is shown: with the server's folders, if any.
func (s *server) formView(by string) followupView {
	v := followupView{By: by, HasDir: s.followupDir != ""}
	if v.HasDir {
		folders, err := listFolders(s.followupDir)
		if err != nil {
			s.log.Warn("uppföljningens mapp kunde inte läsas", "dir", s.followupDir, "err", err)
		}
		v.Folders = folders
	}
	return v
}

func (s *server) followupForm(w http.ResponseWriter, r *http.Request, sess *session) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, followUpOnly)
		return
	}
	s.render(w, r, http.StatusOK, "followup.html", "Uppföljning", s.formView(followup.ByLan))
}

// followupRun starts a job on the uploaded files, or on a folder on the
// server, and sends the user to the job's page. The CSRF token has been
// checked by signedInUpload; the files are streamed to a private
// directory that is removed when the job ends.
func (s *server) followupRun(w http.ResponseWriter, r *http.Request, sess *session, mr *multipart.Reader) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, followUpOnly)
		return
	}
	fail := func(status int, by string, err error) {
		v := s.formView(by)
		v.Error = capitalize(err.Error())
		s.render(w, r, status, "followup.html", "Uppföljning", v)
	}
	if !s.followups.reserve() {
		w.Header().Set("Retry-After", "60")
		fail(http.StatusServiceUnavailable, followup.ByLan, fmt.Errorf("två beräkningar pågår redan. Vänta tills någon av dem är klar och försök sedan igen"))
		return
	}
	started := false
	defer func() {
		if !started {
			s.followups.release()
		}
	}()
	tmp, err := os.MkdirTemp("", "narvard-uppfoljning-")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer func() {
		if !started {
			os.RemoveAll(tmp)
		}
	}()
	form, err := readUpload(mr, tmp)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, errTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		fail(status, followup.ByLan, err)
		return
	}
	by := form.values["by"]
	j := &job{owner: sess.Actor().UserID, by: by, done: make(chan struct{})}
	in, closers, status, err := s.jobInput(form)
	if err != nil {
		fail(status, by, err)
		return
	}
	o, err := jobOptions(form.values)
	if err != nil {
		closeAll(closers)
		fail(http.StatusUnprocessableEntity, by, err)
		return
	}
	j.files = strings.Join(slices.DeleteFunc([]string{in.ListingsName, in.VisitsName, in.CliniciansName}, func(n string) bool { return n == "" }), ", ")
	j.started = time.Now()
	s.followups.add(j)
	s.run(j, in, o, closers, tmp)
	started = true
	http.Redirect(w, r, "/uppfoljning/korning/"+j.id, http.StatusSeeOther)
}

// jobInput opens the job's files: the chosen folder's on the server, read
// in place, or the uploaded ones. Only a folder from the listing is
// accepted; anything else is refused with 400.
func (s *server) jobInput(form *uploadForm) (followup.Input, []io.Closer, int, error) {
	var in followup.Input
	var closers []io.Closer
	paths, names := form.paths, form.names
	if name := form.values["mapp"]; name != "" {
		if s.followupDir == "" {
			return in, nil, http.StatusBadRequest, errors.New("det finns inga mappar på servern att välja")
		}
		folders, err := listFolders(s.followupDir)
		if err != nil {
			return in, nil, http.StatusInternalServerError, errors.New("mapparna på servern kunde inte läsas")
		}
		i := slices.IndexFunc(folders, func(f folder) bool { return f.Name == name })
		if i < 0 {
			return in, nil, http.StatusBadRequest, fmt.Errorf("okänd mapp %q: välj en av mapparna i listan", name)
		}
		if len(paths) > 0 {
			return in, nil, http.StatusBadRequest, errors.New("välj antingen filer att ladda upp eller en mapp på servern, inte båda")
		}
		f := folders[i]
		paths, names = map[string]string{}, map[string]string{}
		for field, file := range map[string]string{"listings": f.Listings, "visits": f.Visits, "clinicians": f.Clinicians} {
			if file != "" {
				paths[field] = filepath.Join(s.followupDir, f.Name, file)
				names[field] = f.Name + "/" + file
			}
		}
	}
	for _, f := range fileFields {
		path, ok := paths[f.field]
		if !ok {
			if f.field == "clinicians" {
				continue
			}
			closeAll(closers)
			return in, nil, http.StatusUnprocessableEntity, fmt.Errorf("välj filen med %s", f.swedish)
		}
		file, err := os.Open(path)
		if err != nil {
			closeAll(closers)
			return in, nil, http.StatusInternalServerError, fmt.Errorf("kunde inte öppna %s", names[f.field])
		}
		closers = append(closers, file)
		switch f.field {
		case "listings":
			in.Listings, in.ListingsName = file, names[f.field]
		case "visits":
			in.Visits, in.VisitsName = file, names[f.field]
		case "clinicians":
			in.Clinicians, in.CliniciansName = file, names[f.field]
		}
	}
	return in, closers, 0, nil
}

func closeAll(cs []io.Closer) {
	for _, c := range cs {
		c.Close()
	}
}

// jobOptions reads the period, grouping and the rest from the form.
func jobOptions(v map[string]string) (followup.Options, error) {
	from, err1 := time.Parse(time.DateOnly, v["from"])
	to, err2 := time.Parse(time.DateOnly, v["to"])
	minCell, err3 := strconv.Atoi(v["min_cell"])
	if err1 != nil || err2 != nil || err3 != nil || to.Before(from) {
		return followup.Options{}, errors.New("ange perioden som ÅÅÅÅ-MM-DD och minsta cellstorlek som ett heltal")
	}
	return followup.Options{From: from, To: to, By: v["by"], AllYrken: v["yrke"] == "alla", MinCell: minCell}, nil
}

// job finds the job of the request's id that the user may see.
func (s *server) job(r *http.Request, sess *session) *job {
	j := s.followups.get(r.PathValue("id"))
	if j == nil || !j.visibleTo(sess.Actor()) {
		return nil
	}
	return j
}

// stageText is what a job is doing, in Swedish.
func stageText(p *followup.Progress) string {
	if p == nil {
		return "Startar beräkningen …"
	}
	switch p.Stage {
	case "vårdgivare", "listningar", "besök":
		return "Läser " + p.Stage + " …"
	case "beräkning":
		return "Beräknar indikatorerna …"
	}
	return "Beräknar …"
}

// followupJob shows a job: its progress while it runs (the page reloads
// itself every second), then the indicators or the error.
func (s *server) followupJob(w http.ResponseWriter, r *http.Request, sess *session) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, followUpOnly)
		return
	}
	j := s.job(r, sess)
	if j == nil {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if !j.finished() {
		p := j.progress.Load()
		v := jobView{Stage: stageText(p), Files: j.files, Elapsed: formatDuration(time.Since(j.started))}
		if p != nil && p.Total > 0 {
			v.HasTotal, v.Percent = true, min(100, max(0, p.Done*100/p.Total))
		}
		s.render(w, r, http.StatusOK, "followup_job.html", "Uppföljning – beräknas", v)
		return
	}
	v := s.formView(j.by)
	if j.err != nil {
		v.Error = j.err.Error() // Compute's messages start with the file's name
	} else {
		v.Result, v.ID, v.Bars, v.Elapsed = j.res, j.id, bars(j.res), formatDuration(j.elapsed)
	}
	s.render(w, r, http.StatusOK, "followup.html", "Uppföljning", v)
}

// bars draws the named-GP share per group against the 55 % goal.
func bars(res *followup.Result) []bar {
	var out []bar
	for i, row := range res.Rows {
		b := bar{Group: row.Group, Y: i * 22}
		if row.IsSuppressed("med_fast_lakare") || row.IsSuppressed("listade") || row.Listade == 0 {
			b.Suppress = true
		} else {
			share := float64(row.MedFastLakare) / float64(row.Listade)
			b.Width = int(share * 1000)
			b.Share = strings.Replace(fmt.Sprintf("%.1f %%", 100*share), ".", ",", 1) // decimal comma
			b.Reached = share >= followup.GoalNamedGP
		}
		out = append(out, b)
	}
	return out
}

func (s *server) followupDownload(w http.ResponseWriter, r *http.Request, sess *session) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, followUpOnly)
		return
	}
	j := s.job(r, sess)
	if j == nil || !j.finished() || j.res == nil {
		s.notFound(w, r)
		return
	}
	res := j.res
	var buf bytes.Buffer
	var err error
	switch r.PathValue("format") {
	case "csv":
		err = followup.WriteCSV(&buf, res)
		if err == nil {
			attach(w, "text/csv; charset=utf-8", "indikatorer.csv", buf.Bytes())
		}
	case "xlsx":
		err = followup.WriteXLSX(&buf, res)
		if err == nil {
			attach(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "indikatorer.xlsx", buf.Bytes())
		}
	default:
		s.notFound(w, r)
	}
	if err != nil {
		s.serverError(w, r, err)
	}
}
