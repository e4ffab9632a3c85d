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
	"strings"
	"time"

	"narvard/internal/app"
	"narvard/internal/fault"
	"narvard/internal/followup"
	"narvard/internal/grant"
)

// followupView is the follow-up page: the saved runs, and the form to
// start a new one (with its error, if it was refused or failed).
type followupView struct {
	From, To string // the form's period: the last whole year unless chosen
	Years    string // several periods, as whole years
	MinCell  int
	Error    string
	By       string
	Runs     []runLine
	// HasDir is whether --uppfoljning-dir is set; Folders are its
	// subfolders with an extract.
	HasDir  bool
	Folders []folder
}

// runLine is one saved run in the list.
type runLine struct {
	ID, When, Who, Files, Periods, By string
	CanDelete                         bool
}

// jobView is the page of a job still running.
type jobView struct {
	ID       string
	Stage    string
	Files    string
	HasTotal bool
	Percent  int64
	Elapsed  string
	// Still: the page does not reload itself each second (?uppdatera=nej),
	// for those whose screen reader starts over at every reload.
	Still bool
}

// formView is the form as it is shown: with the server's folders, if any.
func (s *server) formView(by string) followupView {
	from, to := app.LastWholeYear(s.app.Clock.Now())
	v := followupView{By: by, HasDir: s.followupDir != "", MinCell: app.DefaultMinCell,
		From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
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
	if err := grant.CanFollowUp(sess.Actor()); err != nil {
		s.refuse(w, r, err)
		return
	}
	v := s.formView(followup.ByLan)
	if err := s.addRuns(r, sess, &v); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "followup.html", "Uppföljning", v)
}

// followupRun starts a job on the uploaded files, or on a folder on the
// server, and sends the user to the job's page. The CSRF token has been
// checked by signedInUpload; the files are streamed to a private
// directory that is removed when the job ends.
func (s *server) followupRun(w http.ResponseWriter, r *http.Request, sess *session, mr *multipart.Reader) {
	fail := func(status int, by string, err error) {
		v := s.formView(by)
		v.Error = capitalize(err.Error())
		s.render(w, r, status, "followup.html", "Uppföljning", v)
	}
	ticket, err := s.followups.Begin(sess.Actor())
	switch {
	case errors.Is(err, app.ErrFollowUpBusy):
		w.Header().Set("Retry-After", "60")
		fail(http.StatusServiceUnavailable, followup.ByLan, err)
		return
	case errors.Is(err, app.ErrFollowUpYours):
		fail(http.StatusConflict, followup.ByLan, err)
		return
	}
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	defer ticket.Cancel() // gives the slot back unless the job started
	tmp, err := newUploadDir()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	started := false
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
	o, err := form.query().Options(s.app.Clock.Now())
	if err != nil {
		fail(http.StatusUnprocessableEntity, by, fieldMessages(err))
		return
	}
	in, files, closers, status, err := s.jobInput(form)
	if err != nil {
		fail(status, by, err)
		return
	}
	j := ticket.Start(in, o, func() {
		closeAll(closers)
		if rerr := os.RemoveAll(tmp); rerr != nil {
			s.log.Warn("uppföljningens tillfälliga filer kunde inte tas bort", "dir", tmp, "err", rerr)
		}
	}, files...)
	started = true
	http.Redirect(w, r, "/uppfoljning/korning/"+j.ID(), http.StatusSeeOther)
}

// jobInput opens the job's files: the chosen folder's on the server, read
// in place, or the uploaded ones. Only a folder from the listing is
// accepted; anything else is refused with 400.
func (s *server) jobInput(form *uploadForm) (followup.Input, []followup.RunFile, []io.Closer, int, error) {
	var in followup.Input
	var files []followup.RunFile
	var closers []io.Closer
	paths, names := form.paths, form.names
	if name := form.values["mapp"]; name != "" {
		var status int
		var err error
		if paths, names, status, err = s.folderInput(name, len(paths) > 0); err != nil {
			return in, nil, nil, status, err
		}
	}
	for _, f := range fileFields {
		path, ok := paths[f.field]
		if !ok {
			if f.field == "clinicians" || f.field == "slutenvard" {
				continue
			}
			closeAll(closers)
			return in, nil, nil, http.StatusUnprocessableEntity, fmt.Errorf("välj filen med %s", f.swedish)
		}
		file, err := os.Open(path)
		if err != nil {
			closeAll(closers)
			return in, nil, nil, http.StatusInternalServerError, fmt.Errorf("kunde inte öppna %s", names[f.field])
		}
		closers = append(closers, file)
		switch f.field {
		case "listings":
			in.Listings, in.ListingsName = file, names[f.field]
		case "visits":
			in.Visits, in.VisitsName = file, names[f.field]
		case "clinicians":
			in.Clinicians, in.CliniciansName = file, names[f.field]
		case "slutenvard":
			in.Slutenvard, in.SlutenvardName = file, names[f.field]
		}
		files = append(files, runFile(f.field, names[f.field], file))
	}
	return in, files, closers, 0, nil
}

