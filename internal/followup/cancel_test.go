package followup

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// cancelAfter is a reader that cancels its context once n bytes are read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n -= n; c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func manyVisits(n int) string {
	var b strings.Builder
	b.WriteString("patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\n")
	for i := range n {
		b.WriteString("p1,2023-02-01,E1,d")
		b.WriteByte(byte('0' + i%10))
		b.WriteString(",lakare,fysisk\n")
	}
	return b.String()
}

func TestComputeCancelled(t *testing.T) {
	listings := "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear\np1,25,E1,d1,0,K,1950\n"
	o := Options{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), By: ByLan}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Compute(ctx, Input{ListingsName: "l.csv", VisitsName: "v.csv", Listings: strings.NewReader(listings), Visits: strings.NewReader(manyVisits(10))}, o)
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled before the start: %v", err)
	}

	// Cancelled while the visits are read, blocks of 4 MB into a 10 MB file.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	visits := &cancelAfter{r: strings.NewReader(manyVisits(250000)), n: 5 << 20, cancel: cancel}
	_, err = Compute(ctx, Input{ListingsName: "l.csv", VisitsName: "v.csv", Listings: strings.NewReader(listings), Visits: visits}, o)
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled while reading: %v", err)
	}
}

// TestComputeRecoversPanics: a panic while a file is read fails that
// computation with the file's name, it does not take the process down.
func TestComputeRecoversPanics(t *testing.T) {
	listings := "patient_id,lan,enhet_id,fast_lakare_id,sabo,kon,fodelsear\np1,25,E1,d1,0,K,1950\n"
	o := Options{From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)}
	_, err := Compute(context.Background(), Input{ListingsName: "l.csv", VisitsName: "visits.csv",
		Listings: strings.NewReader(listings), Visits: io.MultiReader(strings.NewReader("patient_id"), panicReader{})}, o)
	if err == nil || !strings.Contains(err.Error(), "visits.csv") || !strings.Contains(err.Error(), "internt fel") {
		t.Errorf("a panicking reader: %v", err)
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("bug in a reader") }
