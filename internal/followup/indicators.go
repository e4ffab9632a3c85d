package followup

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
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

var counties = []string{"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22", "23", "24", "25"}

// Options says what to compute.
type Options struct {
	From, To time.Time // the period, both days included
	By       string    // grouping
	AllYrken bool      // COC over all professions, not only physicians
	MinCell  int       // counts below this are suppressed
	Strict   bool      // refuse a file with any bad row
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

// Compute streams the files and returns the indicators.
func Compute(in Input, o Options) (*Result, error) {
	if o.MinCell < 0 {
		o.MinCell = 0
	}
	res := &Result{MinCell: o.MinCell}
	clin := newInterner()
	var st map[int32]bool // clinician → is ST; absent when not a physician in the file
	if in.Clinicians != nil {
		bad := &BadRows{File: in.CliniciansName}
		var err error
		if st, err = readClinicians(in.CliniciansName, in.Clinicians, clin, bad); err != nil {
			return nil, err
		}
		if err := keep(res, bad, o.Strict); err != nil {
			return nil, err
		}
	}
	groups := newInterner()
	pats := newInterner()
	var people []patient
	bad := &BadRows{File: in.ListingsName}
	err := readListings(in.ListingsName, in.Listings, o, func(id, group, gp string, sabo bool) {
		g := groups.id(group)
		gpIdx := int32(-1)
		if gp != "" {
			gpIdx = clin.id(gp)
		}
		pats.id(id)
		people = append(people, patient{group: g, gp: gpIdx, sabo: sabo})
	}, pats, bad)
	if err != nil {
		return nil, err
	}
	if err := keep(res, bad, o.Strict); err != nil {
		return nil, err
	}
	res.PatientsListed = len(people)
	bad = &BadRows{File: in.VisitsName}
	pairs, err := readVisits(in.VisitsName, in.Visits, o, pats, clin, res, bad)
	if err != nil {
		return nil, err
	}
	if err := keep(res, bad, o.Strict); err != nil {
		return nil, err
	}
	res.Rows = aggregate(people, groups, pairs, st, in.Clinicians != nil, o.MinCell)
	return res, nil
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

// aggregate sorts the (patient, clinician) pairs, computes each patient's
// COC and UPC, and sums everything per group and for riket.
func aggregate(people []patient, groups *interner, pairs []uint64, st map[int32]bool, hasClin bool, minCell int) []Row {
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
	slices.Sort(pairs)
	for i := 0; i < len(pairs); {
		pat := uint32(pairs[i] >> 32)
		var total, sumSq, maxN int
		for i < len(pairs) && uint32(pairs[i]>>32) == pat {
			c, k := pairs[i], 0
			for i < len(pairs) && pairs[i] == c {
				i, k = i+1, k+1
			}
			total, sumSq, maxN = total+k, sumSq+k*k, max(maxN, k)
		}
		if total < 2 {
			continue
		}
		coc := float64(sumSq-total) / float64(total*(total-1))
		upc := float64(maxN) / float64(total)
		for _, a := range []*acc{&accs[people[pat].group], &accs[n]} {
			a.coc++
			a.sumCOC += coc
			a.sumUPC += upc
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case groups.names[a] < groups.names[b]:
			return -1
		case groups.names[a] > groups.names[b]:
			return 1
		}
		return 0
	})
	var rows []Row
	for _, i := range order {
		rows = append(rows, rowOf(groups.names[i], accs[i], st, hasClin, minCell))
	}
	if n != 1 || groups.names[0] != ByRiket {
		rows = append(rows, rowOf(ByRiket, accs[n], st, hasClin, minCell))
	}
	return rows
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

func (in *interner) lookup(s string) (int32, bool) {
	i, ok := in.ids[s]
	return i, ok
}

func itoa(i int) string { return strconv.Itoa(i) }
