package followup

import (
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// A Parquet file says in each page's header how large the page is once
// decompressed, and parquet-go allocates that much (or what the data
// really decompresses to) before anyone sees a value. A small file can so
// ask for gigabytes: one 56 KB file with a single 484 MiB page did. Before
// a column chunk is read, its page headers are read on their own and
// every page, dictionary and the chunk as a whole are checked against a
// budget; what is beyond it is refused with the file, row group and
// column, and nothing of it is decompressed.

// DefaultMaxParquetPage is the most memory one Parquet page or dictionary
// may take once decompressed and decoded when Options.MaxParquetPage is 0.
// Writers make pages of about 1 MiB (parquet-go, pyarrow, DuckDB); 64 MiB
// leaves room for any of them and keeps two workers reading four columns
// well under a gigabyte.
const DefaultMaxParquetPage = 64 << 20

// chunkPages is how many page budgets one column chunk may declare in all
// (1 GiB with the default budget). Pages are read one at a time, so this
// bounds the work one chunk asks for rather than the memory it takes.
const chunkPages = 16

// maxPageHeader is the largest page header read: headers are tens of
// bytes, a few kilobytes with statistics of long text.
const maxPageHeader = 1 << 20

// maxParquetPage is the budget per page in effect.
func (o Options) maxParquetPage() int64 {
	if o.MaxParquetPage > 0 {
		return o.MaxParquetPage
	}
	return DefaultMaxParquetPage
}

// sizeText writes a number of bytes for a message, in MiB or KiB (rounded
// up) when it is at least one.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", (n+1<<20-1)>>20)
	}
	if n >= 1<<10 {
		return fmt.Sprintf("%d KiB", (n+1<<10-1)>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

// checkFooter checks the length a Parquet file gives its footer (the
// metadata, read whole before anything else) against the file and the
// budget: parquet-go would allocate it before reading.
func checkFooter(r io.ReaderAt, size, budget int64) error {
	if size < 12 {
		return fmt.Errorf("filen är för kort (%d byte)", size)
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if string(tail[4:]) != parquetMagic {
		return errors.New("filen slutar inte med PAR1")
	}
	if n > size-12 {
		return fmt.Errorf("metadata på %d byte ryms inte i filen (%d byte)", n, size)
	}
	if n > budget {
		return fmt.Errorf("metadata på %s är mer än gränsen %s", sizeText(n), sizeText(budget))
	}
	foot := make([]byte, n)
	if _, err := r.ReadAt(foot, size-8-n); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	w := thriftWalk{b: foot}
	if err := w.value(12, 0); err != nil {
		return fmt.Errorf("trasig metadata: %w", err)
	}
	if w.cost > budget {
		return fmt.Errorf("metadata som skulle ta %s minne, mer än gränsen %s", sizeText(w.cost), sizeText(budget))
	}
	return nil
}

// thriftWalk reads a Thrift compact-protocol value without keeping it,
// to know what decoding it would allocate: parquet-go's decoder makes a
// list as long as its header says before reading an element, so a footer
// of a hundred bytes saying "2 147 483 647 columns" took the process down
// (runtime: out of memory, which no recover catches). Every list, set,
// map and text must fit in the bytes left, and their elements are counted
// at what they take decoded: 1 KiB a struct (format.ColumnChunk, the
// largest, is 560 bytes), 24 bytes anything else.
type thriftWalk struct {
	b    []byte
	cost int64
}

var errThrift = errors.New("Thrift-data som inte går ihop")

func (w *thriftWalk) byte() (byte, error) {
	if len(w.b) == 0 {
		return 0, errThrift
	}
	c := w.b[0]
	w.b = w.b[1:]
	return c, nil
}

func (w *thriftWalk) varint() (uint64, error) {
	n, k := binary.Uvarint(w.b)
	if k <= 0 {
		return 0, errThrift
	}
	w.b = w.b[k:]
	return n, nil
}

func (w *thriftWalk) skip(n uint64) error {
	if n > uint64(len(w.b)) {
		return errThrift
	}
	w.b = w.b[n:]
	return nil
}

// elements checks a collection of n elements, each at least min bytes,
// against what is left and counts what it takes.
func (w *thriftWalk) elements(n uint64, typ byte, min uint64) error {
	if n*min > uint64(len(w.b)) {
		return errThrift
	}
	if typ == 12 {
		w.cost += int64(n) << 10
	} else {
		w.cost += int64(n) * 24
	}
	return nil
}

// value walks one value of the compact type typ.
func (w *thriftWalk) value(typ byte, depth int) error {
	if depth > 64 {
		return errThrift
	}
	switch typ {
	case 1, 2: // booleans, in the field header
		return nil
	case 3:
		return w.skip(1)
	case 4, 5, 6:
		_, err := w.varint()
		return err
	case 7:
		return w.skip(8)
	case 8:
		n, err := w.varint()
		if err != nil {
			return err
		}
		return w.skip(n)
	case 9, 10:
		h, err := w.byte()
		if err != nil {
			return err
		}
		n, et := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = w.varint(); err != nil {
				return err
			}
		}
		if err := w.elements(n, et, 1); err != nil {
			return err
		}
		if et == 1 || et == 2 { // booleans in a list take a byte each
			return w.skip(n)
		}
		for range n {
			if err := w.value(et, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11:
		n, err := w.varint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		if err := w.elements(2*n, 0, 1); err != nil {
			return err
		}
		for range n {
			if err := w.value(kv>>4, depth+1); err != nil {
				return err
			}
			if err := w.value(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12:
		for {
			h, err := w.byte()
			if err != nil {
				return err
			}
			if h == 0 {
				return nil
			}
			if h>>4 == 0 { // a field id of its own
				if _, err := w.varint(); err != nil {
					return err
				}
			}
			if err := w.value(h&0x0f, depth+1); err != nil {
				return err
			}
		}
	}
	return errThrift
}

// pageBudget checks the pages of one column chunk against a budget.
type pageBudget struct {
	r       io.ReaderAt
	size    int64 // the file's
	max     int64 // per page and dictionary
	byValue bool  // the column's values are read one by one (24 bytes each)
	header  []byte
	plain   bool     // a data page is not dictionary-encoded (set by check)
	pages   []pageAt // the chunk's pages (set by check)
}

// check reads the page headers of the column chunk meta describes and
// refuses it if any page, its dictionary or the chunk takes more than the
// budget, if a page lies outside the chunk or the chunk outside the file,
// or if a page's data decompresses to more than its header says. Only
// headers and, for codecs that do not state the size in their data, the
// decompressed size (counted, not kept) are read.
func (b *pageBudget) check(meta *format.ColumnMetaData) error {
	start := meta.DataPageOffset
	if meta.DictionaryPageOffset > 0 {
		start = meta.DictionaryPageOffset
	}
	end := start + meta.TotalCompressedSize
	if start < 4 || meta.TotalCompressedSize < 0 || end > b.size || end < start {
		return fmt.Errorf("kolumnens data ligger utanför filen (byte %d–%d av %d)", start, end, b.size)
	}
	if meta.TotalUncompressedSize > chunkPages*b.max {
		return fmt.Errorf("kolumnen packas upp till %s i radgruppen, mer än gränsen %s", sizeText(meta.TotalUncompressedSize), sizeText(chunkPages*b.max))
	}
	var total int64
	for page, off := 1, start; off < end; page++ {
		h, data, err := b.readHeader(off, end)
		if err != nil {
			return fmt.Errorf("sida %d: %w", page, err)
		}
		if h.CompressedPageSize < 0 || h.UncompressedPageSize < 0 || int64(h.CompressedPageSize) > end-data {
			return fmt.Errorf("sida %d: storleken %d byte går utanför kolumnens data", page, h.CompressedPageSize)
		}
		if err := b.checkPage(meta.Codec, h, data); err != nil {
			if h.Type == format.DictionaryPage {
				return fmt.Errorf("ordlistan: %w", err)
			}
			return fmt.Errorf("sida %d: %w", page, err)
		}
		b.noteEncoding(h)
		b.pages = append(b.pages, pageAt{h: h, data: data})
		total += int64(max(h.UncompressedPageSize, h.CompressedPageSize))
		if total > chunkPages*b.max {
			return fmt.Errorf("kolumnen packas upp till mer än gränsen %s i radgruppen", sizeText(chunkPages*b.max))
		}
		off = data + int64(h.CompressedPageSize)
	}
	return nil
}

// noteEncoding notes a data page whose values are not dictionary entries.
// The page headers say so whether or not the writer also put encoding
// statistics in the file's metadata (DuckDB does not).
func (b *pageBudget) noteEncoding(h *format.PageHeader) {
	var enc format.Encoding
	switch {
	case h.Type == format.DataPage && h.DataPageHeader.Valid:
		enc = h.DataPageHeader.V.Encoding
	case h.Type == format.DataPageV2 && h.DataPageHeaderV2.Valid:
		enc = h.DataPageHeaderV2.V.Encoding
	default:
		return
	}
	if enc != format.RLEDictionary && enc != format.PlainDictionary {
		b.plain = true
	}
}

// readHeader reads the page header at off, no further than end, and
// returns it with the offset of the page's data. A header is read into a
// buffer that grows up to maxPageHeader, so a length in it that points
// beyond the buffer is an error, never an allocation.
func (b *pageBudget) readHeader(off, end int64) (*format.PageHeader, int64, error) {
	for n := int64(512); ; n *= 8 {
		n = min(n, end-off, maxPageHeader)
		if cap(b.header) < int(n) {
			b.header = make([]byte, n)
		}
		buf := b.header[:n]
		if _, err := b.r.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return nil, 0, err
		}
		h := new(format.PageHeader)
		var proto thrift.CompactProtocol
		pr := proto.NewReaderFromBytes(buf)
		err := thrift.NewDecoder(pr).Decode(h)
		if err == nil {
			read := int64(pr.(interface{ BytesRead() int }).BytesRead())
			return h, off + read, nil
		}
		if n == end-off || n == maxPageHeader || !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, fmt.Errorf("trasigt sidhuvud: %v", err)
		}
	}
}

var errNoPageHeader = errors.New("sidhuvudet saknar sidans typ")

// checkPage checks one page whose data starts at data.
func (b *pageBudget) checkPage(codec format.CompressionCodec, h *format.PageHeader, data int64) error {
	var values int64 // how many values the page decodes to
	var levels int64 // bytes at the start of the data that are never compressed
	compressed := codec != format.Uncompressed
	dict := false
	switch h.Type {
	case format.DataPage:
		if !h.DataPageHeader.Valid {
			return errNoPageHeader
		}
		values = int64(h.DataPageHeader.V.NumValues)
	case format.DataPageV2:
		if !h.DataPageHeaderV2.Valid {
			return errNoPageHeader
		}
		v2 := &h.DataPageHeaderV2.V
		values = int64(v2.NumValues)
		levels = int64(v2.RepetitionLevelsByteLength) + int64(v2.DefinitionLevelsByteLength)
		if v2.IsCompressed.Valid && !v2.IsCompressed.V {
			compressed = false
		}
		if levels < 0 || levels > int64(h.CompressedPageSize) || levels > int64(h.UncompressedPageSize) {
			return fmt.Errorf("nivåerna (%d byte) är större än sidan", levels)
		}
	case format.DictionaryPage:
		if !h.DictionaryPageHeader.Valid {
			return errNoPageHeader
		}
		values, dict = int64(h.DictionaryPageHeader.V.NumValues), true
	default:
		return nil // index pages and the like: parquet-go skips or refuses them
	}
	if values < 0 {
		return fmt.Errorf("antalet värden %d är negativt", values)
	}
	unpacked := int64(h.UncompressedPageSize)
	if !compressed {
		unpacked = int64(h.CompressedPageSize)
	}
	// What the page takes: its data as read and as decompressed, and per
	// value an index or offset and a level; a dictionary keeps each entry
	// also as text, and a value read one by one is a 24-byte parquet.Value.
	need := int64(h.CompressedPageSize) + unpacked + values*5
	if dict {
		need = int64(h.CompressedPageSize) + 2*unpacked + values*48
	} else if b.byValue {
		need += values * 24
	}
	if need > b.max {
		return fmt.Errorf("är %s uppackad (%d värden) och behöver mer minne än gränsen %s per sida", sizeText(unpacked), values, sizeText(b.max))
	}
	if !compressed {
		return nil
	}
	sr := io.NewSectionReader(b.r, data+levels, int64(h.CompressedPageSize)-levels)
	if err := decompressedAtMost(codec, sr, unpacked-levels, b.max); err != nil {
		return err
	}
	return nil
}

// zstdAtMost is decompressedAtMost for zstd: the frame and block headers
// bound the size when they can (zstdBound); else the data is decompressed
// and counted.
func zstdAtMost(r *io.SectionReader, limit, budget int64) error {
	if n, ok := zstdBound(r); ok && n <= limit {
		return nil
	}
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(uint64(budget)), zstd.WithDecoderMaxWindow(uint64(max(budget, zstd.MinWindowSize))))
	if err != nil {
		return errLies
	}
	defer zr.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(zr, limit+1))
	if err != nil || n > limit {
		return errLies
	}
	return nil
}

// errLies is a page whose data decompresses to more than its header says.
var errLies = errors.New("packas upp till mer än sidhuvudet säger, eller är trasig")

// decompressedAtMost makes sure that the compressed data in r decompresses
// to at most limit bytes, without keeping what it decompresses: snappy
// states the size first; zstd is bounded by its frame and block headers
// (zstdBound) when they bound it within limit; the others are decompressed
// and counted, except LZ4, which is decompressed into a buffer of exactly
// limit bytes. A zstd window may be as large as the budget.
func decompressedAtMost(codec format.CompressionCodec, r *io.SectionReader, limit, budget int64) error {
	var dec io.Reader
	switch codec {
	case format.Snappy:
		head := make([]byte, min(r.Size(), 10))
		if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		n, err := snappy.DecodedLen(head)
		if err != nil || int64(n) > limit {
			return errLies
		}
		return nil
	case format.Lz4Raw:
		src := make([]byte, r.Size())
		if _, err := io.ReadFull(r, src); err != nil {
			return err
		}
		if _, err := lz4.UncompressBlock(src, make([]byte, limit)); err != nil {
			return errLies
		}
		return nil
	case format.Gzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return errLies
		}
		dec = zr
	case format.Zstd:
		return zstdAtMost(r, limit, budget)
	case format.Brotli:
		dec = brotli.NewReader(r)
	default:
		return nil // parquet-go refuses the codec itself
	}
	n, err := io.Copy(io.Discard, io.LimitReader(dec, limit+1))
	if err != nil || n > limit {
		return errLies
	}
	return nil
}
