package web

import (
	"net/http"
	"net/url"
	"strings"

	"narvard/internal/fault"
	"narvard/internal/followup"
	"narvard/internal/grant"
)

// addRuns lists the saved runs the user may see on the follow-up page.
func (s *server) addRuns(r *http.Request, sess *session, v *followupView) error {
	runs, err := s.app.FollowUpRuns(r.Context(), sess.Actor())
	if err != nil {
		return err
	}
	for _, run := range runs {
		var files []string
		for _, f := range run.Inputs.Files {
			files = append(files, f.Name+" ("+byteSize(f.Bytes)+")")
		}
		v.Runs = append(v.Runs, runLine{ID: run.ID, When: whenOf(run.At), Who: run.OwnerName, Files: strings.Join(files, ", "),
			Periods: strings.Join(run.Inputs.Periods, ", "), By: byLabel(run.Inputs.By),
			CanDelete: grant.CanDeleteFollowUpRun(sess.Actor(), run.Owner) == nil})
	}
	return nil
}

// followupSaved shows a saved run's result.
func (s *server) followupSaved(w http.ResponseWriter, r *http.Request, sess *session) {
	run, err := s.app.FollowUpRun(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	s.renderResult(w, r, sess, run, true)
}

// renderResult shows a run's result, with the map's indicator and the
// trend's group as chosen in the query.
func (s *server) renderResult(w http.ResponseWriter, r *http.Request, sess *session, run followup.Run, saved bool) {
	v := newResultView(run)
	v.Saved = saved
	v.CanDelete = saved && grant.CanDeleteFollowUpRun(sess.Actor(), run.Owner) == nil
	by, _ := followup.ParseBy(run.Inputs.By)
	q := r.URL.Query()
	v.Map = countyMap(run.Result, by, q.Get("karta"))
	v.Trend = trend(run.Result, by, q.Get("grupp"))
	if v.Map != nil {
		v.Map.Query = q.Get("grupp")
	}
	if v.Trend != nil {
		v.Trend.Query = q.Get("karta")
	}
	s.render(w, r, http.StatusOK, "followup_result.html", "Uppföljning – resultat", v)
}

// followupDelete removes a saved run after asking again.
func (s *server) followupDelete(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PathValue("id")
	a := sess.Actor()
	if !confirmed(r) {
		run, err := s.app.FollowUpRun(r.Context(), a, id)
		if err == nil && grant.CanDeleteFollowUpRun(a, run.Owner) == nil {
			s.askConfirm(w, r, confirmView{Heading: "Ta bort den sparade beräkningen", Button: "Ja, ta bort beräkningen",
				Back: "/uppfoljning/resultat/" + url.PathEscape(id),
				What: "Beräkningens resultat tas bort för alla som kan se det.",
				Lines: []confirmLine{{"Gjord", whenOf(run.At) + " av " + run.OwnerName}, {"Perioder", strings.Join(run.Inputs.Periods, ", ")},
					{"Gruppering", byLabel(run.Inputs.By)}}})
			return
		}
	}
	if err := s.app.DeleteFollowUpRun(r.Context(), a, id); err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/uppfoljning", http.StatusSeeOther)
}

// resultOf is the result of the request's id for a download: a saved
// run's, or a finished job's still in memory that was not kept.
func (s *server) resultOf(r *http.Request, sess *session) (*followup.Result, error) {
	run, err := s.app.FollowUpRun(r.Context(), sess.Actor(), r.PathValue("id"))
	if err == nil {
		return run.Result, nil
	}
	if fault.CodeOf(err) != fault.NotFound {
		return nil, err
	}
	j, jerr := s.job(r, sess)
	if jerr != nil {
		return nil, err // the saved run's refusal
	}
	res, _, jobErr := j.Outcome()
	if !j.Finished() || jobErr != nil {
		return nil, nil
	}
	return res, nil
}
