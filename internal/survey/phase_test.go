package survey

import (
	"testing"
	"time"

	"narvard/internal/clock"
)

func TestPhaseAt(t *testing.T) {
	s := Survey{Opens: time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		at   time.Time
		want Phase
	}{
		{time.Date(2023, 10, 31, 23, 59, 0, 0, clock.Stockholm), Upcoming},
		{time.Date(2023, 11, 1, 0, 0, 0, 0, clock.Stockholm), Open},
		{time.Date(2023, 11, 30, 23, 59, 0, 0, clock.Stockholm), Open},
		{time.Date(2023, 12, 1, 0, 0, 1, 0, clock.Stockholm), Closed},
	} {
		if got := s.PhaseAt(c.at); got != c.want {
			t.Errorf("%v: %s, want %s", c.at, got, c.want)
		}
		if (s.CheckOpen(c.at) == nil) != (c.want == Open) {
			t.Errorf("%v: PhaseAt and CheckOpen disagree", c.at)
		}
	}
}
