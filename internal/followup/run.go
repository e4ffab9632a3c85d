package followup

import (
	"encoding/json"
	"fmt"
	"time"
)

// Run is a computation kept after it ended: what was asked, from which
// files, and its result. The files themselves are not kept.
type Run struct {
	ID        string
	Owner     int64  // the user who started it
	OwnerName string // the user's name, when read back
	Org       string // the user's organisation
	At        time.Time
	Elapsed   time.Duration
	Inputs    RunInputs
	Result    *Result // nil in a list of runs
}

// RunInputs is what a run was asked to compute on.
type RunInputs struct {
	Files   []RunFile `json:"files"`
	Periods []string  `json:"periods"` // Period.Name of each, the first the base
	By      string    `json:"by"`
	Yrke    string    `json:"yrke"` // "lakare" or "alla"
	MinCell int       `json:"min_cell"`
}

// RunFile is one input file as the user named it.
type RunFile struct {
	Kind  Stage  `json:"kind"` // which extract: StageListings, StageVisits, StageClinicians or StageStays
	Name  string `json:"name"`
	Bytes int64  `json:"bytes"`
}

// storedResult is a Result as JSON: the rows without their base (restored
// by group on decoding) and the bad rows' descriptions.
type storedResult struct {
	Rows           []Row       `json:"rows"`
	Bad            []storedBad `json:"bad"`
	VisitsRead     int         `json:"visits_read"`
	VisitsUsed     int         `json:"visits_used"`
	VisitsUnlisted int         `json:"visits_unlisted"`
	PatientsListed int         `json:"patients_listed"`
	StaysRead      int         `json:"stays_read"`
	StaysUnlisted  int         `json:"stays_unlisted"`
	MinCell        int         `json:"min_cell"`
	Periods        []string    `json:"periods"`
	Version        int         `json:"version"`
}

type storedBad struct {
	File    string   `json:"file"`
	Count   int      `json:"count"`
	Reports []string `json:"reports"`
	Lines   []int    `json:"lines"`
}

// resultVersion is the version of the stored form.
const resultVersion = 1

// EncodeResult writes a result for keeping.
func EncodeResult(res *Result) ([]byte, error) {
	s := storedResult{VisitsRead: res.VisitsRead, VisitsUsed: res.VisitsUsed, VisitsUnlisted: res.VisitsUnlisted,
		PatientsListed: res.PatientsListed, StaysRead: res.StaysRead, StaysUnlisted: res.StaysUnlisted,
		MinCell: res.MinCell, Periods: res.Periods, Version: resultVersion}
	for _, r := range res.Rows {
		r.Base = nil
		s.Rows = append(s.Rows, r)
	}
	for _, b := range res.Bad {
		s.Bad = append(s.Bad, storedBad{File: b.File, Count: b.Count, Reports: b.Reports, Lines: b.lines})
	}
	return json.Marshal(s)
}

// DecodeResult reads a result written by EncodeResult: each row's base is
// the first row of its group again.
func DecodeResult(data []byte) (*Result, error) {
	var s storedResult
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("sparat resultat: %w", err)
	}
	if s.Version != resultVersion {
		return nil, fmt.Errorf("sparat resultat: okänd version %d", s.Version)
	}
	res := &Result{Rows: s.Rows, VisitsRead: s.VisitsRead, VisitsUsed: s.VisitsUsed, VisitsUnlisted: s.VisitsUnlisted,
		PatientsListed: s.PatientsListed, StaysRead: s.StaysRead, StaysUnlisted: s.StaysUnlisted,
		MinCell: s.MinCell, Periods: s.Periods}
	first := map[string]int{}
	for i := range res.Rows {
		g := res.Rows[i].Group
		if j, ok := first[g]; ok {
			res.Rows[i].Base = &res.Rows[j]
			continue
		}
		first[g] = i
	}
	for _, b := range s.Bad {
		res.Bad = append(res.Bad, &BadRows{File: b.File, Count: b.Count, Reports: b.Reports, lines: b.Lines})
	}
	return res, nil
}

// Line is the line (or row) of the i-th described bad row.
func (b *BadRows) Line(i int) int {
	if i < 0 || i >= len(b.lines) {
		return 0
	}
	return b.lines[i]
}
