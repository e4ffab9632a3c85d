package outcome

import (
	"time"

	"narvard/internal/money"
)

// Month is a calendar month.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month a date is in.
func MonthOf(d time.Time) Month { return Month{Year: d.Year(), Month: d.Month()} }

// Tertial returns the month's tertial: 1 for January–April, 2 for
// May–August, 3 for September–December.
func (m Month) Tertial() int { return (int(m.Month)-1)/4 + 1 }

// Cell is one cost object in one month.
type Cell struct {
	CostObject string
	Month      Month
}

// Outcome is the books' costs per cost object and month, exact in öre.
type Outcome struct {
	Cells   map[Cell]money.Ore
	Skipped int // cost lines on other cost objects or outside the period
}

// Sum adds the entries on the given cost objects dated from from to to,
// both days included.
func Sum(entries []Entry, objects []string, from, to time.Time) Outcome {
	wanted := make(map[string]bool, len(objects))
	for _, o := range objects {
		wanted[o] = true
	}
	out := Outcome{Cells: map[Cell]money.Ore{}}
	for _, e := range entries {
		if !wanted[e.CostObject] || e.Date.Before(from) || e.Date.After(to) {
			out.Skipped++
			continue
		}
		out.Cells[Cell{CostObject: e.CostObject, Month: MonthOf(e.Date)}] += e.Amount
	}
	return out
}

// Object returns a cost object's total over the period.
func (o Outcome) Object(object string) money.Ore {
	var sum money.Ore
	for c, a := range o.Cells {
		if c.CostObject == object {
			sum += a
		}
	}
	return sum
}

// Tertial returns a cost object's total in one tertial of a year.
func (o Outcome) Tertial(object string, year, tertial int) money.Ore {
	var sum money.Ore
	for c, a := range o.Cells {
		if c.CostObject == object && c.Month.Year == year && c.Month.Tertial() == tertial {
			sum += a
		}
	}
	return sum
}
