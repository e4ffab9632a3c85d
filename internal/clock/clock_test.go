package clock

import (
	"testing"
	"time"
)

func TestPassed(t *testing.T) {
	deadline, _ := ParseDate("2023-12-01")
	tests := []struct {
		now  string
		want bool
	}{
		{"2023-12-01T00:00:00+01:00", false},
		{"2023-12-01T23:59:59+01:00", false},
		{"2023-12-01T22:59:59Z", false},
		{"2023-12-01T23:00:00Z", true}, // midnight in Stockholm
		{"2023-12-02T00:00:00+01:00", true},
		{"2023-11-15T10:00:00+01:00", false},
	}
	for _, tt := range tests {
		now, err := time.Parse(time.RFC3339, tt.now)
		if err != nil {
			t.Fatal(err)
		}
		if got := Passed(deadline, now); got != tt.want {
			t.Errorf("Passed(%s) = %v, want %v", tt.now, got, tt.want)
		}
	}
	// Summer time: 31 March 2024 is the day clocks go forward.
	d, _ := ParseDate("2024-03-31")
	if Passed(d, time.Date(2024, 3, 31, 21, 59, 0, 0, time.UTC)) {
		t.Error("23:59 CEST on 31 March counted as passed")
	}
	if !Passed(d, time.Date(2024, 3, 31, 22, 0, 0, 0, time.UTC)) {
		t.Error("00:00 CEST on 1 April not passed")
	}
}

func TestFrozenAndToday(t *testing.T) {
	at := time.Date(2023, 12, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 Dec in Stockholm
	f := NewFrozen(at)
	if !f.Now().Equal(at) {
		t.Error("frozen clock moved")
	}
	if got := Today(f.Now()).Format(time.DateOnly); got != "2023-12-02" {
		t.Errorf("Today = %s", got)
	}
	f.Set(at.Add(time.Hour))
	if !f.Now().Equal(at.Add(time.Hour)) {
		t.Error("Set did not move the clock")
	}
}
