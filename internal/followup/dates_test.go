package followup

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"narvard/internal/clock"
)

func TestDayNumberWithTimeOfDay(t *testing.T) {
	for _, c := range []struct {
		text string
		day  int // 0: not a date
	}{
		{"2023-08-17", 20230817},
		{"2023-08-17 10:30", 20230817},
		{"2023-08-17T10:30:00", 20230817},
		{"2023-08-17 00:00:00.000", 20230817},
		{"2023-08-17 23:59:59.123456789", 20230817},
		{"2023-02-28 10:00", 20230228},
		{"2023-02-30 10:00", 0},
		{"2023-08-17 24:00", 0},
		{"2023-08-17 10:60", 0},
		{"2023-08-17 10:30:60", 0},
		{"2023-08-17 10:30Z", 0},
		{"2023-08-17 10:30:00+02:00", 0},
		{"2023-08-17 10:30:00.", 0},
		{"2023-08-17 10:30:00.1234567890", 0},
		{"2023-08-17x10:30", 0},
		{"2023-08-17 ", 0},
		{"2023-08-17 1:30", 0},
	} {
		day, ok := dayNumber([]byte(c.text))
		if ok != (c.day != 0) || (ok && day != c.day) {
			t.Errorf("dayNumber(%q) = %d, %t; want %d", c.text, day, ok, c.day)
		}
	}
}

// Visits with the time of their contact, in the Parquet types that
// writers give a time: TIMESTAMP as an instant (pyarrow for an aware
// time, DuckDB's TIMESTAMPTZ) or as a local time (pandas, DuckDB's
// TIMESTAMP), and INT96 (Spark).
type (
	visitMicroUTC struct {
		PatientID  string `parquet:"patient_id"`
		Datum      int64  `parquet:"datum,timestamp(microsecond:utc)"`
		Vardgivare string `parquet:"vardgivare_id"`
		Rest
	}
	visitMilliUTC struct {
		PatientID  string `parquet:"patient_id"`
		Datum      int64  `parquet:"datum,timestamp(millisecond:utc)"`
		Vardgivare string `parquet:"vardgivare_id"`
		Rest
	}
	visitNanoLocal struct {
		PatientID  string `parquet:"patient_id"`
		Datum      int64  `parquet:"datum,timestamp(nanosecond:local)"`
		Vardgivare string `parquet:"vardgivare_id"`
		Rest
	}
	visitInt96 struct {
		PatientID  string           `parquet:"patient_id"`
		Datum      deprecated.Int96 `parquet:"datum"`
		Vardgivare string           `parquet:"vardgivare_id"`
		Rest
	}
	// Rest is what the test's visits share.
	Rest struct {
		EnhetID    string `parquet:"enhet_id"`
		Yrke       string `parquet:"yrke"`
		Kontakttyp string `parquet:"kontakttyp"`
	}
)

// stampedVisit is a visit at a time, written as the time (UTC) of an
// instant, or as a local time, the clock on the wall.
type stampedVisit struct {
	patient, clinician string
	at                 time.Time
}