// folderInput is the files of the folder on the server with the name, by
// field: only a folder from the listing, and not beside uploaded files.
func (s *server) folderInput(name string, uploaded bool) (paths, names map[string]string, status int, err error) {
	if s.followupDir == "" {
		return nil, nil, http.StatusBadRequest, errors.New("det finns inga mappar på servern att välja")
	}
	folders, err := listFolders(s.followupDir)
	if err != nil {
		return nil, nil, http.StatusInternalServerError, errors.New("mapparna på servern kunde inte läsas")
	}
	i := slices.IndexFunc(folders, func(f folder) bool { return f.Name == name })
	if i < 0 {
		return nil, nil, http.StatusBadRequest, fmt.Errorf("okänd mapp %q: välj en av mapparna i listan", name)
	}
	if uploaded {
		return nil, nil, http.StatusBadRequest, errors.New("välj antingen filer att ladda upp eller en mapp på servern, inte båda")
	}
	f := folders[i]
	paths, names = map[string]string{}, map[string]string{}
	for field, file := range map[string]string{"listings": f.Listings, "visits": f.Visits, "clinicians": f.Clinicians, "slutenvard": f.Slutenvard} {
		if file != "" {
			paths[field] = filepath.Join(s.followupDir, f.Name, file)
			names[field] = f.Name + "/" + file
		}
	}
	return paths, names, 0, nil
}

func closeAll(cs []io.Closer) {
	for _, c := range cs {
		c.Close()
	}
}

// query is the form's values as an indicator query; app checks them.
func (f *uploadForm) query() app.IndicatorQuery {
	v := f.values
	q := app.IndicatorQuery{From: v["from"], To: v["to"], By: v["by"], Yrke: v["yrke"], MinCell: v["min_cell"]}
	if years := strings.TrimSpace(v["years"]); years != "" {
		q.From, q.To = "", ""
		for y := range strings.SplitSeq(years, ",") {
			q.Years = append(q.Years, strings.TrimSpace(y))
		}
	}
	return q
}

// fieldMessages joins an invalid query's messages into one error, in the
// form's order.
func fieldMessages(err error) error {
	var f *fault.Error
	if !errors.As(err, &f) || len(f.Fields) == 0 {
		return err
	}
	var msgs []string
	for _, field := range []string{"from", "to", "period", "by", "yrke", "min_cell"} {
		if m, ok := f.Fields[field]; ok {
			msgs = append(msgs, strings.TrimSuffix(m, "."))
		}
	}
	return errors.New(strings.Join(msgs, ". "))
}

// job finds the job of the request's id that the user may see.
func (s *server) job(r *http.Request, sess *session) (*app.Job, error) {
	return s.followups.Job(sess.Actor(), r.PathValue("id"))
}

// stageText is what a job is doing, in Swedish.
func stageText(p *followup.Progress) string {
	if p == nil {
		return "Startar beräkningen …"
	}
	switch p.Stage {
	case followup.StageClinicians, followup.StageListings, followup.StageVisits:
		return "Läser " + string(p.Stage) + " …"
	case followup.StageCompute:
		return "Beräknar indikatorerna …"
	}
	return "Beräknar …"
}

// followupJob shows a job: its progress while it runs (the page reloads
// itself every second), then the indicators or the error.
func (s *server) followupJob(w http.ResponseWriter, r *http.Request, sess *session) {
	j, err := s.job(r, sess)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if !j.Finished() {
		p := j.Progress()
		v := jobView{ID: j.ID(), Stage: stageText(p), Files: j.Files(), Elapsed: formatDuration(time.Since(j.Started())),
			Still: r.URL.Query().Get("uppdatera") == "nej"}
		if p != nil && p.Total > 0 {
			v.HasTotal, v.Percent = true, min(100, max(0, p.Done*100/p.Total))
		}
		s.render(w, r, http.StatusOK, "followup_job.html", "Uppföljning – beräknas", v)
		return
	}
	res, elapsed, err := j.Outcome()
	if err == nil && j.Saved() {
		http.Redirect(w, r, "/uppfoljning/resultat/"+j.ID(), http.StatusSeeOther)
		return
	}
	if err == nil { // not kept (the database refused it): shown once, from memory
		run := j.Run()
		run.Result, run.Elapsed = res, elapsed
		s.renderResult(w, r, sess, run, false)
		return
	}
	v := s.formView(j.By())
	v.Error = err.Error() // Compute's messages start with the file's name
	if errors.Is(err, followup.ErrCancelled) {
		v.Error = "Beräkningen avbröts innan den var klar. Filerna är borttagna; starta en ny beräkning om du vill."
	}
	if err := s.addRuns(r, sess, &v); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "followup.html", "Uppföljning", v)
}

// followupCancel stops a running job and shows its page, which then says
// that it was stopped.
func (s *server) followupCancel(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("id")
	if err := s.followups.CancelJob(sess.Actor(), id); err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/uppfoljning/korning/"+id, http.StatusSeeOther)
}

func (s *server) followupDownload(w http.ResponseWriter, r *http.Request, sess *session) {
	res, err := s.resultOf(r, sess)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	if res == nil {
		s.notFound(w, r)
		return
	}
	var buf bytes.Buffer
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

// fileStages are the form's file inputs as the engine names the extracts.
var fileStages = map[string]followup.Stage{"listings": followup.StageListings, "visits": followup.StageVisits,
	"clinicians": followup.StageClinicians, "slutenvard": followup.StageStays}

// runFile describes an opened input for the saved run: its name as the
// user had it and its size.
func runFile(field, name string, f *os.File) followup.RunFile {
	rf := followup.RunFile{Kind: fileStages[field], Name: name}
	if st, err := f.Stat(); err == nil {
		rf.Bytes = st.Size()
	}
	return rf
}
