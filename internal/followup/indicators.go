package followup

import (
	"context"
	"fmt"
	"io"
	"runtime/pprof"
	"slices"
	"time"

	"narvard/internal/geo"
)

// The goals the indicators are measured against.
const (
	GoalNamedGP        = 0.55 // share of the population with a named GP
	GoalNamedGPSabo    = 0.80 // share of SÄBO residents with a named GP
	GoalCOCIncrease    = 0.20 // increase of the continuity index
	GuidePerSpecialist = 1100 // listed inhabitants per specialist GP
	GuidePerST         = 550  // listed inhabitants per ST doctor
)

// Groupings.
const (
	ByRiket       = "riket"
	ByLan         = "lan"
	ByEnhet       = "enhet"
	ByKon         = "kon"
	ByAldersgrupp = "aldersgrupp"
	ByKommun      = "kommun" // the listing's municipality
	ByRSS         = "rss"    // the county of the listing's municipality, whose RSS serves it
)

// Yrken are the professions a visit may be to.
var Yrken = []string{"lakare", "sjukskoterska", "fysioterapeut", "arbetsterapeut", "psykolog", "kurator", "dietist", "annan"}

// Kontakttyper are the kinds of contact.
var Kontakttyper = []string{"fysisk", "digital", "hembesok", "telefon"}

var counties = geo.CountyCodes() // the valid values of lan

// Options says what to compute.
type Options struct {
	From, To time.Time // the period, both days included, when Periods is empty
	// Periods are several periods computed in one pass (CheckPeriods);
	// the first is the base the changes are measured against.
	Periods  []Period
	By       string // grouping: one of Groupings, or several joined by commas (ParseBy)
	AllYrken bool   // the columns coc, upc and patienter_coc over all professions, not only physicians
	MinCell  int    // counts below this are suppressed
	Strict   bool   // refuse a file with any bad row
	// MaxParquetPage is the most memory one Parquet page or dictionary may
	// take once decompressed and decoded; a file with a larger one is
	// refused before it is decompressed. 0 means DefaultMaxParquetPage.
	MaxParquetPage int64
	// Progress, if set, is called now and then as the files are read,
	// possibly from several goroutines at once.
	Progress func(Progress)
}

// Input is the files, each with the name errors should use.
type Input struct {
	ListingsName, VisitsName, CliniciansName, SlutenvardName string
	Listings, Visits, Clinicians, Slutenvard                 io.Reader // Clinicians and Slutenvard may be nil
}

// Row is one group's indicators in one period. A count named in
// Suppressed is not shown, nor anything derived from it.
type Row struct {
	Group                 string
	Period                string // Period.Name
	Listade               int
	MedFastLakare         int
	SaboListade           int
	SaboMedFastLakare     int
	PatienterCOC          int
	COC, UPC              float64 // means over the patients with at least two visits
	Specialists, STDoctor int     // distinct named GPs in the group
	HasClinicians         bool

	MedFastVardkontakt int  // listed with a named care contact
	HasVardkontakt     bool // the listings have the column fast_vardkontakt_id
	// Continuity to physicians, to all contacts, and to physicians for
	// SÄBO residents: the patients with at least two such visits and the
	// means of their indexes.
	PatienterCOCLakare, PatienterCOCAlla, SaboPatienterCOC int
	COCLakare, UPCLakare, COCAlla, UPCAlla, COCLakareSabo  float64
	// Readmissions (with a slutenvard file): discharges of patients 65 or
	// older in the period, and those followed by an acute admission
	// within 30 days.
	HasSlutenvard                    bool
	Utskrivningar, Aterinskrivningar int

	Base       *Row // the group's row in the first period; nil in the first period
	Suppressed []string
}

// Result is the indicators per group, riket last, and what was left out.
type Result struct {
	Rows           []Row
	Bad            []*BadRows
	VisitsRead     int
	VisitsUsed     int // visits in a period of listed persons counted in coc (by the --yrke choice)
	VisitsUnlisted int // such visits of persons not listed
	PatientsListed int
	StaysRead      int // good rows of the slutenvard file
	StaysUnlisted  int // of persons not listed, left out
	MinCell        int
	Periods        []string // the periods' names, the first the base
}

// patient is a listed person, interned.
type patient struct {
	group   int32
	gp      int32 // clinician index of the named GP, -1 if none
	born    uint16
	sabo    bool
	contact bool // has a named care contact
}

// Compute streams the files and returns the indicators. Each file may be
// CSV or Parquet (told by its first bytes); the visits are read by one
// worker per core. When ctx ends the computation stops soon after and
// returns ErrCancelled; a panic in any of its goroutines becomes its error.
func Compute(ctx context.Context, in Input, o Options) (*Result, error) {
	in.Listings, in.Visits, in.Clinicians = cancelable(ctx, in.Listings), cancelable(ctx, in.Visits), cancelable(ctx, in.Clinicians)
	res, err := computeAll(ctx, in, o)
	if err != nil && ctx.Err() != nil {
		return nil, ErrCancelled
	}
	return res, err
}

