package gen

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"
)

// rowWriter receives a table's rows in order. The field slices are only
// valid during the call; a writer that keeps them must copy them.
type rowWriter interface {
	row(fields [][]byte) error
	// close writes what is buffered and ends the file (not the *os.File).
	// It must be called, also after a failure, and may be called again.
	close() error
}

// output is one table being written to a temporary file next to path.
type output struct {
	path, tmp string
	f         *os.File
	rows      rowWriter
}

func create(dir, table, format string, header []string) (*output, error) {
	path := filepath.Join(dir, table+"."+format)
	f, err := os.CreateTemp(dir, ".gen-*")
	if err != nil {
		return nil, err
	}
	o := &output{path: path, tmp: f.Name(), f: f}
	if format == FormatParquet {
		o.rows, err = newParquetTable(f, table, header)
	} else {
		o.rows = newCSVWriter(f, header)
	}
	if err != nil {
		f.Close()
		os.Remove(o.tmp)
		return nil, err
	}
	return o, nil
}

// finish completes the temporary file; the caller renames it into place.
func (o *output) finish() error {
	if err := o.rows.close(); err != nil {
		return err
	}
	if err := o.f.Close(); err != nil {
		return err
	}
	return os.Chmod(o.tmp, 0o644)
}

// discard closes and removes the temporary file if it is still there.
func (o *output) discard() {
	o.rows.close() // already closed after finish; the error is of no interest
	o.f.Close()
	os.Remove(o.tmp)
}

// csvWriter writes comma-separated rows with a header line. The generated
// values never hold commas, quotes or line breaks, so nothing is quoted.
type csvWriter struct {
	w *bufio.Writer
}

func newCSVWriter(w io.Writer, header []string) *csvWriter {
	c := &csvWriter{w: bufio.NewWriterSize(w, 1<<20)}
	c.w.WriteString(strings.Join(header, ","))
	c.w.WriteByte('\n')
	return c
}

func (c *csvWriter) row(fields [][]byte) error {
	for i, f := range fields {
		if i > 0 {
			c.w.WriteByte(',')
		}
		c.w.Write(f)
	}
	return c.w.WriteByte('\n') // bufio keeps the first write error
}

func (c *csvWriter) close() error { return c.w.Flush() }

// Parquet rows: every column a required string, dictionary-encoded unless
// nearly every value is distinct (patient_id). The tags must name the
// columns in the order of the CSV headers; newParquetWriter checks it.
type listingRow struct {
	PatientID    string `parquet:"patient_id,plain"`
	Lan          string `parquet:"lan,dict"`
	EnhetID      string `parquet:"enhet_id,dict"`
	FastLakareID string `parquet:"fast_lakare_id,dict"`
	Sabo         string `parquet:"sabo,dict"`
	Kon          string `parquet:"kon,dict"`
	Fodelsear    string `parquet:"fodelsear,dict"`
}

// listingRowMore is a listing with the optional columns (Options.More).
type listingRowMore struct {
	PatientID         string `parquet:"patient_id,plain"`
	Lan               string `parquet:"lan,dict"`
	EnhetID           string `parquet:"enhet_id,dict"`
	FastLakareID      string `parquet:"fast_lakare_id,dict"`
	Sabo              string `parquet:"sabo,dict"`
	Kon               string `parquet:"kon,dict"`
	Fodelsear         string `parquet:"fodelsear,dict"`
	FastVardkontaktID string `parquet:"fast_vardkontakt_id,dict"`
	Kommun            string `parquet:"kommun,dict"`
}

type stayRow struct {
	PatientID   string `parquet:"patient_id,plain"`
	Lan         string `parquet:"lan,dict"`
	Inskrivning string `parquet:"inskrivning,dict"`
	Utskrivning string `parquet:"utskrivning,dict"`
	Akut        string `parquet:"akut,dict"`
}

type clinicianRow struct {
	VardgivareID string `parquet:"vardgivare_id,dict"`
	Yrke         string `parquet:"yrke,dict"`
	ST           string `parquet:"st,dict"`
}

type visitRow struct {
	PatientID    string `parquet:"patient_id,plain"`
	Datum        string `parquet:"datum,dict"`
	EnhetID      string `parquet:"enhet_id,dict"`
	VardgivareID string `parquet:"vardgivare_id,dict"`
	Yrke         string `parquet:"yrke,dict"`
	Kontakttyp   string `parquet:"kontakttyp,dict"`
}

