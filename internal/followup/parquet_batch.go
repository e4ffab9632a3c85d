package followup

// rowBatch is how many rows readGroup reads at a time.
const rowBatch = 256

// columnBatch reads the cursors' columns a batch of rows at a time, each
// column's values by a tight loop over its page, instead of one call per
// value. The values are laid out row by row (stride values a row, in the
// order the reader asked for the columns), so that a row of the batch is
// a slice of it, given to the reader as it is. A batch ends where any
// column's page ends, so a value that points into its page stays valid
// for the whole batch.
type columnBatch struct {
	stride    int
	vals      [][]byte // row r's fields are vals[r*stride : (r+1)*stride]
	codes     []int32  // their dictionary entries, alike; -1 for none
	failedCol int      // after an error: the cursor
	failedRow int      // and the row of the batch that failed
}

func newColumnBatch(asked int) *columnBatch {
	b := &columnBatch{stride: asked, vals: make([][]byte, rowBatch*asked), codes: make([]int32, rowBatch*asked)}
	for i := range b.codes {
		b.codes[i] = -1 // a column the file lacks stays nil, of no entry
	}
	return b
}

// row is row r of the batch: its fields and their dictionary entries.
func (b *columnBatch) row(r int) ([][]byte, []int32) {
	lo, hi := r*b.stride, (r+1)*b.stride
	return b.vals[lo:hi:hi], b.codes[lo:hi:hi]
}

// set gives column k of every row of the batch the value v and the entry
// code: a column read once for the whole row group (vouched).
func (b *columnBatch) set(k int, v []byte, code int32) {
	for i := k; i < len(b.vals); i += b.stride {
		b.vals[i], b.codes[i] = v, code
	}
}

// fill reads the next m rows of every cursor, cursor j into column at[j],
// at most want and at most what every column's current page holds.
func (b *columnBatch) fill(cur []*cursor, at []int, want int64) (int, error) {
	m := int(want)
	for j, c := range cur {
		left, err := c.ready()
		if err != nil {
			b.failedCol, b.failedRow = j, 0
			return 0, err
		}
		m = min(m, left)
	}
	for j, c := range cur {
		if k, err := c.fill(b, at[j], m); err != nil {
			b.failedCol, b.failedRow = j, k
			return 0, err
		}
	}
	return m, nil
}

// ready loads the next page when the current one is done, and returns the
// rows left in it.
func (c *cursor) ready() (int, error) {
	if c.pos >= c.n {
		if err := c.load(); err != nil {
			return 0, err
		}
	}
	return c.n - c.pos, nil
}

// fill reads the next m values, which the current page holds, into
// column k of the batch's rows, as text (nil for a null), with their
// dictionary entries (-1 for none). A page that fastRows vouched for is
// read by a tight loop; another value by value, each value's text copied,
// since nextSlow's text lasts only until its next call. It returns how
// many it read before an error.
func (c *cursor) fill(b *columnBatch, k, m int) (int, error) {
	if c.pos+m <= c.fast {
		if c.mode == pagePlain {
			return c.fillPlain(b.vals[k:], b.codes[k:], b.stride, m)
		}
		c.fillFast(b.vals[k:], b.codes[k:], b.stride, m)
		return m, nil
	}
	c.buf = c.buf[:0]
	for r := range m {
		v, err := c.nextSlow()
		if err != nil {
			return r, err
		}
		if v != nil {
			start := len(c.buf)
			c.buf = append(c.buf, v...)
			v = c.buf[start:len(c.buf):len(c.buf)]
		}
		b.vals[k+r*b.stride], b.codes[k+r*b.stride] = v, c.code
	}
	if err := c.plainEnd(); err != nil {
		return m - 1, err
	}
	return m, nil
}

// fillFast is fill on a page without nulls of byte arrays or of entries
// of the dictionary: the m values go to vals and codes, stride apart.
func (c *cursor) fillFast(vals [][]byte, codes []int32, stride, m int) {
	p := c.pos
	c.pos += m
	if c.mode == pageDict {
		for r, code := range c.idx[p:c.pos] {
			codes[r*stride], vals[r*stride] = code, c.out[code]
		}
		return
	}
	offs := c.offs[p : c.pos+1]
	for r := range m {
		vals[r*stride], codes[r*stride] = c.data[offs[r]:offs[r+1]], -1
	}
}
