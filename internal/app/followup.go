package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"narvard/internal/fault"
	"narvard/internal/followup"
)

// IndicatorGroupings are the groupings a user may ask the follow-up for.
// Several may be combined, joined by commas (lan,aldersgrupp).
var IndicatorGroupings = followup.Groupings

// IndicatorYrken are the values of the profession choice: continuity to
// physicians only, or to all professions.
var IndicatorYrken = []string{"lakare", "alla"}

// DefaultMinCell is the smallest count shown when the user gives none.
const DefaultMinCell = 5

// IndicatorQuery is a request for follow-up indicators as a user gives it,
// from the command line's flags or the web form's fields: text, checked by
// Options.
type IndicatorQuery struct {
	From, To string // the period's first and last day, ÅÅÅÅ-MM-DD; both empty for the last whole year
	// Several periods instead: whole years (ÅÅÅÅ), or first and last
	// days side by side; not both, nor with From and To.
	Years      []string
	Froms, Tos []string
	By         string // one of IndicatorGroupings, or several joined by commas; empty for the country
	Yrke       string // one of IndicatorYrken; empty for physicians
	MinCell    string // a whole number; empty for DefaultMinCell
	Strict     bool   // refuse a file with any bad row
}

// LastWholeYear is the calendar year before today's, the follow-up's
// period when the user names none.
func LastWholeYear(today time.Time) (from, to time.Time) {
	y := today.Year() - 1
	return time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC), time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC)
}

// Options checks the query, every field at once, and returns what to
// compute; a bad query is fault.Invalid with a Swedish message per field
// (from, to, by, yrke, min_cell).
func (q IndicatorQuery) Options(today time.Time) (followup.Options, error) {
	bad := fault.Fields{}
	o := followup.Options{By: q.By, AllYrken: q.Yrke == "alla", MinCell: DefaultMinCell, Strict: q.Strict}
	if o.By == "" {
		o.By = followup.ByRiket
	}
	if _, err := followup.ParseBy(o.By); err != nil {
		bad.Add("by", "%s.", upperFirst(err.Error()))
	}
	if q.Yrke != "" && !slices.Contains(IndicatorYrken, q.Yrke) {
		bad.Add("yrke", "Yrke är lakare eller alla, inte %q.", q.Yrke)
	}
	if q.MinCell != "" {
		n, err := strconv.Atoi(strings.TrimSpace(q.MinCell))
		if err != nil || n < 0 {
			bad.Add("min_cell", "Minsta cellstorlek ska vara ett heltal, 0 eller större.")
		}
		o.MinCell = n
	}
	o.From, o.To = LastWholeYear(today)
	if q.From != "" || q.To != "" {
		o.From, o.To = period(bad, q.From, q.To)
	}
	o.Periods = q.periods(bad)
	if len(o.Periods) > 0 {
		if err := followup.CheckPeriods(o.Periods); err != nil {
			bad.Add("period", "%s.", upperFirst(err.Error()))
		}
	}
	return o, bad.Err()
}

// periods reads the several periods, if any, into bad's messages.
func (q IndicatorQuery) periods(bad fault.Fields) []followup.Period {
	var out []followup.Period
	switch {
	case len(q.Years) > 0 && (len(q.Froms) > 0 || q.From != ""):
		bad.Add("period", "Ange perioderna antingen som år eller som första och sista dag, inte båda.")
	case len(q.Froms) != len(q.Tos):
		bad.Add("to", "Ange en sista dag för varje första dag (%d första, %d sista).", len(q.Froms), len(q.Tos))
	case len(q.Years) > 0:
		for _, y := range q.Years {
			n, err := strconv.Atoi(strings.TrimSpace(y))
			if err != nil || n < 1900 || n > 9999 {
				bad.Add("period", "Perioden %q är inte ett år (ÅÅÅÅ).", y)
				return nil
			}
			out = append(out, followup.Period{From: time.Date(n, time.January, 1, 0, 0, 0, 0, time.UTC), To: time.Date(n, time.December, 31, 0, 0, 0, 0, time.UTC)})
		}
	default:
		for i := range q.Froms {
			from, to := period(bad, q.Froms[i], q.Tos[i])
			out = append(out, followup.Period{From: from, To: to})
		}
	}
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// period reads the period's two days into bad's messages.
func period(bad fault.Fields, fromText, toText string) (from, to time.Time) {
	from, errFrom := time.Parse(time.DateOnly, strings.TrimSpace(fromText))
	to, errTo := time.Parse(time.DateOnly, strings.TrimSpace(toText))
	switch {
	case errFrom != nil:
		bad.Add("from", "Ange periodens första dag som ÅÅÅÅ-MM-DD.")
	case errTo != nil:
		bad.Add("to", "Ange periodens sista dag som ÅÅÅÅ-MM-DD.")
	case to.Before(from):
		bad.Add("to", "Periodens sista dag ligger före dess första.")
	}
	return from, to
}

// ComputeFunc computes the indicators: followup.Compute, or a stand-in in
// tests.
type ComputeFunc func(context.Context, followup.Input, followup.Options) (*followup.Result, error)

// ComputeIndicators computes the indicators from the files, turning a
// panic in the computation into an error. The command line calls it
// directly: whoever can read the files may compute on them.
func ComputeIndicators(ctx context.Context, compute ComputeFunc, in followup.Input, o followup.Options) (*followup.Result, error) {
	res, _, err := computeGuarded(ctx, compute, in, o)
	return res, err
}

// computeGuarded computes, and returns the value of a panic (nil if none)
// beside the error it became.
func computeGuarded(ctx context.Context, compute ComputeFunc, in followup.Input, o followup.Options) (res *followup.Result, panicked any, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, panicked, err = nil, v, errors.New("beräkningen avbröts av ett internt fel")
		}
	}()
	res, err = compute(ctx, in, o)
	return res, nil, err
}

// ErrFollowUpBusy is returned when every follow-up slot is taken.
var ErrFollowUpBusy = errors.New("två beräkningar pågår redan. Vänta tills någon av dem är klar och försök sedan igen")

// ErrFollowUpYours is returned when the user already has a job running:
// each user holds at most one of the slots.
var ErrFollowUpYours = errors.New("du har redan en beräkning igång. Vänta tills den är klar, eller avbryt den, och försök sedan igen")
