package followup

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
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
)

// Yrken are the professions a visit may be to.
var Yrken = []string{"lakare", "sjukskoterska", "fysioterapeut", "arbetsterapeut", "psykolog", "kurator", "dietist", "annan"}

// Kontakttyper are the kinds of contact.
var Kontakttyper = []string{"fysisk", "digital", "hembesok", "telefon"}

var counties = geo.CountyCodes() // the valid values of lan

// Options says what to compute.
type Options struct {
	From, To time.Time // the period, both days included
	By       string    // grouping
	AllYrken bool      // COC over all professions, not only physicians
	MinCell  int       // counts below this are suppressed
	Strict   bool      // refuse a file with any bad row
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
	ListingsName, VisitsName, CliniciansName string
	Listings, Visits, Clinicians             io.Reader // Clinicians may be nil
}

// Row is one group's indicators. Counts are nil when suppressed.
type Row struct {
	Group                 string
	Listade               int
	MedFastLakare         int
	SaboListade           int
	SaboMedFastLakare     int
	PatienterCOC          int
	COC, UPC              float64 // means over the patients with at least two visits
	Specialists, STDoctor int     // distinct named GPs in the group
	HasClinicians         bool
	Suppressed            []string
}

// Result is the indicators per group, riket last, and what was left out.
type Result struct {
	Rows           []Row
	Bad            []*BadRows
	VisitsRead     int
	VisitsUsed     int
	VisitsUnlisted int
	PatientsListed int
	MinCell        int
}

// patient is a listed person, interned.
type patient struct {
	group int32
	gp    int32 // clinician index of the named GP, -1 if none
	sabo  bool
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
	report := func(stage Stage) func(done, total int64) {
		if o.Progress == nil {
			return nil
		}
		return func(done, total int64) { o.Progress(Progress{Stage: stage, Done: done, Total: total}) }
	}
	res := &Result{MinCell: o.MinCell}
	clin := newIDIndex()
	var st map[int32]bool // clinician → is ST; absent when not a physician in the file
	if in.Clinicians != nil {
		cr := &clinicianReader{clin: clin, st: map[int32]bool{}}
		if err := readTable(res, in.CliniciansName, in.Clinicians, clinicianColumns, 1, report(StageClinicians), o, cr); err != nil {
			return nil, err
		}
		st = cr.st
	}
	lr := newListingReader(o, clin, workers())
	err := readTable(res, in.ListingsName, in.Listings, listingColumns, len(lr.workers), report(StageListings), o, lr)
	lr.close()
	if err == nil {
		err = lr.err
	}
	if err != nil {
		return nil, err
	}
	res.PatientsListed = len(lr.people)
	vr := newVisitReader(o, lr.pats, clin, workers())
	if err := readTable(res, in.VisitsName, in.Visits, visitColumns, len(vr.workers), report(StageVisits), o, vr); err != nil {
		return nil, err
	}
	vr.resolve(res)
	if o.Progress != nil {
		o.Progress(Progress{Stage: StageCompute})
	}
	res.Rows, err = aggregate(ctx, lr.people, lr.groups, vr.workers, st, in.Clinicians != nil, o.MinCell)
	if err != nil {
		return nil, err
	}
	return res, nil
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

// acc accumulates one group.
type acc struct {
	listade, gp, sabo, saboGP, coc int
	sumCOC, sumUPC                 float64
	gps                            map[int32]bool
}

// aggregate counts the listed per group, groups the visit pairs by
// patient, computes each patient's COC and UPC, and sums everything per
// group and for riket.
func aggregate(ctx context.Context, people []patient, groups *interner, workers []visitWorker, st map[int32]bool, hasClin bool, minCell int) ([]Row, error) {
	n := len(groups.names)
	accs := make([]acc, n+1) // the last is riket
	for i := range accs {
		accs[i].gps = map[int32]bool{}
	}
	add := func(a *acc, p patient) {
		a.listade++
		if p.gp >= 0 {
			a.gp++
			a.gps[p.gp] = true
		}
		if p.sabo {
			a.sabo++
			if p.gp >= 0 {
				a.saboGP++
			}
		}
	}
	for _, p := range people {
		add(&accs[p.group], p)
		add(&accs[n], p)
	}
	pairs := make([]*pairBuckets, len(workers))
	for w := range workers {
		pairs[w] = &workers[w].pairs
	}
	parts, err := continuitySums(ctx, people, pairs, n, len(workers))
	if err != nil {
		return nil, err
	}
	for _, part := range parts {
		for g, s := range part {
			if s.n == 0 {
				continue
			}
			for _, a := range []*acc{&accs[g], &accs[n]} {
				a.coc += s.n
				a.sumCOC += s.coc
				a.sumUPC += s.upc
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(groups.names[a], groups.names[b]) })
	var rows []Row
	for _, i := range order {
		rows = append(rows, rowOf(groups.names[i], accs[i], st, hasClin, minCell))
	}
	if n != 1 || groups.names[0] != ByRiket {
		rows = append(rows, rowOf(ByRiket, accs[n], st, hasClin, minCell))
	}
	return rows, nil
}

func rowOf(name string, a acc, st map[int32]bool, hasClin bool, minCell int) Row {
	r := Row{Group: name, Listade: a.listade, MedFastLakare: a.gp, SaboListade: a.sabo, SaboMedFastLakare: a.saboGP,
		PatienterCOC: a.coc, HasClinicians: hasClin}
	if a.coc > 0 {
		r.COC, r.UPC = a.sumCOC/float64(a.coc), a.sumUPC/float64(a.coc)
	}
	for gp := range a.gps {
		if isST, physician := st[gp]; physician {
			if isST {
				r.STDoctor++
			} else {
				r.Specialists++
			}
		}
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"listade", r.Listade}, {"med_fast_lakare", r.MedFastLakare}, {"sabo_listade", r.SaboListade},
		{"sabo_med_fast_lakare", r.SaboMedFastLakare}, {"patienter_coc", r.PatienterCOC}} {
		if c.n < minCell {
			r.Suppressed = append(r.Suppressed, c.name)
		}
	}
	return r
}

// Suppressed reports whether the count is suppressed in the row.
func (r Row) IsSuppressed(count string) bool { return slices.Contains(r.Suppressed, count) }

// interner maps ids to dense integers.
type interner struct {
	ids   map[string]int32
	names []string
}

func newInterner() *interner { return &interner{ids: map[string]int32{}} }

func (in *interner) id(s string) int32 {
	if i, ok := in.ids[s]; ok {
		return i
	}
	i := int32(len(in.names))
	in.ids[s] = i
	in.names = append(in.names, s)
	return i
}

// idBytes is id for a byte slice; only a new id's name is copied.
func (in *interner) idBytes(b []byte) int32 {
	if i, ok := in.ids[string(b)]; ok {
		return i
	}
	return in.id(string(b))
}
