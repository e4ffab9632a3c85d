package followup

import (
	"cmp"
	"slices"
	"time"
)

// The slutenvard extract's columns: one row per inpatient stay.
var stayColumns = []string{"patient_id", "lan", "inskrivning", "utskrivning", "akut"}

// StageStays is reading the inpatient stays.
const StageStays Stage = "slutenvård"

// Readmission rules.
const (
	readmitDays = 30 // an acute admission at most this many days after a discharge is a readmission
	readmitAge  = 65 // discharges of patients this old or older count
)

// stay is one inpatient stay of a listed patient, its days counted from
// 1970-01-01.
type stay struct {
	pat     int32
	in, out int32
	akut    bool
}

// stayReader checks slutenvard rows and keeps the listed patients' stays.
type stayReader struct {
	pats    *idIndex
	workers []stayWorker
}

type stayWorker struct {
	stays          []stay
	read, unlisted int
	dates          dateCache
	_              [64]byte
}

func newStayReader(pats *idIndex, workers int) *stayReader {
	return &stayReader{pats: pats, workers: make([]stayWorker, workers)}
}

func (sr *stayReader) end(int) {}

func (sr *stayReader) row(w int, bad *BadRows, line int, f [][]byte) {
	id, lan, inText, outText, akut := f[0], f[1], f[2], f[3], f[4]
	wk := &sr.workers[w]
	in, inOK := wk.dates.day(inText)
	out, outOK := wk.dates.day(outText)
	switch {
	case len(id) == 0:
		bad.add(line, "patient_id", "", "saknas")
		return
	case len(id) > maxIDLen:
		bad.add(line, "patient_id", string(id), tooLong)
		return
	case !knownCounty(lan):
		bad.add(line, "lan", string(lan), "är inte en länskod")
		return
	case !inOK:
		bad.add(line, "inskrivning", string(inText), "är inte ett datum (ÅÅÅÅ-MM-DD)")
		return
	case !outOK:
		bad.add(line, "utskrivning", string(outText), "är inte ett datum (ÅÅÅÅ-MM-DD)")
		return
	case out < in:
		bad.add(line, "utskrivning", string(outText), "ligger före inskrivningen")
		return
	case string(akut) != "0" && string(akut) != "1":
		bad.add(line, "akut", string(akut), "ska vara 0 eller 1")
		return
	}
	wk.read++
	pat, ok := sr.pats.lookup(id)
	if !ok {
		wk.unlisted++
		return
	}
	wk.stays = append(wk.stays, stay{pat: pat, in: epochDay(in), out: epochDay(out), akut: akut[0] == '1'})
}

// collect joins the workers' stays and totals their counts into res.
func (sr *stayReader) collect(res *Result) []stay {
	var all []stay
	for i := range sr.workers {
		wk := &sr.workers[i]
		res.StaysRead += wk.read
		res.StaysUnlisted += wk.unlisted
		all = append(all, wk.stays...)
		wk.stays = nil
	}
	return all
}

// epochDay is a yyyymmdd day as days from 1970-01-01.
func epochDay(d int) int32 {
	return int32(time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// readmSum is one group's discharges and readmissions in one period.
type readmSum struct{ discharges, readmitted int }

func (s *readmSum) add(o readmSum) {
	s.discharges, s.readmitted = s.discharges+o.discharges, s.readmitted+o.readmitted
}

// episode is a patient's stays that overlap or follow each other on the
// same day (transfers), joined: admitted at the first's admission,
// discharged at the last discharge, acute if a stay admitted on its first
// day is.
type episode struct {
	in, out int32
	akut    bool
}

// readmissions counts, per period and group (period × groups + group),
// the discharges of patients readmitAge or older in the period and those
// followed by an acute admission 1 to readmitDays days later. A patient's
// stays are first joined into episodes: a stay admitted on or before the
// day the episode so far ends (an overlap, or a transfer the same day)
// belongs to it. The discharge is the episode's; its period is the one
// its day lies in; the age is the discharge's year minus the birth year.
func readmissions(stays []stay, people []patient, periods []Period, groups int) []readmSum {
	sums := make([]readmSum, len(periods)*groups)
	if len(stays) == 0 {
		return sums
	}
	slices.SortFunc(stays, func(a, b stay) int {
		return cmp.Or(cmp.Compare(a.pat, b.pat), cmp.Compare(a.in, b.in), cmp.Compare(a.out, b.out), boolCompare(b.akut, a.akut))
	})
	ranges := make([][2]int32, len(periods))
	for i, p := range periods {
		ranges[i] = [2]int32{epochDay(yyyymmdd(p.From)), epochDay(yyyymmdd(p.To))}
	}
	var eps []episode
	for i := 0; i < len(stays); {
		j := i
		eps = eps[:0]
		for ; j < len(stays) && stays[j].pat == stays[i].pat; j++ {
			s := stays[j]
			if n := len(eps); n > 0 && s.in <= eps[n-1].out {
				e := &eps[n-1]
				e.out = max(e.out, s.out)
				e.akut = e.akut || (s.akut && s.in == e.in)
				continue
			}
			eps = append(eps, episode{in: s.in, out: s.out, akut: s.akut})
		}
		p := people[stays[i].pat]
		countEpisodes(eps, p, ranges, sums, groups)
		i = j
	}
	return sums
}

// countEpisodes adds one patient's episodes (in order) to sums.
func countEpisodes(eps []episode, p patient, ranges [][2]int32, sums []readmSum, groups int) {
	for i, e := range eps {
		per := -1
		for k, r := range ranges {
			if e.out >= r[0] && e.out <= r[1] {
				per = k
				break
			}
		}
		if per < 0 || time.Unix(int64(e.out)*86400, 0).UTC().Year()-int(p.born) < readmitAge {
			continue
		}
		s := &sums[per*groups+int(p.group)]
		s.discharges++
		for _, next := range eps[i+1:] {
			if next.in-e.out > readmitDays {
				break
			}
			if next.akut {
				s.readmitted++
				break
			}
		}
	}
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
