package followup

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
)

// aggregation is what the rows are made of once the files are read.
type aggregation struct {
	people                                  []patient
	groups                                  *interner
	periods                                 []Period
	st                                      map[int32]bool // physician → is an ST doctor
	hasClin, hasContact, hasStays, allYrken bool
	minCell                                 int
	by                                      []string
}

// listed is one group's counts from the listings, the same in every
// period (the listings are one snapshot).
type listed struct {
	listade, gp, sabo, saboGP, contact int
	gps                                map[int32]bool
}

func (l *listed) add(p patient) {
	l.listade++
	if p.contact {
		l.contact++
	}
	if p.gp >= 0 {
		l.gp++
		l.gps[p.gp] = true
	}
	if p.sabo {
		l.sabo++
		if p.gp >= 0 {
			l.saboGP++
		}
	}
}

// countListed counts the listed per group, and last for riket, each
// worker a part of the people.
func countListed(people []patient, groups, workers int) ([]listed, error) {
	parts := make([][]listed, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range parts {
		wg.Go(func() {
			errs[w] = safely("listningar", func() error {
				parts[w] = newListed(groups)
				for _, p := range people[len(people)*w/workers : len(people)*(w+1)/workers] {
					parts[w][p.group].add(p)
					parts[w][groups].add(p)
				}
				return nil
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	lists := newListed(groups)
	for _, part := range parts {
		for g := range lists {
			lists[g].merge(part[g])
		}
	}
	return lists, nil
}

func newListed(groups int) []listed {
	lists := make([]listed, groups+1)
	for i := range lists {
		lists[i].gps = map[int32]bool{}
	}
	return lists
}

func (l *listed) merge(o listed) {
	l.listade += o.listade
	l.gp += o.gp
	l.sabo += o.sabo
	l.saboGP += o.saboGP
	l.contact += o.contact
	for gp := range o.gps {
		l.gps[gp] = true
	}
}

// rows counts the listed per group, groups the visit pairs by patient,
// computes each patient's continuity per period, counts the
// readmissions, and makes a row per group and period, riket last, with
// small cells suppressed.
func (ag *aggregation) rows(ctx context.Context, workers []visitWorker, stays []stay) ([]Row, error) {
	n, np := len(ag.groups.names), len(ag.periods)
	lists, err := countListed(ag.people, n, len(workers))
	if err != nil {
		return nil, err
	}
	cocs, err := ag.continuity(ctx, workers)
	if err != nil {
		return nil, err
	}
	readm := make([]readmSum, (n+1)*np) // per period, per group and riket
	for i, s := range readmissions(stays, ag.people, ag.periods, n) {
		per, g := i/n, i%n
		readm[per*(n+1)+g].add(s)
		readm[per*(n+1)+n].add(s)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ag.groups.names[a], ag.groups.names[b]) })
	if n != 1 || ag.groups.names[0] != ByRiket {
		order = append(order, n)
	}
	rows := make([]Row, 0, len(order)*np)
	for _, g := range order {
		name := ByRiket
		if g < n {
			name = ag.groups.names[g]
		}
		for per := range np {
			rows = append(rows, ag.rowOf(name, per, lists[g], cocs[per*(n+1)+g], readm[per*(n+1)+g]))
		}
	}
	suppressComplementary(rows, ag.by, np)
	for i := range rows {
		if per := i % np; per > 0 {
			rows[i].Base = &rows[i-per]
		}
	}
	return rows, nil
}

// continuity groups the visit pairs by patient and sums the continuity
// per period, per group and for riket (period × (groups+1) + group).
func (ag *aggregation) continuity(ctx context.Context, workers []visitWorker) ([]cocSum, error) {
	n, np := len(ag.groups.names), len(ag.periods)
	pairs := make([]*pairBuckets, len(workers))
	for w := range workers {
		pairs[w] = &workers[w].pairs
	}
	parts, err := continuitySums(ctx, ag.people, pairs, n*np, n, len(workers))
	if err != nil {
		return nil, err
	}
	cocs := make([]cocSum, (n+1)*np)
	for _, part := range parts {
		for i, s := range part {
			if s.nA == 0 {
				continue
			}
			per, g := i/n, i%n
			cocs[per*(n+1)+g].add(s)
			cocs[per*(n+1)+n].add(s)
		}
	}
	return cocs, nil
}

func (ag *aggregation) rowOf(name string, per int, l listed, c cocSum, rs readmSum) Row {
	r := Row{Group: name, Period: ag.periods[per].Name(), Listade: l.listade, MedFastLakare: l.gp, SaboListade: l.sabo,
		SaboMedFastLakare: l.saboGP, HasClinicians: ag.hasClin, MedFastVardkontakt: l.contact, HasVardkontakt: ag.hasContact,
		PatienterCOCLakare: c.nL, PatienterCOCAlla: c.nA, SaboPatienterCOC: c.nS,
		HasSlutenvard: ag.hasStays, Utskrivningar: rs.discharges, Aterinskrivningar: rs.readmitted}
	mean := func(sum float64, n int) float64 {
		if n == 0 {
			return 0
		}
		return sum / float64(n)
	}
	r.COCLakare, r.UPCLakare = mean(c.cocL, c.nL), mean(c.upcL, c.nL)
	r.COCAlla, r.UPCAlla = mean(c.cocA, c.nA), mean(c.upcA, c.nA)
	r.COCLakareSabo = mean(c.cocS, c.nS)
	r.PatienterCOC, r.COC, r.UPC = r.PatienterCOCLakare, r.COCLakare, r.UPCLakare
	if ag.allYrken {
		r.PatienterCOC, r.COC, r.UPC = r.PatienterCOCAlla, r.COCAlla, r.UPCAlla
	}
	for gp := range l.gps {
		if isST, physician := ag.st[gp]; physician {
			if isST {
				r.STDoctor++
			} else {
				r.Specialists++
			}
		}
	}
	for _, c := range r.counts() {
		if c.n < ag.minCell {
			r.Suppressed = append(r.Suppressed, c.name)
		}
	}
	return r
}

// namedCount is a count of a row by its column's name.
type namedCount struct {
	name string
	n    int
}

// counts are the row's counts, each suppressed when below the smallest
// cell: the columns that hold persons, patients or discharges. A count
// the run has no data for (no fast_vardkontakt_id column, no slutenvard
// file) is left out.
func (r *Row) counts() []namedCount {
	c := []namedCount{{"listade", r.Listade}, {"med_fast_lakare", r.MedFastLakare}, {"sabo_listade", r.SaboListade},
		{"sabo_med_fast_lakare", r.SaboMedFastLakare}, {"patienter_coc", r.PatienterCOC}}
	if r.HasVardkontakt {
		c = append(c, namedCount{"med_fast_vardkontakt", r.MedFastVardkontakt})
	}
	c = append(c, namedCount{"patienter_coc_lakare", r.PatienterCOCLakare}, namedCount{"patienter_coc_alla", r.PatienterCOCAlla},
		namedCount{"sabo_patienter_coc", r.SaboPatienterCOC})
	if r.HasSlutenvard {
		c = append(c, namedCount{"utskrivningar_65", r.Utskrivningar}, namedCount{"aterinskrivningar_30", r.Aterinskrivningar})
	}
	return c
}
