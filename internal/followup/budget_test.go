package followup

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// rewriteChunk returns a copy of a Parquet file in which column col of the
// first row group is replaced: edit may change each page header of the
// chunk and its data. The new chunk is put after the old data, and the
// footer points to it (the old chunk stays, unreferenced); the chunk's
// metadata keeps its declared sizes unless meta changes them.
func rewriteChunk(t testing.TB, file []byte, col int, edit func(h *format.PageHeader, data []byte) []byte, meta func(*format.ColumnMetaData)) []byte {
	t.Helper()
	var proto thrift.CompactProtocol
	footLen := int(binary.LittleEndian.Uint32(file[len(file)-8:]))
	footStart := len(file) - 8 - footLen
	var md format.FileMetaData
	if err := thrift.Unmarshal(&proto, file[footStart:len(file)-8], &md); err != nil {
		t.Fatal(err)
	}
	cm := &md.RowGroups[0].Columns[col].MetaData
	start := cm.DataPageOffset
	if cm.DictionaryPageOffset > 0 {
		start = cm.DictionaryPageOffset
	}
	end := start + cm.TotalCompressedSize
	out := bytes.Clone(file[:footStart])
	newStart := int64(len(out))
	dataStart := int64(-1)
	for off := start; off < end; {
		h := new(format.PageHeader)
		pr := proto.NewReaderFromBytes(file[off:end])
		if err := thrift.NewDecoder(pr).Decode(h); err != nil {
			t.Fatal(err)
		}
		off += int64(pr.(interface{ BytesRead() int }).BytesRead())
		data := file[off : off+int64(h.CompressedPageSize)]
		off += int64(h.CompressedPageSize)
		data = edit(h, bytes.Clone(data))
		h.CompressedPageSize = int32(len(data))
		h.CRC = 0
		hb, err := thrift.Marshal(&proto, h)
		if err != nil {
			t.Fatal(err)
		}
		if h.Type != format.DictionaryPage && dataStart < 0 {
			dataStart = int64(len(out))
		}
		out = append(append(out, hb...), data...)
	}
	if cm.DictionaryPageOffset > 0 {
		cm.DictionaryPageOffset = newStart
	}
	cm.DataPageOffset = dataStart
	cm.TotalCompressedSize = int64(len(out)) - newStart
	md.RowGroups[0].Columns[col].FileOffset = newStart
	if meta != nil {
		meta(cm)
	}
	foot, err := thrift.Marshal(&proto, &md)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, foot...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(foot)))
	return append(out, "PAR1"...)
}

