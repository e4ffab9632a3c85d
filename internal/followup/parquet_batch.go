package followup

// rowBatch is how many rows readGroup reads at a time.
const rowBatch = 256

// columnBatch reads the cursors' columns a batch of rows at a time, each
// column's values into an array of its own by a tight loop over its page,
// instead of one call per value: the rows of the batch are then read from
// the arrays. A batch ends where any column's page ends, so a value that
// points into its page stays valid for the whole batch.
type columnBatch struct {
	vals      [][][]byte
	codes     [][]int32
	failedCol int // after an error: the column
	failedRow int // and the row of the batch that failed
}

func newColumnBatch(cols int) *columnBatch {
	b := &columnBatch{vals: make([][][]byte, cols), codes: make([][]int32, cols)}
	for j := range cols {
		b.vals[j], b.codes[j] = make([][]byte, rowBatch), make([]int32, rowBatch)
	}
	return b
}

// fill reads the next m rows of every cursor (at most as many as the
// batch has columns), at most want and at most what every column's
// current page holds.
func (b *columnBatch) fill(cur []*cursor, want int64) (int, error) {
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
		if k, err := c.fill(b.vals[j][:m], b.codes[j][:m]); err != nil {
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

// fill reads the next len(vals) values, which the current page holds, as
// text (nil for a null), with their dictionary entries (-1 for none). A
// page that fastRows vouched for is read by a tight loop; another value by
// value, each value's text copied, since nextSlow's text lasts only until
// its next call. It returns how many it read before an error.
func (c *cursor) fill(vals [][]byte, codes []int32) (int, error) {
	if c.pos+len(vals) <= c.fast {
		c.fillFast(vals, codes)
		return len(vals), nil
	}
	c.buf = c.buf[:0]
	for k := range vals {
		v, err := c.nextSlow()
		if err != nil {
			return k, err
		}
		if v != nil {
			start := len(c.buf)
			c.buf = append(c.buf, v...)
			v = c.buf[start:len(c.buf):len(c.buf)]
		}
		vals[k], codes[k] = v, c.code
	}
	return len(vals), nil
}

// fillFast is fill on a page without nulls of byte arrays or of entries
// of the dictionary.
func (c *cursor) fillFast(vals [][]byte, codes []int32) {
	p := c.pos
	c.pos += len(vals)
	if c.mode == pageDict {
		for k, code := range c.idx[p:c.pos] {
			codes[k], vals[k] = code, c.out[code]
		}
		return
	}
	offs := c.offs[p : c.pos+1]
	for k := range vals {
		vals[k], codes[k] = c.data[offs[k]:offs[k+1]], -1
	}
}
