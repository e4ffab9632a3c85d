package followup

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Parquet files are read column by column, a row group per worker, with
// the values as text so that the same checks apply as to CSV. A column may
// be text (BYTE_ARRAY), an integer (INT32, INT64), a date (INT32 DATE, for
// datum) or a boolean (sabo, st), required or optional; a null is an empty
// field. Dictionary-encoded pages are turned to text once per dictionary.
// Row numbers in messages count the file's rows from 1.

const parquetMagic = "PAR1"

// parquetTable reads a Parquet file's row groups.
type parquetTable struct {
	name     string
	f        *parquet.File
	cols     []parquet.LeafColumn
	place    []int   // each read column's place among the columns asked for
	asked    int     // the columns asked for, optional ones missing included
	starts   []int64 // each row group's first row
	done     atomic.Int64
	progress func(done, total int64)
	r        io.ReaderAt
	size     int64
	maxPage  int64 // the budget per page (Options.MaxParquetPage)
	zstd     *zstdPages
}

func openParquet(name string, r io.ReaderAt, size int64, cols []string, maxPage int64, progress func(done, total int64)) (t *parquetTable, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("%s: trasig Parquet-fil: %v", name, p)
		}
	}()
	if err := checkFooter(r, size, maxPage); err != nil {
		return nil, fmt.Errorf("%s: inte en läsbar Parquet-fil: %w", name, err)
	}
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(readBuffer))
	if err != nil {
		return nil, fmt.Errorf("%s: inte en läsbar Parquet-fil: %w", name, err)
	}
	t = &parquetTable{name: name, f: f, progress: progress, r: r, size: size, maxPage: maxPage}
	fields := map[string]parquet.Field{}
	for _, field := range f.Schema().Fields() {
		fields[strings.ToLower(field.Name())] = field
	}
	t.asked = len(cols)
	for k, c := range cols {
		leaf, ok, err := leafOf(f, fields, c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if ok {
			t.cols = append(t.cols, leaf)
			t.place = append(t.place, k)
		}
	}
	var start int64
	for _, rg := range f.RowGroups() {
		t.starts = append(t.starts, start)
		start += rg.NumRows()
	}
	return t, nil
}

func (t *parquetTable) has(k int) bool { return slices.Contains(t.place, k) }

// rows is the file's rows as its metadata says, to reserve room for them,
// but never more than its bytes: the metadata could claim two billion
// rows in a file of a kilobyte, and the room is taken before a row is read.
func (t *parquetTable) rows() int { return int(min(t.f.NumRows(), t.size, 1<<31-1)) }

