package followup

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"sync"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// A column chunk of text whose data pages are all PLAIN (ids stored as
// they are: patient_id and, at scale, vardgivare_id as DuckDB and
// parquet-go write them) is read here rather than by parquet-go, which
// copies every value into a buffer of its own and so took a twentieth of
// a run's CPU time. A PLAIN page is each value's length in 4 bytes, then
// its bytes; plainPages decompresses the page, and the cursor hands a
// value on where it lies, past its length, reading the lengths as its
// rows are taken (pagePlain: fillPlain, nextPlain); the values must fill
// the page exactly. The chunk's page headers are those pageBudget read
// and checked, so a page is read once, at a size already known to be
// within the budget.

// readPlain is false only in tests that compare plain pages read here
// with parquet-go's reading of them.
var readPlain = true

// pageAt is a page header and where the page's data begins in the file.
type pageAt struct {
	h    *format.PageHeader
	data int64
}

// plainBuffers is a worker's room for one column's plain pages, used
// again from page to page and row group to row group.
type plainBuffers struct {
	packed []byte // the page as stored
	page   []byte // decompressed
	levels []byte // definition levels, one a value, when some are null
}

// plainPages reads a chunk's PLAIN pages of byte arrays.
type plainPages struct {
	r      io.ReaderAt
	codec  format.CompressionCodec
	pages  []pageAt
	next   int
	maxDef byte
	buf    *plainBuffers
	zstd   *zstdPages
}

// plainPage is one page read: n values, def their definition levels (nil
// when none is null), and the values, each after its length.
type plainPage struct {
	n    int
	def  []byte
	data []byte
}

// plainChunk returns a reader for the chunk whose pages b checked, or nil
// when parquet-go is to read it: a chunk of another type, with a
// dictionary, with a data page of another encoding, or compressed by a
// codec other than snappy and zstd.
func plainChunk(b *pageBudget, leaf parquet.LeafColumn, codec format.CompressionCodec, buf *plainBuffers, zstd *zstdPages) *plainPages {
	if !readPlain || leaf.Node.Type().Kind() != parquet.ByteArray || leaf.MaxDefinitionLevel > 1 {
		return nil
	}
	switch codec {
	case format.Uncompressed, format.Snappy, format.Zstd:
	default:
		return nil
	}
	for _, p := range b.pages {
		switch {
		case p.h.Type == format.DictionaryPage:
			return nil
		case p.h.Type == format.DataPage && p.h.DataPageHeader.V.Encoding != format.Plain:
			return nil
		case p.h.Type == format.DataPageV2 && p.h.DataPageHeaderV2.V.Encoding != format.Plain:
			return nil
		}
	}
	return &plainPages{r: b.r, codec: codec, pages: b.pages, maxDef: byte(leaf.MaxDefinitionLevel), buf: buf, zstd: zstd}
}

// read reads the next page with values; io.EOF after the last.
func (p *plainPages) read() (plainPage, error) {
	for ; p.next < len(p.pages); p.next++ {
		at := p.pages[p.next]
		if n := pageValues(at.h); n > 0 {
			p.next++
			return p.readPage(at, n)
		}
	}
	return plainPage{}, io.EOF
}

// pageValues is how many values a data page holds, 0 for another page.
func pageValues(h *format.PageHeader) int {
	switch {
	case h.Type == format.DataPage:
		return int(h.DataPageHeader.V.NumValues)
	case h.Type == format.DataPageV2:
		return int(h.DataPageHeaderV2.V.NumValues)
	}
	return 0
}

var (
	errPlainLevels = errors.New("sidans definitionsnivåer går inte att läsa")
	errPlainValues = errors.New("sidans värden stämmer inte med dess längder och antal")
)

// readPage reads the page at of n values: v1 holds its definition levels
// (4 bytes of length, then the levels) in its compressed data, v2 before
// it, uncompressed.
func (p *plainPages) readPage(at pageAt, n int) (plainPage, error) {
	b := p.buf
	b.packed = slices.Grow(b.packed[:0], int(at.h.CompressedPageSize))[:at.h.CompressedPageSize]
	if k, err := p.r.ReadAt(b.packed, at.data); k < len(b.packed) {
		return plainPage{}, cmp.Or(err, io.ErrUnexpectedEOF)
	}
	var levels, body []byte
	var err error
	if at.h.Type == format.DataPageV2 {
		v2 := &at.h.DataPageHeaderV2.V
		split := int(v2.RepetitionLevelsByteLength) + int(v2.DefinitionLevelsByteLength)
		levels, body = b.packed[v2.RepetitionLevelsByteLength:split], b.packed[split:]
		if !v2.IsCompressed.Valid || v2.IsCompressed.V {
			body, err = p.decompress(body, int(at.h.UncompressedPageSize)-split)
		}
		if p.maxDef == 0 || v2.NumNulls == 0 {
			levels = nil
		}
	} else {
		body, err = p.decompress(b.packed, int(at.h.UncompressedPageSize))
		if err == nil && p.maxDef > 0 {
			levels, body, err = cutLevels(body)
		}
	}
	if err != nil {
		return plainPage{}, err
	}
	page := plainPage{n: n, data: body}
	if levels != nil {
		page.def, err = definitionLevels(levels, n, p.maxDef, b)
	}
	return page, err
}

