package followup

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"runtime"
	"slices"
)

// A table is one submitted file, CSV or Parquet, read as a sequence of
// chunks of rows: blocks of lines of a CSV file, row groups of a Parquet
// file. Chunks are independent, so several workers can read one file.
type table interface {
	// scan calls row for every row of the file, with the fields in the
	// order of the columns the table was opened with (nil for a column the
	// row lacks) and the row's number for messages: the line in a CSV file,
	// the row counted from 1 in a Parquet file. Up to workers goroutines
	// call row at once, each with its own w in [0, workers); rows of one
	// chunk come in order, and with one worker every row comes in file
	// order. bad collects the row's chunk's bad rows; scan returns them
	// all, in file order. The fields are valid until row returns. After
	// each chunk's last row the worker calls end.
	scan(workers int, rr rowReader) (*BadRows, error)
	// rows is about how many rows the file has, 0 if unknown.
	rows() int
	// has reports whether the file has the k-th column asked for (an
	// optional one may be missing).
	has(k int) bool
}

// A rowReader checks a file's rows and keeps what it needs of them. A
// row's fields stay as they are until its chunk ends (end) and, for a
// batchEnder, until its batch ends (batchEnd), whichever comes first:
// CSV's point into their block, Parquet's into their page.
type rowReader interface {
	row(w int, bad *BadRows, line int, f [][]byte)
	// end is called by worker w when it has passed a chunk's rows to row.
	end(w int)
}

// A chunkReader is told which chunk worker w reads next, before its
// rows. Chunks are numbered from 0 in file order, and every chunk up to
// the last one handed out is begun and ended, also when its rows are
// skipped after an error elsewhere.
type chunkReader interface {
	begin(w, chunk int)
}

// Stage is what a computation is doing; the values are Swedish because
// they are shown as they are.
type Stage string

// The stages, in the order they happen.
const (
	StageClinicians Stage = "vårdgivare" // reading the clinicians
	StageListings   Stage = "listningar" // reading the listings
	StageVisits     Stage = "besök"      // reading the visits
	StageCompute    Stage = "beräkning"  // computing the indicators
)

// Rank orders the stages: 1 for the first, 0 for an unknown one.
func (s Stage) Rank() int {
	switch s {
	case StageClinicians:
		return 1
	case StageListings:
		return 2
	case StageVisits:
		return 3
	case StageCompute:
		return 4
	}
	return 0
}

// Progress reports how far a computation has come.
type Progress struct {
	Stage       Stage
	Done, Total int64 // bytes or rows of the stage; Total 0 when unknown
}

// optionalColumn starts the name of a column a file may lack: its field
// is then nil in every row.
const optionalColumn = "?"

// openTable opens a submitted file with the named columns, all required
// but those named with optionalColumn first.
// A file that starts with Parquet's magic bytes is read as Parquet, any
// other as CSV. maxPage is the budget of a Parquet page (see budget.go).
func openTable(name string, r io.Reader, cols []string, maxPage int64, progress func(done, total int64)) (table, error) {
	if progress == nil {
		progress = func(int64, int64) {}
	}
	magic := make([]byte, 4)
	if ra, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	}); ok {
		n, _ := ra.ReadAt(magic, 0)
		if n == 4 && string(magic) == parquetMagic {
			size, err := ra.Seek(0, io.SeekEnd)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return openParquet(name, ra, size, cols, maxPage, progress)
		}
		total, _ := ra.Seek(0, io.SeekEnd)
		if _, err := ra.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return openCSV(name, r, total, cols, progress)
	}
	br := bufio.NewReaderSize(r, maxLine)
	if head, _ := br.Peek(4); string(head) == parquetMagic {
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return openParquet(name, bytes.NewReader(data), int64(len(data)), cols, maxPage, progress)
	}
	return openCSV(name, br, 0, cols, progress)
}

// workers is how many goroutines read a large file: one per core.
func workers() int { return max(1, runtime.GOMAXPROCS(0)) }

// merge joins chunks' bad rows into one, the reports sorted by line.
func merge(file string, chunks []*BadRows) *BadRows {
	type report struct {
		line int
		text string
	}
	var all []report
	count := 0
	for _, c := range chunks {
		if c == nil {
			continue
		}
		count += c.Count
		for i, text := range c.Reports {
			all = append(all, report{c.lines[i], text})
		}
	}
	slices.SortStableFunc(all, func(a, b report) int { return cmp.Compare(a.line, b.line) })
	merged := &BadRows{File: file, Count: count}
	for _, r := range all[:min(len(all), maxReported)] {
		merged.Reports, merged.lines = append(merged.Reports, r.text), append(merged.lines, r.line)
	}
	return merged
}
