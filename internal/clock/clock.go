// Package clock is the product's sense of time: deadlines in
// Europe/Stockholm, and a clock that can be frozen for rehearsals and tests
// (`narvard serve --now …`).
package clock

import (
	"sync"
	"time"
	_ "time/tzdata" // Europe/Stockholm must work on machines without zoneinfo
)

// Stockholm is the time zone every deadline is evaluated in.
var Stockholm = mustLoad("Europe/Stockholm")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // embedded tzdata makes this impossible
	}
	return loc
}

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the current time.
func (System) Now() time.Time { return time.Now() }

// Frozen is a clock stopped at a moment; Set moves it.
type Frozen struct {
	mu sync.Mutex
	t  time.Time
}

// NewFrozen returns a clock stopped at t.
func NewFrozen(t time.Time) *Frozen { return &Frozen{t: t} }

// Now returns the frozen moment.
func (f *Frozen) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the frozen clock to t.
func (f *Frozen) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

// EndOfDay returns the first instant after the given calendar date in
// Stockholm: a deadline "senast 1 december" has passed from 00:00
// Stockholm time on 2 December.
func EndOfDay(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, Stockholm)
}

// Passed reports whether a deadline on the given date has passed at now.
func Passed(deadline, now time.Time) bool {
	return !now.Before(EndOfDay(deadline))
}

// Today returns now's calendar date in Stockholm, at midnight UTC (the way
// dates are kept).
func Today(now time.Time) time.Time {
	y, m, d := now.In(Stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate parses 2023-12-01 into a date at midnight UTC.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}