func computeAll(ctx context.Context, in Input, o Options) (*Result, error) {
	if o.MinCell < 0 {
		o.MinCell = 0
	}
	by, err := ParseBy(o.By)
	if err != nil {
		return nil, err
	}
	if err := CheckPeriods(o.periods()); err != nil {
		return nil, err
	}
	report := func(stage Stage) func(done, total int64) {
		if o.Progress == nil {
			return nil
		}
		return func(done, total int64) { o.Progress(Progress{Stage: stage, Done: done, Total: total}) }
	}
	res := &Result{MinCell: o.MinCell}
	for _, p := range o.periods() {
		res.Periods = append(res.Periods, p.Name())
	}
	clin := newIDIndex()
	var st map[int32]bool // clinician → is ST; absent when not a physician in the file
	if in.Clinicians != nil {
		cr := &clinicianReader{clin: clin, st: map[int32]bool{}}
		if err := readTable(res, in.CliniciansName, in.Clinicians, clinicianColumns, 1, report(StageClinicians), o, cr); err != nil {
			return nil, err
		}
		st = cr.st
	}
	var lr *listingReader
	pprof.Do(ctx, pprof.Labels("stage", string(StageListings)), func(context.Context) {
		lr = newListingReader(o, by, clin, workers())
		err = readTable(res, in.ListingsName, in.Listings, listingColumns, len(lr.workers), report(StageListings), o, lr)
		lr.close()
	})
	if err == nil {
		err = lr.err
	}
	if err != nil {
		return nil, err
	}
	res.PatientsListed = len(lr.people)
	vr := newVisitReader(o, lr.pats, clin, workers())
	pprof.Do(ctx, pprof.Labels("stage", string(StageVisits)), func(context.Context) {
		err = readTable(res, in.VisitsName, in.Visits, visitColumns, len(vr.workers), report(StageVisits), o, vr)
		if err == nil {
			err = vr.resolve(res)
		}
	})
	if err != nil {
		return nil, err
	}
	stays, err := readStays(res, in, o, lr.pats, report(StageStays))
	if err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(Progress{Stage: StageCompute})
	}
	ag := aggregation{people: lr.people, groups: lr.groups, periods: o.periods(), st: st, hasClin: in.Clinicians != nil,
		hasContact: lr.hasContact, hasStays: in.Slutenvard != nil, allYrken: o.AllYrken, minCell: o.MinCell, by: by}
	pprof.Do(ctx, pprof.Labels("stage", string(StageCompute)), func(ctx context.Context) {
		res.Rows, err = ag.rows(ctx, vr.workers, stays)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// readStays reads the slutenvard file, if any, and returns the listed
// patients' stays.
func readStays(res *Result, in Input, o Options, pats *idIndex, progress func(done, total int64)) ([]stay, error) {
	if in.Slutenvard == nil {
		return nil, nil
	}
	sr := newStayReader(pats, workers())
	if err := readTable(res, in.SlutenvardName, in.Slutenvard, stayColumns, len(sr.workers), progress, o, sr); err != nil {
		return nil, err
	}
	return sr.collect(res), nil
}

// readTable reads one file with the row reader and keeps its bad rows in
// res, or refuses the file under strict. A reader with a reserve method
// is told about how many rows to expect.
func readTable(res *Result, name string, r io.Reader, cols []string, workers int, progress func(done, total int64), o Options, rr rowReader) error {
	return safely(name, func() error { return readTableUnguarded(res, name, r, cols, workers, progress, o, rr) })
}

func readTableUnguarded(res *Result, name string, r io.Reader, cols []string, workers int, progress func(done, total int64), o Options, rr rowReader) error {
	t, err := openTable(name, r, cols, o.maxParquetPage(), progress)
	if err != nil {
		return err
	}
	if p, ok := rr.(interface{ present(func(int) bool) }); ok {
		p.present(t.has)
	}
	if s, ok := rr.(interface{ reserve(int) }); ok {
		s.reserve(t.rows())
	}
	bad, err := t.scan(workers, rr)
	if err != nil {
		return err
	}
	return keep(res, bad, o.Strict)
}

func keep(res *Result, bad *BadRows, strict bool) error {
	if bad.Count == 0 {
		return nil
	}
	if strict {
		return fmt.Errorf("%w (%d):\n%s", ErrStrict, bad.Count, bad.Summary())
	}
	res.Bad = append(res.Bad, bad)
	return nil
}

// Suppressed reports whether the count is suppressed in the row.
func (r Row) IsSuppressed(count string) bool { return slices.Contains(r.Suppressed, count) }

// interner maps ids of at most maxIDLen bytes to dense integers.
type interner struct {
	index *idIndex
	names []string
}

func newInterner() *interner { return &interner{index: newIDIndex()} }

func (in *interner) id(s string) int32 { return in.idBytes([]byte(s)) }

// idBytes is id for a byte slice; only a new id's name is copied.
func (in *interner) idBytes(b []byte) int32 {
	i, isNew := in.index.add(b)
	if isNew {
		in.names = append(in.names, string(b))
	}
	return i
}
