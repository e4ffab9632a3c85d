package grant

import (
	"strings"
	"testing"
	"time"

	"narvard/internal/fault"
)

// TestCheckMoneyDate: a money event's date lies between the first day of
// the agreement's year and today in Stockholm, both included.
func TestCheckMoneyDate(t *testing.T) {
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	at := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	const now = "2023-11-15T10:00:00+01:00"
	tests := []struct {
		name        string
		date        time.Time
		now         string
		periodFrom  string
		ok          bool
		wantMessage string
	}{
		{"today", date("2023-11-15"), now, "2023-01-01", true, ""},
		{"tomorrow", date("2023-11-16"), now, "2023-01-01", false, "2023-11-16 ligger efter dagens datum 2023-11-15"},
		{"the day before the agreement's year", date("2022-12-31"), now, "2023-01-01", false, "2022-12-31 ligger före överenskommelsens år 2023"},
		{"the first day of the agreement's year", date("2023-01-01"), now, "2023-01-01", true, ""},
		{"the year counts, not the period's first day", date("2023-01-01"), now, "2023-07-01", true, ""},
		{"no date", time.Time{}, now, "2023-01-01", false, "Ange betalningsdagen"},
		{"late evening in Stockholm: tomorrow is still tomorrow", date("2023-11-16"), "2023-11-15T23:59:00+01:00", "2023-01-01", false, "ligger efter dagens datum 2023-11-15"},
		{"just after midnight in Stockholm, still the day before in UTC", date("2023-11-16"), "2023-11-16T00:30:00+01:00", "2023-01-01", true, ""},
		{"a date with a time of day counts as its day", time.Date(2023, 11, 15, 23, 0, 0, 0, time.UTC), now, "2023-01-01", true, ""},
	}
	for _, tt := range tests {
		err := CheckMoneyDate("paid_on", "Betalningsdagen", tt.date, at(tt.now), date(tt.periodFrom))
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.name, err, tt.ok)
			continue
		}
		if err == nil {
			continue
		}
		f, _ := err.(*fault.Error)
		if f == nil || f.Code != fault.Invalid || !strings.Contains(f.Fields["paid_on"], tt.wantMessage) {
			t.Errorf("%s: %v, want invalid paid_on containing %q", tt.name, err, tt.wantMessage)
		}
	}
}
