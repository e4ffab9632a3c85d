package followup

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"sync"
	"unicode/utf8"
)

// CSV dialect, as for the allocation inputs: comma or semicolon (whichever
// the header has more of), UTF-8 with or without BOM, CRLF or LF, blank
// lines skipped, fields trimmed, quotes where a line has them. A field
// cannot span lines.

// blockSize is how much of a CSV file one chunk holds.
const blockSize = 4 << 20

// maxLine bounds one line.
const maxLine = 1 << 20

// csvTable reads a CSV file in blocks of whole lines.
type csvTable struct {
	name     string
	r        *bufio.Reader // positioned after the header
	sep      byte
	idx      []int // for each column asked for, its place in a row
	line     int   // the header's line
	read     int64 // bytes read so far
	total    int64 // the file's size, 0 if unknown
	progress func(done, total int64)
}

func openCSV(name string, r io.Reader, total int64, cols []string, progress func(done, total int64)) (*csvTable, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < maxLine {
		br = bufio.NewReaderSize(r, maxLine)
	}
	t := &csvTable{name: name, r: br, total: total, progress: progress}
	var head []byte
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%s:%d: rubrikraden är för lång", name, t.line+1)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: %w", name, t.line+1, err)
		}
		t.read += int64(len(b))
		if len(b) > 0 {
			t.line++
		}
		if len(bytes.TrimSpace(b)) > 0 {
			head = bytes.TrimPrefix(bytes.TrimRight(b, "\r\n"), []byte("\xef\xbb\xbf"))
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:1: filen är tom (rubrikraden saknas)", name)
		}
	}
	if !isText(head) {
		return nil, fmt.Errorf("%s:%d: %w", name, t.line, errBinary)
	}
	t.sep = ','
	if bytes.Count(head, []byte{';'}) > bytes.Count(head, []byte{','}) {
		t.sep = ';'
	}
	var err error
	t.idx, err = columnPlaces(splitLine(head, t.sep, nil), cols)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, t.line, err)
	}
	return t, nil
}

// columnPlaces is each asked-for column's place in the header, -1 for an
// optional one it lacks.
func columnPlaces(head [][]byte, cols []string) ([]int, error) {
	place := map[string]int{}
	for i, c := range head {
		place[strings.ToLower(string(c))] = i
	}
	var idx []int
	for _, c := range cols {
		c, optional := strings.CutPrefix(c, optionalColumn)
		i, ok := place[c]
		switch {
		case !ok && optional:
			i = -1
		case !ok:
			return nil, fmt.Errorf("kolumnen %q saknas", c)
		}
		idx = append(idx, i)
	}
	return idx, nil
}

func (t *csvTable) has(k int) bool { return t.idx[k] >= 0 }

// rows guesses the number of rows from the file's size.
func (t *csvTable) rows() int { return int(min(t.total/32, 1<<31-1)) }

// A block is a piece of the file that ends at the end of a line.
type block struct {
	seq   int
	first int // the line number of its first line
	data  []byte
}

type blockResult struct {
	seq int
	bad *BadRows
	err error
}