// rowGroupRows caps the rows in a Parquet row group (tests lower it).
var rowGroupRows int64 = 1_000_000

// parquetBatch is the number of rows handed to the Parquet writer at once.
const parquetBatch = 8192

func newParquetTable(w io.Writer, table string, header []string) (rowWriter, error) {
	switch table {
	case "listings":
		if len(header) > len(listingsHeader) {
			return newParquetWriter(w, header, func(r *listingRowMore, f []string) {
				*r = listingRowMore{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]}
			})
		}
		return newParquetWriter(w, header, func(r *listingRow, f []string) {
			*r = listingRow{f[0], f[1], f[2], f[3], f[4], f[5], f[6]}
		})
	case "slutenvard":
		return newParquetWriter(w, header, func(r *stayRow, f []string) {
			*r = stayRow{f[0], f[1], f[2], f[3], f[4]}
		})
	case "clinicians":
		return newParquetWriter(w, header, func(r *clinicianRow, f []string) {
			*r = clinicianRow{f[0], f[1], f[2]}
		})
	case "visits":
		return newParquetWriter(w, header, func(r *visitRow, f []string) {
			*r = visitRow{f[0], f[1], f[2], f[3], f[4], f[5]}
		})
	}
	return nil, fmt.Errorf("gen: ingen Parquet-tabell %q", table)
}

// parquetWriter collects rows into batches and encodes them in a goroutine
// of its own, so that drawing the next batch overlaps writing this one. A
// batch's field bytes are kept in one buffer that becomes one string, so a
// batch costs one allocation however many rows it holds.
type parquetWriter[T any] struct {
	w      *parquet.GenericWriter[T]
	set    func(*T, []string)
	cols   int
	cur    *batch      // being filled
	full   chan *batch // to the encoder
	free   chan *batch // back from the encoder
	done   chan error  // the encoder's result, once full is closed
	failed atomic.Bool // the encoder has failed; stop drawing
	closed bool
}

type batch struct {
	buf  []byte // the fields, one after the other
	ends []int  // where each field ends in buf
}

func newParquetWriter[T any](w io.Writer, header []string, set func(*T, []string)) (*parquetWriter[T], error) {
	pw := parquet.NewGenericWriter[T](w,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.DataPageVersion(2),
		parquet.WriteBufferSize(1<<20),
	)
	fields := pw.Schema().Fields()
	ok := len(fields) == len(header)
	for i := 0; ok && i < len(fields); i++ {
		ok = fields[i].Name() == header[i]
	}
	if !ok {
		return nil, fmt.Errorf("gen: Parquet-schemat %v stämmer inte med kolumnerna %v", pw.Schema(), header)
	}
	const batches = 3 // one being filled, one queued, one being encoded
	p := &parquetWriter[T]{
		w:    pw,
		set:  set,
		cols: len(header),
		full: make(chan *batch, batches),
		free: make(chan *batch, batches),
		done: make(chan error, 1),
	}
	for range batches {
		p.free <- &batch{ends: make([]int, 0, parquetBatch*p.cols)}
	}
	p.cur = <-p.free
	go p.encode()
	return p, nil
}

func (p *parquetWriter[T]) row(fields [][]byte) error {
	b := p.cur
	for _, f := range fields {
		b.buf = append(b.buf, f...)
		b.ends = append(b.ends, len(b.buf))
	}
	if len(b.ends) == cap(b.ends) {
		if p.failed.Load() {
			return p.close()
		}
		p.full <- b
		p.cur = <-p.free
	}
	return nil
}

// encode turns batches into rows and writes them until full is closed.
func (p *parquetWriter[T]) encode() {
	var err error
	rows := make([]T, parquetBatch)
	strs := make([]string, p.cols)
	for b := range p.full {
		if n := len(b.ends) / p.cols; err == nil && n > 0 {
			s, start := string(b.buf), 0
			for i := range n {
				for j := range p.cols {
					end := b.ends[i*p.cols+j]
					strs[j] = s[start:end]
					start = end
				}
				p.set(&rows[i], strs)
			}
			if _, err = p.w.Write(rows[:n]); err != nil {
				p.failed.Store(true)
			}
		}
		b.buf, b.ends = b.buf[:0], b.ends[:0]
		p.free <- b
	}
	if err == nil {
		err = p.w.Close()
	}
	p.done <- err
}

// close writes the last batch and the footer. It may be called again and
// then returns nil.
func (p *parquetWriter[T]) close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	p.full <- p.cur
	close(p.full)
	return <-p.done
}
