package followup

import (
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"narvard/internal/clock"
)

// Dates and times in Parquet. A date column may hold a DATE (days since
// 1970-01-01), a TIMESTAMP in milli-, micro- or nanoseconds, or an INT96
// timestamp (Spark's); the time of day is dropped. A timestamp that is an
// instant (isAdjustedToUTC, the legacy converted types TIMESTAMP_MILLIS
// and TIMESTAMP_MICROS, and INT96, which Spark writes as an instant) is
// the date it was in Sweden: a visit at 00:30 on 2 January, Swedish time,
// is stored as 23:30 on 1 January, UTC. A timestamp that is not an
// instant is a local time as it is, and its date is taken as written.
// (Impala writes INT96 as a local time: read as an instant, a contact in
// the last hour or two of a day would count on the next.)

// parquetDate is how an integer column of type typ stands for a date, nil
// if it is a number.
func parquetDate(typ parquet.Type) func(int64) time.Time {
	if lt := typ.LogicalType(); lt != nil {
		switch t := lt.Value.(type) {
		case *format.DateType:
			return dateOfDays
		case *format.TimestampType:
			return timestamp(t.Unit.Value, t.IsAdjustedToUTC)
		}
	}
	if ct := typ.ConvertedType(); ct != nil {
		switch *ct {
		case deprecated.Date:
			return dateOfDays
		case deprecated.TimestampMillis:
			return timestamp(&format.MilliSeconds{}, true)
		case deprecated.TimestampMicros:
			return timestamp(&format.MicroSeconds{}, true)
		}
	}
	return nil
}

// dateOfDays is a DATE: days since 1970-01-01.
func dateOfDays(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// timestamp reads a count of unit since 1970-01-01 00:00: in Sweden if it
// is an instant, as written if not.
func timestamp(unit format.TimeUnitValue, instant bool) func(int64) time.Time {
	loc := time.UTC
	if instant {
		loc = clock.Stockholm
	}
	switch unit.(type) {
	case *format.MilliSeconds:
		return func(n int64) time.Time { return time.UnixMilli(n).In(loc) }
	case *format.MicroSeconds:
		return func(n int64) time.Time { return time.UnixMicro(n).In(loc) }
	}
	return func(n int64) time.Time { return time.Unix(0, n).In(loc) }
}

// julianEpoch is the Julian day of 1970-01-01.
const julianEpoch = 2440588

// int96Time is an INT96 timestamp (nanoseconds of the day, then the
// Julian day) as the time in Sweden.
func int96Time(v deprecated.Int96) time.Time {
	nanos := int64(v[1])<<32 | int64(v[0])
	days := int64(int32(v[2])) - julianEpoch
	return time.Unix(days*86400, nanos).In(clock.Stockholm)
}

// readByValue reports whether a column of kind k is read a value at a time
// (as parquet.Value, 24 bytes each): the kinds without a page of their own.
func readByValue(k parquet.Kind) bool { return k == parquet.Boolean || k == parquet.Int96 }