func (t *parquetTable) scan(workers int, rr rowReader) (*BadRows, error) {
	groups := t.f.RowGroups()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range groups {
			next <- i
		}
	}()
	bads := make([]*BadRows, len(groups))
	errs := make([]error, len(groups))
	var failed atomic.Bool
	var wg sync.WaitGroup
	cr, _ := rr.(chunkReader)
	t.zstd = &zstdPages{budget: t.maxPage}
	defer t.zstd.close()
	for w := range workers {
		wg.Go(func() {
			scratch := make([]columnScratch, len(t.cols))
			batch := newColumnBatch(t.asked)
			for i := range next {
				if cr != nil {
					cr.begin(w, i)
				}
				bads[i] = &BadRows{File: t.name}
				if !failed.Load() {
					errs[i] = safely(t.name, func() error { return t.readGroup(w, i, scratch, batch, rr, bads[i]) })
				}
				rr.end(w)
				if errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return merge(t.name, bads), nil
}

// A dictChecker can vouch for a whole column chunk by its dictionary:
// dictOK(k, v) reports that a row whose column k is v passes the checks of
// column k and is counted the same whichever such v it has.
type dictChecker interface {
	dictOK(col int, v []byte) bool
}

// vouchedEntry is the code of every row of a column whose dictionary the
// reader vouched for (dictChecker).
const vouchedEntry = -2

// A codedReader takes dictionary-encoded values by their place in the
// dictionary, so that it can look each entry up once instead of once per
// row. When column col's values start to come from a dictionary,
// readGroup calls dictionary(w, col, values), before any row with a value
// from it; rowCoded then gets in codes[col] the row's entry, -1 for a
// value stored as it is, or vouchedEntry in a column whose every entry
// the reader vouched for (dictChecker). If dictionary returns true,
// f[col] is nil for a value from the dictionary: the reader takes
// values[codes[col]] itself when it needs the text.
type codedReader interface {
	dictionary(w, col int, values [][]byte) (byCode bool)
	rowCoded(w int, bad *BadRows, line int, f [][]byte, codes []int32)
}

// A batchEnder is told when a batch of rows ends: the fields of its rows
// last until then.
type batchEnder interface {
	batchEnd(w int)
}

// readGroup reads row group g for worker w, all asked-for columns side by
// side. A column whose every dictionary entry rr vouches for (dictChecker)
// is not read row by row: each row gets the first entry.
func (t *parquetTable) readGroup(w, g int, scratch []columnScratch, cols *columnBatch, rr rowReader, bad *BadRows) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: radgrupp %d: trasig Parquet-fil: %v", t.name, g+1, p)
		}
	}()
	dc, _ := rr.(dictChecker)
	cr, coded := rr.(codedReader)
	be, _ := rr.(batchEnder)
	rg := t.f.RowGroups()[g]
	chunks := rg.ColumnChunks()
	var cur []*cursor
	var at []int     // the place in fields of each cursor's column
	var readAt []int // each cursor's column among t.cols
	meta := t.f.Metadata().RowGroups[g].Columns
	dictOnly := make([]bool, len(t.cols)) // every data page of the chunk holds dictionary entries
	plain := make([]*plainPages, len(t.cols))
	for i, leaf := range t.cols {
		b := pageBudget{r: t.r, size: t.size, max: t.maxPage, byValue: readByValue(leaf.Node.Type().Kind())}
		if err := b.check(&meta[leaf.ColumnIndex].MetaData); err != nil {
			return fmt.Errorf("%s: radgrupp %d: kolumnen %q: %w", t.name, g+1, leafName(leaf), err)
		}
		dictOnly[i] = !b.plain
		plain[i] = plainChunk(&b, leaf, meta[leaf.ColumnIndex].MetaData.Codec, &scratch[i].plain, t.zstd)
	}
	for i, leaf := range t.cols {
		k := t.place[i]
		c := newCursor(leaf, &scratch[i].dict)
		if c.plain = plain[i]; c.plain == nil {
			c.pages = chunks[leaf.ColumnIndex].Pages()
		}
		defer c.close()
		if coded {
			c.onDict = func(values [][]byte) bool { return cr.dictionary(w, k, values) }
		}
		if v, ok := t.vouched(g, i, k, dc, c, dictOnly[i]); ok {
			cols.set(k, v, vouchedEntry)
			continue
		}
		cur, at, readAt = append(cur, c), append(at, k), append(readAt, i)
	}
	n := rg.NumRows()
	first := t.starts[g] + 1
	for done := int64(0); done < n; {
		m, err := cols.fill(cur, at, min(rowBatch, n-done))
		if err != nil {
			return fmt.Errorf("%s:%d: kolumnen %q: %w", t.name, first+done+int64(cols.failedRow), leafName(t.cols[readAt[cols.failedCol]]), err)
		}
		for r := range m {
			fields, codes := cols.row(r)
			if line := int(first + done + int64(r)); coded {
				cr.rowCoded(w, bad, line, fields, codes)
			} else {
				rr.row(w, bad, line, fields)
			}
		}
		if be != nil {
			be.batchEnd(w)
		}
		done += int64(m)
	}
	t.progress(t.done.Add(n), t.f.NumRows())
	return nil
}

