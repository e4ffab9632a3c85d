package followup

import (
	"fmt"
	"slices"
	"time"
)

// MaxPeriods is the most periods one run computes: a visit keeps its
// period in four bits.
const MaxPeriods = 16

// Period is a stretch of days, both ends included.
type Period struct{ From, To time.Time }

// Name is how the output names the period: the year for a calendar year,
// else its first and last day (2023-01-01/2023-06-30).
func (p Period) Name() string {
	if p.From.Month() == time.January && p.From.Day() == 1 && p.To.Month() == time.December && p.To.Day() == 31 && p.From.Year() == p.To.Year() {
		return p.From.Format("2006")
	}
	return p.From.Format(time.DateOnly) + "/" + p.To.Format(time.DateOnly)
}

// periods is the run's periods: Options.Periods, or From–To alone.
func (o Options) periods() []Period {
	if len(o.Periods) > 0 {
		return o.Periods
	}
	return []Period{{o.From, o.To}}
}

// endYear is the year the listed persons' ages are taken at: the last
// period's end.
func (o Options) endYear() int {
	y := 0
	for _, p := range o.periods() {
		y = max(y, p.To.Year())
	}
	return y
}

// CheckPeriods refuses periods that are too many, end before they begin
// or overlap (a visit belongs to one period at most).
func CheckPeriods(ps []Period) error {
	if len(ps) > MaxPeriods {
		return fmt.Errorf("högst %d perioder i en beräkning, inte %d", MaxPeriods, len(ps))
	}
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b Period) int { return a.From.Compare(b.From) })
	for i, p := range sorted {
		if p.To.Before(p.From) {
			return fmt.Errorf("perioden %s slutar innan den börjar", p.Name())
		}
		if i > 0 && !p.From.After(sorted[i-1].To) {
			return fmt.Errorf("perioderna %s och %s överlappar", sorted[i-1].Name(), p.Name())
		}
	}
	return nil
}

// dayRange is a period as yyyymmdd numbers.
type dayRange struct{ from, to int }

func dayRanges(ps []Period) []dayRange {
	out := make([]dayRange, len(ps))
	for i, p := range ps {
		out[i] = dayRange{yyyymmdd(p.From), yyyymmdd(p.To)}
	}
	return out
}

func yyyymmdd(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// periodOf is the period a yyyymmdd day lies in, -1 for none.
func periodOf(ranges []dayRange, day int) int {
	for i, r := range ranges {
		if day >= r.from && day <= r.to {
			return i
		}
	}
	return -1
}
