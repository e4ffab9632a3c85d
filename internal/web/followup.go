package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"narvard/internal/auth"
	"narvard/internal/followup"
)

// maxUpload bounds one follow-up upload (all three files together).
const maxUpload = 2 << 30

// results keeps the latest computed indicator sets for download, a few.
type results struct {
	mu    sync.Mutex
	order []string
	byID  map[string]*followup.Result
}

func (r *results) put(res *followup.Result) string {
	b := make([]byte, 8)
	rand.Read(b)
	id := hex.EncodeToString(b)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = map[string]*followup.Result{}
	}
	r.byID[id] = res
	r.order = append(r.order, id)
	if len(r.order) > 20 {
		delete(r.byID, r.order[0])
		r.order = r.order[1:]
	}
	return id
}

func (r *results) get(id string) *followup.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byID[id]
}

func mayFollowUp(a auth.Actor) bool {
	return a.Role == auth.Analyst || a.Role == auth.FollowUp || a.Role == auth.Admin || a.Role == auth.Auditor
}

// followupView is the follow-up page: the form, and the indicators with
// the goals when computed.
type followupView struct {
	Error   string
	Result  *followup.Result
	ID      string
	By      string
	Bars    []bar
	Goals   string
	Elapsed string
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

func (s *server) followupForm(w http.ResponseWriter, r *http.Request, sess *session) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, "Uppföljningen är för analytiker och Socialstyrelsens uppföljare.")
		return
	}
	s.render(w, r, http.StatusOK, "followup.html", "Uppföljning", followupView{By: followup.ByLan})
}

func (s *server) followupRun(w http.ResponseWriter, r *http.Request, sess *session) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, "Uppföljningen är för analytiker och Socialstyrelsens uppföljare.")
		return
	}
	v := followupView{By: r.FormValue("by")}
	res, err := computeUpload(r, v.By)
	if err != nil {
		v.Error = err.Error()
		s.render(w, r, http.StatusUnprocessableEntity, "followup.html", "Uppföljning", v)
		return
	}
	v.Result, v.ID, v.Bars = res, s.followups.put(res), bars(res)
	s.render(w, r, http.StatusOK, "followup.html", "Uppföljning", v)
}

// computeUpload reads the uploaded files as they stream in.
func computeUpload(r *http.Request, by string) (*followup.Result, error) {
	open := func(field string) (io.Reader, string, func(), error) {
		f, h, err := r.FormFile(field)
		if err != nil {
			return nil, "", func() {}, err
		}
		return f, h.Filename, func() { f.Close() }, nil
	}
	var in followup.Input
	var closers []func()
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	for _, f := range []struct {
		field    string
		r        *io.Reader
		name     *string
		required bool
	}{{"listings", &in.Listings, &in.ListingsName, true}, {"visits", &in.Visits, &in.VisitsName, true}, {"clinicians", &in.Clinicians, &in.CliniciansName, false}} {
		rd, name, done, err := open(f.field)
		if err != nil {
			if f.required {
				return nil, fmt.Errorf("välj filen med %s", map[string]string{"listings": "listningar", "visits": "besök"}[f.field])
			}
			continue
		}
		closers = append(closers, done)
		*f.r, *f.name = rd, name
	}
	from, err1 := time.Parse(time.DateOnly, r.FormValue("from"))
	to, err2 := time.Parse(time.DateOnly, r.FormValue("to"))
	minCell, err3 := strconv.Atoi(r.FormValue("min_cell"))
	if err1 != nil || err2 != nil || err3 != nil || to.Before(from) {
		return nil, fmt.Errorf("ange perioden som ÅÅÅÅ-MM-DD och minsta cellstorlek som ett heltal")
	}
	return followup.Compute(in, followup.Options{From: from, To: to, By: by, AllYrken: r.FormValue("yrke") == "alla", MinCell: minCell})
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
			b.Share = fmt.Sprintf("%.1f %%", 100*share)
			b.Reached = share >= followup.GoalNamedGP
		}
		out = append(out, b)
	}
	return out
}

func (s *server) followupDownload(w http.ResponseWriter, r *http.Request, sess *session) {
	if !mayFollowUp(sess.Actor()) {
		s.forbidden(w, r, "Uppföljningen är för analytiker och Socialstyrelsens uppföljare.")
		return
	}
	res := s.followups.get(r.PathValue("id"))
	if res == nil {
		s.notFound(w, r)
		return
	}
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