func (t *csvTable) scan(workers int, rr rowReader) (*BadRows, error) {
	blocks := make(chan block, workers)
	free := make(chan []byte, workers+2)
	results := make(chan blockResult, workers)
	stop := make(chan struct{})
	var readErr error
	var readErrSeq int
	go func() {
		defer close(blocks)
		readErr = safely(t.name, func() error {
			var err error
			readErrSeq, err = t.produce(blocks, free, stop)
			return err
		})
	}()
	cr, _ := rr.(chunkReader)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			fields := make([][]byte, len(t.idx))
			var raw [][]byte
			for b := range blocks {
				if cr != nil {
					cr.begin(w, b.seq)
				}
				bad := &BadRows{File: t.name}
				var err error
				err = safely(t.name, func() error {
					var err error
					raw, err = t.parse(b, fields, raw, func(line int, f [][]byte) { rr.row(w, bad, line, f) })
					return err
				})
				rr.end(w)
				results <- blockResult{b.seq, bad, err}
				select {
				case free <- b.data[:cap(b.data)]:
				default:
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	var bads []*BadRows
	var firstErr error
	errSeq := -1
	stopped := false
	for r := range results {
		for len(bads) <= r.seq {
			bads = append(bads, nil)
		}
		bads[r.seq] = r.bad
		if r.err != nil && (errSeq < 0 || r.seq < errSeq) {
			firstErr, errSeq = r.err, r.seq
			if !stopped {
				close(stop)
				stopped = true
			}
		}
	}
	if readErr != nil && (errSeq < 0 || readErrSeq < errSeq) {
		firstErr = readErr
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return merge(t.name, bads), nil
}

// produce reads the file into blocks of whole lines and numbers them. It
// returns the block number at which reading failed, and the error.
func (t *csvTable) produce(blocks chan<- block, free chan []byte, stop <-chan struct{}) (int, error) {
	line := t.line + 1
	for seq := 0; ; seq++ {
		var buf []byte
		select {
		case buf = <-free:
		default:
			buf = make([]byte, blockSize+maxLine)
		}
		n, err := io.ReadFull(t.r, buf[:blockSize])
		t.read += int64(n)
		t.progress(t.read, t.total)
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return seq, fmt.Errorf("%s:%d: %w", t.name, line, err)
		}
		data := buf[:n]
		if !eof {
			// Read on to the end of the line the block stops in.
			rest, err := t.r.ReadSlice('\n')
			t.read += int64(len(rest))
			switch {
			case errors.Is(err, bufio.ErrBufferFull) || n+len(rest) > len(buf):
				return seq, fmt.Errorf("%s:%d: en rad är längre än %d byte", t.name, line+bytes.Count(data, []byte{'\n'}), maxLine)
			case err != nil && !errors.Is(err, io.EOF):
				return seq, fmt.Errorf("%s:%d: %w", t.name, line, err)
			}
			data = append(data, rest...)
			eof = errors.Is(err, io.EOF)
		}
		if len(data) > 0 {
			select {
			case blocks <- block{seq: seq, first: line, data: data}:
			case <-stop:
				return seq, nil
			}
			line += bytes.Count(data, []byte{'\n'})
		}
		if eof {
			return seq, nil
		}
	}
}

// parse calls row for each non-blank line of the block. raw is scratch
// space, returned for reuse.
func (t *csvTable) parse(b block, fields, raw [][]byte, row func(line int, f [][]byte)) ([][]byte, error) {
	data := b.data
	if !isText(data) {
		line := b.first
		for l := range bytes.Lines(data) {
			if !isText(l) {
				return raw, fmt.Errorf("%s:%d: %w", t.name, line, errBinary)
			}
			line++
		}
	}
	line := b.first - 1
	for len(data) > 0 {
		line++
		var blank bool
		raw, data, blank = splitNext(data, t.sep, raw[:0])
		if blank {
			continue
		}
		for k, p := range t.idx {
			fields[k] = nil
			if p >= 0 && p < len(raw) {
				fields[k] = raw[p]
			}
		}
		row(line, fields)
	}
	return raw, nil
}

// splitNext splits the first line of data into trimmed fields, appended
// to dst, in one pass that finds its separators and its end, and returns
// the rest of data after the line. A line with quotes is split by
// splitQuoted. blank reports a line of nothing but white space.
func splitNext(data []byte, sep byte, dst [][]byte) (fields [][]byte, rest []byte, blank bool) {
	n := len(dst)
	for start := 0; ; {
		i := special(data[start:], sep)
		if i < 0 {
			dst = append(dst, trim(data[start:]))
			return dst, nil, len(dst) == n+1 && len(dst[n]) == 0
		}
		i += start
		switch data[i] {
		case '\n':
			dst = append(dst, trim(data[start:i]))
			return dst, data[i+1:], len(dst) == n+1 && len(dst[n]) == 0
		case '"':
			line := data
			rest = nil
			if end := bytes.IndexByte(data[i:], '\n'); end >= 0 {
				line, rest = data[:i+end], data[i+end+1:]
			}
			return splitQuoted(bytes.TrimSuffix(line, []byte{'\r'}), sep, dst[:n]), rest, false
		}
		dst = append(dst, trim(data[start:i]))
		start = i + 1
	}
}

// splitLine splits a line (the header) into trimmed fields, appended to
// dst. Fields are slices of the line unless it has quotes.
func splitLine(l []byte, sep byte, dst [][]byte) [][]byte {
	fields, _, _ := splitNext(l, sep, dst)
	return fields
}

// splitQuoted splits a line with quotes as encoding/csv does, leniently;
// one it cannot read is split at every separator.
func splitQuoted(l []byte, sep byte, dst [][]byte) [][]byte {
	r := csv.NewReader(bytes.NewReader(l))
	r.Comma = rune(sep)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if rec, err := r.Read(); err == nil {
		for _, f := range rec {
			dst = append(dst, []byte(strings.TrimSpace(f)))
		}
		return dst
	}
	for f := range bytes.SplitSeq(l, []byte{sep}) {
		dst = append(dst, trim(f))
	}
	return dst
}

// special is the index of the first sep, '"' or line end in l, -1 if
// none: eight bytes at a time, since a call to bytes.IndexByte costs more
// than a short field takes to scan. A byte equal to c is a zero byte of
// x ^ c·ones, found by the borrow trick, whose lowest set bit is exact.
func special(l []byte, sep byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	s, q, nl := uint64(sep)*ones, uint64('"')*ones, uint64('\n')*ones
	i := 0
	for ; i+8 <= len(l); i += 8 {
		x := binary.LittleEndian.Uint64(l[i:])
		a, b, c := x^s, x^q, x^nl
		if t := ((a-ones)&^a | (b-ones)&^b | (c-ones)&^c) & highs; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	for ; i < len(l); i++ {
		if l[i] == sep || l[i] == '"' || l[i] == '\n' {
			return i
		}
	}
	return -1
}

// trim is bytes.TrimSpace, without the call for the usual field that
// begins and ends with a printable ASCII character.
func trim(b []byte) []byte {
	if len(b) > 0 && b[0]-'!' < 0x7f-'!' && b[len(b)-1]-'!' < 0x7f-'!' {
		return b
	}
	return bytes.TrimSpace(b)
}

// isText reports whether b is UTF-8 text without control characters other
// than tab, CR and LF. Eight bytes at a time, with exact tests per byte (no
// borrow crosses a byte), so that a word with a line's end in it needs no
// byte-by-byte look.
func isText(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	all, ascii := b, true
	for ; len(b) >= 8; b = b[8:] {
		x := binary.LittleEndian.Uint64(b)
		if x&highs != 0 {
			ascii = false
		}
		ctrl := ^((x | highs) - 0x20*ones) &^ x & highs // the bytes below 0x20
		if ctrl != 0 && ctrl&^(zeroBytes(x^'\n'*ones)|zeroBytes(x^'\r'*ones)|zeroBytes(x^'\t'*ones)) != 0 {
			return false
		}
	}
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
		} else if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return ascii || utf8.Valid(all)
}

// zeroBytes has the high bit set in each byte of y that is zero, and in
// no other.
func zeroBytes(y uint64) uint64 {
	const low7, highs = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	return ^((y&low7 + low7) | y) & highs
}