// vouched returns the value every row of the read column i (column k
// among those asked for) in row group g may be read as, when dc vouches
// for every entry of the chunk's dictionary and every data page is
// dictionary-encoded (dictOnly, from the page headers) without nulls (by
// the chunk's statistics). c is the column's cursor: if it has to load
// the first page to see the dictionary, the page stays loaded for reading
// row by row.
func (t *parquetTable) vouched(g, i, k int, dc dictChecker, c *cursor, dictOnly bool) ([]byte, bool) {
	if dc == nil || !dictOnly {
		return nil, false
	}
	leaf := t.cols[i]
	meta := t.f.Metadata().RowGroups[g].Columns[leaf.ColumnIndex].MetaData
	if leaf.MaxDefinitionLevel > 0 && (meta.Statistics.NullCount != 0 || len(meta.Statistics.MaxValue) == 0) {
		return nil, false
	}
	if err := c.load(); err != nil || c.mode != pageDict || len(c.dictText) == 0 {
		return nil, false
	}
	for _, v := range c.dictText {
		if !dc.dictOK(k, v) {
			return nil, false
		}
	}
	return c.dictText[0], true
}

// leafOf is the file's column c, a single value per row of a type the
// reader takes; ok is false for an optional column the file lacks.
func leafOf(f *parquet.File, fields map[string]parquet.Field, c string) (leaf parquet.LeafColumn, ok bool, err error) {
	c, optional := strings.CutPrefix(c, optionalColumn)
	field, ok := fields[c]
	if !ok && optional {
		return leaf, false, nil
	}
	if !ok {
		return leaf, false, fmt.Errorf("kolumnen %q saknas", c)
	}
	leaf, ok = f.Schema().Lookup(field.Name())
	if !ok || !field.Leaf() || field.Repeated() || leaf.MaxRepetitionLevel > 0 || leaf.MaxDefinitionLevel > 1 {
		return leaf, false, fmt.Errorf("kolumnen %q ska vara ett enkelt värde per rad, inte en lista eller struktur", c)
	}
	switch leaf.Node.Type().Kind() {
	case parquet.ByteArray, parquet.Int32, parquet.Int64, parquet.Boolean, parquet.Int96:
	default:
		return leaf, false, fmt.Errorf("kolumnen %q har typen %s; använd text, heltal, datum, tidpunkt eller boolesk", c, leaf.Node.Type())
	}
	return leaf, true, nil
}

func leafName(l parquet.LeafColumn) string { return strings.Join(l.Path, ".") }

// How a cursor's current page holds its values.
const (
	pageDict    = iota // dictionary indexes
	pageBytes          // byte arrays
	pageInt32          // 32-bit integers
	pageInt64          // 64-bit integers
	pageGeneric        // parquet.Values, for the rest
	pagePlain          // byte arrays each after its length, read here (plainPages)
)

// cursor walks one column chunk's values, page by page, as text.
type cursor struct {
	pages  parquet.Pages // the chunk's pages as parquet-go reads them
	plain  *plainPages   // or as read here, PLAIN text only
	kind   parquet.Kind
	date   func(n int64) time.Time // an integer as the date it stands for (parquetDate), nil for a number
	pad    int                     // zero-pad integers to this many digits (a county code)
	maxDef byte

	onDict func(values [][]byte) (byCode bool) // told of each new dictionary, if set
	byCode bool                                // the values of this dictionary are passed by code only

	page     parquet.Page
	mode     int
	code     int32 // the last value's dictionary entry, -1 if none
	n        int   // values (rows) in the page
	pos      int   // next row in the page
	vpos     int   // next non-null value in the page
	def      []byte
	dict     parquet.Dictionary
	dictText [][]byte
	out      [][]byte // per entry, what fill gives: its text, or nil when passed by code
	fast     int      // the rows of the page fill takes by its short path
	buf      []byte   // the text of the values fill takes by the long path
	idx      []int32
	data     []byte
	offs     []uint32
	at       int // where the next value of a pagePlain page starts
	i32      []int32
	i64      []int64
	vals     []parquet.Value
	text     []byte
	scratch  *dictScratch // where the dictionary's text is kept
	err      error        // a failed load, returned by every later read
}

func newCursor(leaf parquet.LeafColumn, scratch *dictScratch) *cursor {
	typ := leaf.Node.Type()
	c := &cursor{kind: typ.Kind(), maxDef: byte(leaf.MaxDefinitionLevel), scratch: scratch, date: parquetDate(typ)}
	switch {
	case strings.EqualFold(leafName(leaf), "lan"):
		c.pad = 2
	case strings.EqualFold(leafName(leaf), "kommun"):
		c.pad = 4
	}
	return c
}