// cutLevels splits a v1 page's data into its definition levels and its
// values.
func cutLevels(data []byte) (levels, values []byte, err error) {
	if len(data) < 4 {
		return nil, nil, errPlainLevels
	}
	n := binary.LittleEndian.Uint32(data)
	if uint64(n) > uint64(len(data)-4) {
		return nil, nil, errPlainLevels
	}
	return data[4 : 4+n], data[4+n:], nil
}

// definitionLevels reads n definition levels of a column that is a
// single optional value (1 for a value, 0 for a null). It returns nil for
// levels that are all maxDef, which is how writers store a column without
// nulls.
func definitionLevels(src []byte, n int, maxDef byte, b *plainBuffers) ([]byte, error) {
	if h, k := binary.Uvarint(src); k > 0 && h&1 == 0 && h>>1 >= uint64(n) && len(src) > k && src[k] == maxDef {
		return nil, nil // one run of values
	}
	out, err := hybridBits(src, n, b.levels[:0])
	if err != nil {
		return nil, err
	}
	b.levels = out
	if bytes.IndexByte(out, 0) < 0 {
		return nil, nil
	}
	return out, nil
}

// hybridBits appends to out n values of the RLE and bit-packed hybrid
// encoding at a bit width of 1: runs of one value, and groups of eight
// values packed in a byte, the first in the lowest bit.
func hybridBits(src []byte, n int, out []byte) ([]byte, error) {
	for len(out) < n {
		h, k := binary.Uvarint(src)
		if k <= 0 {
			return nil, errPlainLevels
		}
		src = src[k:]
		if h&1 == 0 { // a run of one value
			if len(src) == 0 || src[0] > 1 {
				return nil, errPlainLevels
			}
			count := int(min(h>>1, uint64(n-len(out))))
			for range count {
				out = append(out, src[0])
			}
			src = src[1:]
			continue
		}
		groups := h >> 1
		if groups > uint64(len(src)) {
			return nil, errPlainLevels
		}
		for _, c := range src[:groups] {
			for bit := 0; bit < 8 && len(out) < n; bit++ {
				out = append(out, c>>bit&1)
			}
		}
		src = src[groups:]
	}
	return out, nil
}

// decompress returns data decompressed, which must be exactly want bytes.
func (p *plainPages) decompress(data []byte, want int) ([]byte, error) {
	if want < 0 {
		return nil, errLies
	}
	b := p.buf
	b.page = slices.Grow(b.page[:0], want)
	var out []byte
	var err error
	switch p.codec {
	case format.Uncompressed:
		out = data
	case format.Snappy:
		if n, e := snappy.DecodedLen(data); e != nil || n != want {
			return nil, errLies
		}
		out, err = snappy.Decode(b.page[:want], data)
	case format.Zstd:
		var d *zstd.Decoder
		if d, err = p.zstd.decoder(); err == nil {
			out, err = d.DecodeAll(data, b.page[:0])
		}
	}
	if err != nil || len(out) != want {
		return nil, errLies
	}
	return out, nil
}

// zstdPages is a scan's zstd decoder for plain pages, made when the first
// is needed and shared by the workers (each DecodeAll takes one of its
// GOMAXPROCS decoders). It refuses a window or a page beyond the budget,
// though pageBudget has bounded every page before it is read.
type zstdPages struct {
	once   sync.Once
	d      *zstd.Decoder
	err    error
	budget int64
}

func (z *zstdPages) decoder() (*zstd.Decoder, error) {
	z.once.Do(func() {
		z.d, z.err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(uint64(z.budget)),
			zstd.WithDecoderMaxWindow(uint64(max(z.budget, zstd.MinWindowSize))))
	})
	return z.d, z.err
}

// close lets the decoder go, once the scan's workers are done.
func (z *zstdPages) close() {
	if z.d != nil {
		z.d.Close()
	}
}

// loadPlain reads the next page of a cursor on plain pages.
func (c *cursor) loadPlain() error {
	p, err := c.plain.read()
	if errors.Is(err, io.EOF) {
		return errShortColumn
	}
	if err != nil {
		return err
	}
	c.n, c.pos, c.vpos, c.mode, c.at = p.n, 0, 0, pagePlain, 0
	c.def, c.data = p.def, p.data
	c.fast = c.fastRows()
	return nil
}

// fillPlain is fill on a page of plainPages without nulls: each value's
// length is read as the value is taken, so the page is read once. It
// returns how many values it took before an error.
func (c *cursor) fillPlain(vals [][]byte, codes []int32, stride, m int) (int, error) {
	for r := range m {
		v, err := c.nextPlain()
		if err != nil {
			return r, err
		}
		vals[r*stride], codes[r*stride] = v, -1
	}
	c.pos += m
	if err := c.plainEnd(); err != nil {
		return m - 1, err
	}
	return m, nil
}

// nextPlain is the next value of a pagePlain page, past its length. The
// value keeps the page's capacity after it, so that pack reads a short id
// in one load.
func (c *cursor) nextPlain() ([]byte, error) {
	at := c.at
	if len(c.data)-at < 4 {
		return nil, errPlainValues
	}
	end := at + 4 + int(binary.LittleEndian.Uint32(c.data[at:]))
	if end > len(c.data) {
		return nil, errPlainValues
	}
	c.at = end
	return c.data[at+4 : end], nil
}

// plainEnd checks, once a pagePlain page's last row is taken, that its
// values filled it exactly.
func (c *cursor) plainEnd() error {
	if c.mode == pagePlain && c.pos == c.n && c.at != len(c.data) {
		return errPlainValues
	}
	return nil
}