// TestParquetTimestamps reads visits whose datum is a timestamp and
// requires the result of the same visits in CSV, dated as the product
// documents: an instant by its date in Sweden (a contact at 00:30 on
// New Year's Day is stored as 23:30 UTC the day before), a local time by
// the date written. Contacts near midnight at the turn of the year move
// between periods, so a reading that ignored the difference fails.
func TestParquetTimestamps(t *testing.T) {
	var listings strings.Builder
	listings.WriteString(listHead)
	var visits []stampedVisit
	for p := range 6 {
		fmt.Fprintf(&listings, "P%d,01,E1,L1,0,K,1950\n", p)
		for i, at := range []string{"2022-12-31T23:30:00Z", "2023-03-15T10:00:00Z", "2023-06-30T22:30:00Z", "2023-12-31T23:15:00Z", "2023-05-02T12:00:00Z", "2022-12-31T23:45:00Z"} {
			ts, err := time.Parse(time.RFC3339, at)
			if err != nil {
				t.Fatal(err)
			}
			visits = append(visits, stampedVisit{fmt.Sprintf("P%d", p), fmt.Sprintf("L%d", (p+i)%3), ts.Add(time.Duration(p) * time.Minute)})
		}
	}
	rest := Rest{EnhetID: "E1", Yrke: "lakare", Kontakttyp: "fysisk"}
	var micro []visitMicroUTC
	var milli []visitMilliUTC
	var nano []visitNanoLocal
	var i96 []visitInt96
	for _, v := range visits {
		micro = append(micro, visitMicroUTC{v.patient, v.at.UnixMicro(), v.clinician, rest})
		milli = append(milli, visitMilliUTC{v.patient, v.at.UnixMilli(), v.clinician, rest})
		nano = append(nano, visitNanoLocal{v.patient, v.at.UnixNano(), v.clinician, rest})
		i96 = append(i96, visitInt96{v.patient, int96Of(v.at), v.clinician, rest})
	}
	inSweden := func(at time.Time) string { return at.In(clock.Stockholm).Format(time.DateOnly) }
	asWritten := func(at time.Time) string { return at.UTC().Format(time.DateOnly) }
	used := map[string]int{}
	for _, c := range []struct {
		name string
		file []byte
		date func(time.Time) string
	}{
		{"TIMESTAMP(MICROS, UTC)", writeParquet(t, micro, 7), inSweden},
		{"TIMESTAMP(MILLIS, UTC)", writeParquet(t, milli, 100), inSweden},
		{"TIMESTAMP(NANOS, lokal)", writeParquet(t, nano, 7), asWritten},
		{"INT96", writeParquet(t, i96, 7), inSweden},
	} {
		var csv strings.Builder
		csv.WriteString(visitHead)
		for _, v := range visits {
			fmt.Fprintf(&csv, "%s,%s,E1,%s,lakare,fysisk\n", v.patient, c.date(v.at), v.clinician)
		}
		fromCSV := compute(t, listings.String(), csv.String(), "", year2023)
		fromPQ, err := Compute(context.Background(), Input{ListingsName: "listings.csv", VisitsName: "visits.parquet",
			Listings: strings.NewReader(listings.String()), Visits: bytes.NewReader(c.file)}, year2023)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(fromPQ.Bad) > 0 {
			t.Errorf("%s: bad rows: %s", c.name, fromPQ.Bad[0].Summary())
		}
		if !reflect.DeepEqual(fromCSV.Rows, fromPQ.Rows) || fromCSV.VisitsUsed != fromPQ.VisitsUsed {
			t.Errorf("%s: Parquet and CSV differ: %d and %d visits used\n%+v\n%+v", c.name, fromPQ.VisitsUsed, fromCSV.VisitsUsed, fromPQ.Rows, fromCSV.Rows)
		}
		used[c.name] = fromPQ.VisitsUsed
	}
	// In Sweden the first and last contacts are on 1 January 2023 and the
	// fourth on 1 January 2024; as written, on 31 December 2022 and 2023.
	if used["TIMESTAMP(MICROS, UTC)"] != 6*5 || used["TIMESTAMP(MILLIS, UTC)"] != 6*5 || used["INT96"] != 6*5 || used["TIMESTAMP(NANOS, lokal)"] != 6*4 {
		t.Errorf("visits used in 2023: %v", used)
	}
}