func (c *cursor) close() {
	if c.page != nil {
		parquet.Release(c.page)
	}
	if c.pages != nil {
		c.pages.Close()
	}
}

var errShortColumn = errors.New("kolumnen har färre värden än filen har rader")

// load reads the next page. A failure sticks: the page is lost.
func (c *cursor) load() error {
	if c.err == nil {
		c.err = c.loadPage()
	}
	return c.err
}

// loadPage reads the column's next page and sets the cursor at its first
// value: dictionary indexes, plain values, or values read one by one.
func (c *cursor) loadPage() error {
	if c.plain != nil {
		return c.loadPlain()
	}
	p, err := c.readPage()
	if err != nil {
		return err
	}
	c.n, c.pos, c.vpos, c.mode, c.fast = int(p.NumValues()), 0, 0, pageGeneric, 0
	c.def = p.DefinitionLevels()
	if p.NumNulls() == 0 {
		c.def = nil // every value is there: the short path of fill
	}
	if d := p.Dictionary(); d != nil {
		c.useDictionary(d)
		data := p.Data()
		c.mode, c.idx = pageDict, data.Int32()
		c.fast = c.fastRows()
		return nil
	}
	if err := c.takeValues(p); err != nil {
		return err
	}
	c.fast = c.fastRows()
	return nil
}

// fastRows is how many rows of the page just loaded fill may take by its
// short path: all of a page without nulls of byte arrays, or of
// dictionary entries that all lie in the dictionary; none of another.
func (c *cursor) fastRows() int {
	if c.def != nil {
		return 0
	}
	switch c.mode {
	case pageBytes, pagePlain:
		c.code = -1
		return c.n
	case pageDict:
		for _, k := range c.idx[:c.n] {
			if uint32(k) >= uint32(len(c.out)) {
				return 0
			}
		}
		return c.n
	}
	return 0
}

// readPage lets go of the current page and reads the next one that holds
// values; a column that ends first is errShortColumn.
func (c *cursor) readPage() (parquet.Page, error) {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	for {
		p, err := c.pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return nil, errShortColumn
		}
		if err != nil {
			return nil, err
		}
		if p.NumValues() > 0 {
			c.page = p
			return p, nil
		}
		parquet.Release(p)
	}
}

// useDictionary turns a dictionary the cursor has not met before to text,
// once for all its pages, and tells onDict of it.
func (c *cursor) useDictionary(d parquet.Dictionary) {
	if d == c.dict {
		return
	}
	c.dict, c.dictText = d, c.scratch.take(d.Len(), func(i int) []byte { return c.valueText(d.Index(int32(i))) })
	c.byCode = c.onDict != nil && c.onDict(c.dictText)
	c.out = c.dictText
	if c.byCode {
		c.out = c.scratch.nils(len(c.dictText))
	}
}

// columnScratch is a worker's room for one column.
type columnScratch struct {
	dict  dictScratch
	plain plainBuffers
}

// dictScratch is a worker's room for one column's dictionary as text,
// used again from row group to row group: a dictionary of a hundred
// thousand clinicians in each of hundreds of row groups was, copied entry
// by entry, most of the garbage a run made. A dictionary's text is valid
// until the worker's next dictionary of the column.
type dictScratch struct {
	buf     []byte
	ends    []int
	text    [][]byte
	nothing [][]byte
}

// take copies n entries, entry(i) each, and returns them.
func (s *dictScratch) take(n int, entry func(i int) []byte) [][]byte {
	if s.buf == nil {
		s.buf = make([]byte, 0, 1024) // an empty entry is text, not a null
	}
	s.buf, s.ends = s.buf[:0], slices.Grow(s.ends[:0], n)[:n]
	for i := range n {
		s.buf = append(s.buf, entry(i)...)
		s.ends[i] = len(s.buf)
	}
	s.text = slices.Grow(s.text[:0], n)[:n]
	start := 0
	for i, end := range s.ends {
		s.text[i], start = s.buf[start:end:end], end
	}
	return s.text
}