// bomb is a small listings file whose patient_id column has one data page
// that says it is size bytes once decompressed, as a file made to exhaust
// memory would. Its chunk's metadata says nothing unusual.
func bomb(t testing.TB, size int32) []byte {
	good := writeParquet(t, []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E", Kon: "K", Fodelsear: 1950}}, 10, parquet.Compression(&parquet.Snappy))
	return rewriteChunk(t, good, 0, func(h *format.PageHeader, data []byte) []byte {
		if h.Type != format.DictionaryPage {
			h.UncompressedPageSize = size
		}
		return data
	}, nil)
}

// realBomb is a small listings file whose patient_id column has one data
// page that truly decompresses to size bytes of zeros, compressed with
// zstd (56 KB for 484 MiB), its header telling the truth. The values need
// not decode: a page is decompressed whole before it is decoded. Before
// the budget, narvard indicators took 520 MB (RSS) on it; now 22 MB.
func realBomb(t testing.TB, size int) []byte {
	good := writeParquet(t, []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E", Kon: "K", Fodelsear: 1950}}, 10, parquet.Compression(&parquet.Zstd))
	return rewriteChunk(t, good, 0, func(h *format.PageHeader, data []byte) []byte {
		if h.Type == format.DictionaryPage {
			return data
		}
		var packed bytes.Buffer
		zw, err := zstd.NewWriter(&packed, zstd.WithEncoderConcurrency(1))
		if err != nil {
			t.Fatal(err)
		}
		zeros := make([]byte, 1<<20)
		for left := size; left > 0; left -= len(zeros) {
			zw.Write(zeros[:min(left, len(zeros))])
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		h.UncompressedPageSize = int32(size)
		h.DataPageHeader.V.NumValues = 1
		return packed.Bytes()
	}, nil)
}

// TestParquetRealBomb: a file of a few kilobytes whose one page truly
// decompresses to 484 MiB is refused by its page header's size, naming
// the file and the column, allocating next to nothing; with the budget
// out of the way (here 48 MiB, to keep the test light) parquet-go
// decompresses it.
func TestParquetRealBomb(t *testing.T) {
	file := realBomb(t, 484<<20)
	if len(file) > 100<<10 {
		t.Fatalf("the bomb is %d bytes", len(file))
	}
	var err error
	n := allocated(func() {
		_, err = Compute(context.Background(), Input{ListingsName: "listningar.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, year2023)
	})
	want := `listningar.parquet: radgrupp 1: kolumnen "patient_id": sida 1: är 484 MiB uppackad (1 värden) och behöver mer minne än gränsen 64 MiB per sida`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	if n > 8<<20 {
		t.Errorf("reading the bomb allocated %d MiB", n>>20)
	}
	o := year2023
	o.MaxParquetPage = 1 << 40
	small := realBomb(t, 48<<20)
	if n := allocated(func() {
		Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(small), Visits: strings.NewReader(visitHead)}, o)
	}); n < 48<<20 {
		t.Errorf("without the budget the bomb allocated only %d MiB", n>>20)
	}
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestParquetBomb: a file of a few hundred bytes with one page of 484 MiB
// is refused before that page is decompressed, with the file and the
// column in the message, and reading it allocates next to nothing.
func TestParquetBomb(t *testing.T) {
	file := bomb(t, 484<<20)
	if len(file) > 4096 {
		t.Fatalf("the bomb is %d bytes", len(file))
	}
	var err error
	n := allocated(func() {
		_, err = Compute(context.Background(), Input{ListingsName: "listningar.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, year2023)
	})
	want := `listningar.parquet: radgrupp 1: kolumnen "patient_id": sida 1: är 484 MiB uppackad (1 värden) och behöver mer minne än gränsen 64 MiB per sida`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	if n > 8<<20 {
		t.Errorf("reading the bomb allocated %d MiB", n>>20)
	}
}

// TestParquetBombIsReal makes sure the bomb would do what it is made for:
// with the budget out of the way parquet-go allocates the page's stated
// size. (48 MiB here, to keep the test light.)
func TestParquetBombIsReal(t *testing.T) {
	file := bomb(t, 48<<20)
	o := year2023
	o.MaxParquetPage = 1 << 40
	n := allocated(func() {
		Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, o)
	})
	if n < 48<<20 {
		t.Errorf("without the budget the bomb allocated only %d MiB", n>>20)
	}
	o.MaxParquetPage = 40 << 20
	_, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, o)
	if err == nil || !strings.Contains(err.Error(), "behöver mer minne än gränsen 40 MiB per sida") {
		t.Errorf("err = %v", err)
	}
}

// TestParquetBudgetRefusals: a dictionary too large, a chunk that declares
// too much in all, a page that decompresses to more than it says, and
// pages that point outside their chunk are each refused, naming the
// column; a file within the budget is read.
func TestParquetBudgetRefusals(t *testing.T) {
	rows := make([]pqListing, 3000)
	for i := range rows {
		rows[i] = pqListing{PatientID: fmt.Sprintf("p%d", i), Lan: 25, EnhetID: fmt.Sprintf("E%d", i), Kon: "K", Fodelsear: 1950}
	}
	good := writeParquet(t, rows, 5000, parquet.Compression(&parquet.Zstd))
	enhet := 2 // enhet_id, dictionary-encoded
	small := year2023
	small.MaxParquetPage = 128 << 10
	tests := []struct {
		name string
		file []byte
		o    Options
		want string
	}{
		{"dictionary", good, small, `kolumnen "enhet_id": ordlistan: är 26 KiB uppackad (3000 värden) och behöver mer minne än gränsen 128 KiB per sida`},
		{"chunk", rewriteChunk(t, good, enhet, func(h *format.PageHeader, data []byte) []byte { return data },
			func(m *format.ColumnMetaData) { m.TotalUncompressedSize = 2 << 30 }), year2023, `kolumnen "enhet_id": kolumnen packas upp till 2048 MiB i radgruppen, mer än gränsen 1024 MiB`},
		{"lies", rewriteChunk(t, good, enhet, func(h *format.PageHeader, data []byte) []byte {
			if h.Type == format.DictionaryPage {
				h.UncompressedPageSize = 10
			}
			return data
		}, nil), year2023, `kolumnen "enhet_id": ordlistan: packas upp till mer än sidhuvudet säger`},
		{"outside", rewriteChunk(t, good, enhet, func(h *format.PageHeader, data []byte) []byte { return data },
			func(m *format.ColumnMetaData) { m.TotalCompressedSize = 1 << 30 }), year2023, `kolumnen "enhet_id": kolumnens data ligger utanför filen`},
		{"short", rewriteChunk(t, good, enhet, func(h *format.PageHeader, data []byte) []byte { return data },
			func(m *format.ColumnMetaData) { m.TotalCompressedSize -= 10 }), year2023, `kolumnen "enhet_id": sida 4: storleken`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(tt.file), Visits: strings.NewReader(visitHead)}, tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(good), Visits: strings.NewReader(visitHead)}, year2023); err != nil {
		t.Errorf("a good file: %v", err)
	}
}

// TestDecompressedAtMost: data that decompresses to more than the page
// says is refused by every codec that parquet-go reads, without holding
// what it decompresses.
func TestDecompressedAtMost(t *testing.T) {
	zeros := make([]byte, 32<<20)
	codecs := map[format.CompressionCodec]interface {
		Encode(dst, src []byte) ([]byte, error)
	}{format.Snappy: &parquet.Snappy, format.Gzip: &parquet.Gzip, format.Zstd: &parquet.Zstd, format.Brotli: &parquet.Brotli, format.Lz4Raw: &parquet.Lz4Raw}
	for codec, c := range codecs {
		packed, err := c.Encode(nil, zeros)
		if err != nil {
			t.Fatal(err)
		}
		r := func() *io.SectionReader { return io.NewSectionReader(bytes.NewReader(packed), 0, int64(len(packed))) }
		if err := decompressedAtMost(codec, r(), int64(len(zeros)), DefaultMaxParquetPage); err != nil {
			t.Errorf("%s: the true size: %v", codec, err)
		}
		var err2 error
		n := allocated(func() { err2 = decompressedAtMost(codec, r(), 1<<20, DefaultMaxParquetPage) })
		if err2 != errLies {
			t.Errorf("%s: 32 MiB said to be 1 MiB: %v", codec, err2)
		}
		if n > 16<<20 {
			t.Errorf("%s: checking allocated %d MiB", codec, n>>20)
		}
	}
}

// TestParquetFooterBomb: a file whose last bytes say its metadata is
// 4 GiB long is refused before anything of that size is allocated (the
// fuzzer found that parquet-go allocated it).
func TestParquetFooterBomb(t *testing.T) {
	good := writeParquet(t, []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E", Kon: "K", Fodelsear: 1950}}, 10)
	file := binary.LittleEndian.AppendUint32(bytes.Clone(good[:len(good)-8]), 0xffffff00)
	file = append(file, "PAR1"...)
	var err error
	n := allocated(func() {
		_, err = Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, year2023)
	})
	if err == nil || !strings.Contains(err.Error(), "l.parquet: inte en läsbar Parquet-fil: metadata på 4294967040 byte ryms inte i filen") {
		t.Errorf("err = %v", err)
	}
	if n > 8<<20 {
		t.Errorf("allocated %d MiB", n>>20)
	}
}

// TestParquetFooterListBomb: metadata of a few bytes that says it holds
// 2 147 483 647 columns is refused; parquet-go would make that list
// first, and the process died (runtime: out of memory, beyond recover).
func TestParquetFooterListBomb(t *testing.T) {
	foot := append([]byte{0x15, 0x02, 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07}, make([]byte, 64)...)
	file := binary.LittleEndian.AppendUint32(append([]byte("PAR1"), foot...), uint32(len(foot)))
	file = append(file, "PAR1"...)
	_, err := Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, year2023)
	if err == nil || !strings.Contains(err.Error(), "l.parquet: inte en läsbar Parquet-fil: trasig metadata") {
		t.Errorf("err = %v", err)
	}
	// Many columns that each fit in a byte are counted at what they take
	// decoded.
	many := append([]byte{0x15, 0x02, 0x19, 0xfc, 0x80, 0x80, 0x04}, make([]byte, 65536+1)...) // each column an empty struct, then the end
	if err := (func() error {
		f := binary.LittleEndian.AppendUint32(append([]byte("PAR1"), many...), uint32(len(many)))
		return checkFooter(bytes.NewReader(append(f, "PAR1"...)), int64(len(f)+4), 32<<20)
	})(); err == nil || !strings.Contains(err.Error(), "metadata som skulle ta 64 MiB minne, mer än gränsen 32 MiB") {
		t.Errorf("err = %v", err)
	}
}

// TestParquetRowCountBomb: a small file whose metadata claims two billion
// rows is refused as short of values, without reserving room for them.
func TestParquetRowCountBomb(t *testing.T) {
	good := writeParquet(t, []pqListing{{PatientID: "p1", Lan: 25, EnhetID: "E", Kon: "K", Fodelsear: 1950}}, 10)
	var proto thrift.CompactProtocol
	footLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
	var md format.FileMetaData
	if err := thrift.Unmarshal(&proto, good[len(good)-8-footLen:len(good)-8], &md); err != nil {
		t.Fatal(err)
	}
	md.NumRows, md.RowGroups[0].NumRows = 1<<31-1, 1<<31-1
	foot, err := thrift.Marshal(&proto, &md)
	if err != nil {
		t.Fatal(err)
	}
	file := binary.LittleEndian.AppendUint32(append(bytes.Clone(good[:len(good)-8-footLen]), foot...), uint32(len(foot)))
	file = append(file, "PAR1"...)
	n := allocated(func() {
		_, err = Compute(context.Background(), Input{ListingsName: "l.parquet", VisitsName: "v.csv", Listings: bytes.NewReader(file), Visits: strings.NewReader(visitHead)}, year2023)
	})
	if err == nil || !strings.Contains(err.Error(), "färre värden än filen har rader") {
		t.Errorf("err = %v", err)
	}
	if n > 16<<20 {
		t.Errorf("allocated %d MiB", n>>20)
	}
}

// TestPageBudgetNotesEncodings tells a chunk whose data pages are all
// dictionary entries from one with plain pages by the page headers alone,
// as for a file without encoding statistics in its metadata (DuckDB's).
func TestPageBudgetNotesEncodings(t *testing.T) {
	type row struct {
		Coded string `parquet:"coded,dict"`
		Plain string `parquet:"plain"`
	}
	var rows []row
	for i := range 5000 {
		rows = append(rows, row{Coded: fmt.Sprint("E", i%7), Plain: fmt.Sprint("P", i)})
	}
	file := writeParquet(t, rows, 5000)
	f, err := parquet.OpenFile(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for col, want := range []bool{false, true} {
		b := pageBudget{r: bytes.NewReader(file), size: int64(len(file)), max: DefaultMaxParquetPage}
		if err := b.check(&f.Metadata().RowGroups[0].Columns[col].MetaData); err != nil {
			t.Fatal(err)
		}
		if b.plain != want {
			t.Errorf("column %d: plain %v, want %v", col, b.plain, want)
		}
	}
}

// TestZstdBound bounds zstd frames by their headers: one that states its
// size, one that does not (its blocks counted), two in a row, and data
// that is no zstd. A frame whose stated size lies is within the bound,
// and the decoder refuses it after at most one block.
func TestZstdBound(t *testing.T) {
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7 % 251)
	}
	stated, err := parquet.Zstd.Encode(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	var streamed bytes.Buffer
	zw, err := zstd.NewWriter(&streamed, zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	bound := func(b []byte) (int64, bool) {
		return zstdBound(io.NewSectionReader(bytes.NewReader(b), 0, int64(len(b))))
	}
	if n, ok := bound(stated); !ok || n != int64(len(data)) {
		t.Errorf("a frame that states its size: %d %v", n, ok)
	}
	if n, ok := bound(streamed.Bytes()); !ok || n < int64(len(data)) || n > int64(len(data))+zstdMaxBlock {
		t.Errorf("a frame of blocks: %d %v", n, ok)
	}
	if n, ok := bound(append(bytes.Clone(stated), stated...)); !ok || n != 2*int64(len(data)) {
		t.Errorf("two frames: %d %v", n, ok)
	}
	for _, bad := range [][]byte{[]byte("not zstd at all"), stated[:len(stated)/2], append(bytes.Clone(stated), 1, 2, 3)} {
		if _, ok := bound(bad); ok {
			t.Errorf("%d bytes of no zstd bounded", len(bad))
		}
	}
	liar := lieAboutSize(t, stated, 1000)
	if n, ok := bound(liar); !ok || n != 1000 {
		t.Fatalf("the liar: %d %v", n, ok)
	}
	var out []byte
	n := allocated(func() { out, err = parquet.Zstd.Decode(nil, liar) })
	if err == nil || len(out) > 1000+zstdMaxBlock || n > 4<<20 {
		t.Errorf("decoding a frame that says 1000 bytes: %d bytes, %v, %d KiB allocated", len(out), err, n>>10)
	}
}

// lieAboutSize rewrites the content size a zstd frame states.
func lieAboutSize(t *testing.T, frame []byte, size uint64) []byte {
	fhd := frame[4]
	at := 5 + []int{0, 1, 2, 4}[fhd&3]
	if fhd&0x20 == 0 {
		at++
	}
	out := bytes.Clone(frame)
	switch fhd >> 6 {
	case 2:
		binary.LittleEndian.PutUint32(out[at:], uint32(size))
	case 3:
		binary.LittleEndian.PutUint64(out[at:], size)
	default:
		t.Fatalf("frame descriptor %08b: no 4- or 8-byte size to rewrite", fhd)
	}
	return out
}

// TestPageBudgetByValue: a page of a column read value by value (BOOLEAN,
// INT96) is counted at 24 bytes a value more, for the parquet.Value each
// takes: 40 000 booleans packed in 5 000 bytes fit a budget of 500 000
// bytes as bytes and offsets, not as values.
func TestPageBudgetByValue(t *testing.T) {
	if !readByValue(parquet.Boolean) || !readByValue(parquet.Int96) || readByValue(parquet.ByteArray) {
		t.Fatal("readByValue: BOOLEAN and INT96 are read value by value, text is not")
	}
	h := &format.PageHeader{Type: format.DataPage, UncompressedPageSize: 5000, CompressedPageSize: 5000}
	h.DataPageHeader.Valid, h.DataPageHeader.V.NumValues = true, 40000
	for _, byValue := range []bool{false, true} {
		b := pageBudget{max: 500_000, byValue: byValue}
		if err := b.checkPage(format.Uncompressed, h, 0); (err != nil) != byValue {
			t.Errorf("read value by value %v: %v", byValue, err)
		}
	}
}