// TestCSVTimesOfDay reads a visit file whose dates carry a time of day as
// the same file without.
func TestCSVTimesOfDay(t *testing.T) {
	listings := listHead + "P1,01,E1,L1,0,K,1950\nP2,01,E1,L1,0,K,1950\n"
	plain := visitHead + "P1,2023-03-01,E1,L1,lakare,fysisk\nP1,2023-03-02,E1,L2,lakare,fysisk\nP2,2023-03-02,E1,L1,lakare,fysisk\nP2,2024-01-01,E1,L1,lakare,fysisk\n"
	timed := visitHead + "P1,2023-03-01 08:15:00,E1,L1,lakare,fysisk\nP1,2023-03-02T23:59,E1,L2,lakare,fysisk\nP2,2023-03-02 00:00:00.000,E1,L1,lakare,fysisk\nP2,2024-01-01 00:00,E1,L1,lakare,fysisk\n"
	a, b := compute(t, listings, plain, "", year2023), compute(t, listings, timed, "", year2023)
	if !reflect.DeepEqual(a.Rows, b.Rows) || a.VisitsUsed != b.VisitsUsed || a.VisitsUsed != 3 || len(b.Bad) > 0 {
		t.Errorf("with times of day: %d visits used, %+v, bad %v; without: %d, %+v", b.VisitsUsed, b.Rows, b.Bad, a.VisitsUsed, a.Rows)
	}
}

// legacyTimestamp is an INT64 column as older writers mark a timestamp:
// by its converted type alone.
type legacyTimestamp struct {
	parquet.Type
	converted deprecated.ConvertedType
}

func (legacyTimestamp) LogicalType() *format.LogicalType { return nil }

func (l legacyTimestamp) ConvertedType() *deprecated.ConvertedType { return &l.converted }

func TestParquetDateOfLegacyTimestamps(t *testing.T) {
	at := time.Date(2023, 1, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 January in Sweden
	for _, c := range []struct {
		typ  parquet.Type
		n    int64
		want string
	}{
		{legacyTimestamp{parquet.Int64Type, deprecated.TimestampMillis}, at.UnixMilli(), "2023-01-02"},
		{legacyTimestamp{parquet.Int64Type, deprecated.TimestampMicros}, at.UnixMicro(), "2023-01-02"},
		{legacyTimestamp{parquet.Int32Type, deprecated.Date}, 19358, "2023-01-01"},
		{parquet.Int64Type, 5, ""},
	} {
		date := parquetDate(c.typ)
		got := ""
		if date != nil {
			got = date(c.n).Format(time.DateOnly)
		}
		if got != c.want {
			t.Errorf("%v: %q, want %q", c.typ.ConvertedType(), got, c.want)
		}
	}
}

// int96Of is t as an INT96 timestamp: nanoseconds of the day, then the
// Julian day, both in UTC.
func int96Of(t time.Time) deprecated.Int96 {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	nanos := uint64(t.Sub(day))
	return deprecated.Int96{uint32(nanos), uint32(nanos >> 32), uint32(day.Unix()/86400 + julianEpoch)}
}

// TestInt96PageBudget: an INT96 page is read a value at a time, 24 bytes
// each beside its data, and the page budget counts them: a page of 4 000
// timestamps (48 000 bytes) that fits a budget without them is refused.
func TestInt96PageBudget(t *testing.T) {
	var listings strings.Builder
	listings.WriteString(listHead + "P1,01,E1,L1,0,K,1950\n")
	rest := Rest{EnhetID: "E1", Yrke: "lakare", Kontakttyp: "fysisk"}
	var visits []visitInt96
	for i := range 4000 {
		visits = append(visits, visitInt96{"P1", int96Of(time.Date(2023, 3, 1, 0, 0, i, 0, time.UTC)), "L1", rest})
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[visitInt96](&buf, parquet.PageBufferSize(1<<20), parquet.Compression(&parquet.Uncompressed))
	if _, err := w.Write(visits); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	run := func(budget int64) error {
		o := year2023
		o.MaxParquetPage = budget
		_, err := Compute(context.Background(), Input{ListingsName: "listings.csv", VisitsName: "visits.parquet",
			Listings: strings.NewReader(listings.String()), Visits: bytes.NewReader(buf.Bytes())}, o)
		return err
	}
	// The page without its values: 48 000 bytes read, as many decoded,
	// 5 a value for levels and offsets; with them 24 a value more.
	if err := run(150_000); err == nil || !strings.Contains(err.Error(), `kolumnen "datum"`) {
		t.Errorf("budget 150 000: %v, want the datum page refused", err)
	}
	if err := run(300_000); err != nil {
		t.Errorf("budget 300 000: %v", err)
	}
}