// nils is n nil entries.
func (s *dictScratch) nils(n int) [][]byte {
	s.nothing = slices.Grow(s.nothing[:0], n)[:n]
	clear(s.nothing)
	return s.nothing
}

// takeValues points the cursor at a plain page's values: byte arrays and
// integers as the page holds them, other kinds read as parquet.Values.
func (c *cursor) takeValues(p parquet.Page) error {
	data := p.Data()
	switch c.kind {
	case parquet.ByteArray:
		c.mode = pageBytes
		c.data, c.offs = data.ByteArray()
	case parquet.Int32:
		c.mode, c.i32 = pageInt32, data.Int32()
	case parquet.Int64:
		c.mode, c.i64 = pageInt64, data.Int64()
	default:
		return c.readValues(p)
	}
	return nil
}

// readValues reads every value of the page into c.vals (pageGeneric).
func (c *cursor) readValues(p parquet.Page) error {
	c.mode = pageGeneric
	if cap(c.vals) < c.n {
		c.vals = make([]parquet.Value, c.n)
	}
	c.vals = c.vals[:c.n]
	r := p.Values()
	for read := 0; read < c.n; {
		k, err := r.ReadValues(c.vals[read:])
		read += k
		if err != nil && (!errors.Is(err, io.EOF) || read < c.n) {
			return fmt.Errorf("läs sidan: %w", err)
		}
		if k == 0 && err == nil {
			return errShortColumn
		}
	}
	return nil
}

var errBadCode = errors.New("ett värde pekar utanför sidans ordlista")

// checkCode makes sure a value passed by code is in the dictionary.
func (c *cursor) checkCode() error {
	if uint32(c.code) >= uint32(len(c.dictText)) {
		return errBadCode
	}
	return nil
}

func (c *cursor) nextSlow() ([]byte, error) {
	if c.pos >= c.n {
		if err := c.load(); err != nil {
			return nil, err
		}
	}
	i := c.pos
	c.pos++
	c.code = -1
	if c.mode == pageGeneric {
		return c.valueText(c.vals[i]), nil
	}
	if len(c.def) > 0 && c.def[i] != c.maxDef {
		return nil, nil
	}
	v := c.vpos
	c.vpos++
	switch c.mode {
	case pageDict:
		c.code = c.idx[v]
		if c.byCode {
			return nil, c.checkCode()
		}
		return c.dictText[c.code], nil
	case pageBytes:
		return c.data[c.offs[v]:c.offs[v+1]], nil
	case pagePlain:
		return c.nextPlain()
	case pageInt32:
		return c.intText(int64(c.i32[v])), nil
	default:
		return c.intText(c.i64[v]), nil
	}
}

// valueText is a value as text: bytes as they are, a date as YYYY-MM-DD,
// an integer in decimal, a boolean as 1 or 0, a null as nil.
func (c *cursor) valueText(v parquet.Value) []byte {
	switch {
	case v.IsNull():
		return nil
	case v.Kind() == parquet.ByteArray:
		return v.ByteArray()
	case v.Kind() == parquet.Boolean:
		if v.Boolean() {
			return []byte("1")
		}
		return []byte("0")
	case v.Kind() == parquet.Int32:
		return c.intText(int64(v.Int32()))
	case v.Kind() == parquet.Int64:
		return c.intText(v.Int64())
	case v.Kind() == parquet.Int96:
		c.text = int96Time(v.Int96()).AppendFormat(c.text[:0], time.DateOnly)
		return c.text
	}
	return append(c.text[:0], v.String()...)
}

func (c *cursor) intText(n int64) []byte {
	if c.date != nil {
		c.text = c.date(n).AppendFormat(c.text[:0], time.DateOnly)
		return c.text
	}
	c.text = strconv.AppendInt(c.text[:0], n, 10)
	for len(c.text) < c.pad {
		c.text = append([]byte{'0'}, c.text...)
	}
	return c.text
}

// readBuffer is the size of the buffer each column chunk's pages are read
// through.
const readBuffer = 1 << 20
