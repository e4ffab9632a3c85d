package followup

import "slices"

// In a Parquet file a listing's group and named GP mostly come from
// dictionaries, so a worker numbers each dictionary entry once and keeps
// the number by entry: hashing the same few texts ten million times was a
// seventh of reading the listings.

// listingGPCol is the listings' fast_lakare_id.
const listingGPCol = 3

// groupColumn is the one listing column a grouping's key is made of, -1
// when it is made of several, or of none (riket).
func groupColumn(by []string) int {
	if len(by) != 1 {
		return -1
	}
	switch by[0] {
	case ByLan:
		return 1
	case ByEnhet:
		return 2
	case ByKon:
		return 5
	case ByAldersgrupp:
		return 6
	case ByKommun, ByRSS:
		return listingKommunCol
	}
	return -1
}

// codeAt is the row's dictionary entry in column col, -1 for none.
func codeAt(codes []int32, col int) int32 {
	if codes == nil || col < 0 {
		return -1
	}
	return codes[col]
}

// codeMemo is a worker's numbers by dictionary entry of one column, -1
// for an entry not numbered yet.
type codeMemo []int32

// reset forgets every number, for a new dictionary of n entries.
func (m *codeMemo) reset(n int) {
	*m = slices.Grow((*m)[:0], n)[:n]
	for i := range *m {
		(*m)[i] = -1
	}
}

// get is entry code's number, if it has one.
func (m codeMemo) get(code int32) (int32, bool) {
	if code < 0 || int(code) >= len(m) || m[code] < 0 {
		return 0, false
	}
	return m[code], true
}

// number is the number of name, whose entry is code: the memo's, or
// the interner's, then kept.
func (m codeMemo) number(code int32, in *interner, name []byte, added *[]string) int32 {
	if n, ok := m.get(code); ok {
		return n
	}
	n := number(in, name, added)
	if code >= 0 && int(code) < len(m) {
		m[code] = n
	}
	return n
}

// dictionary forgets the numbers by entry of a column that has a new
// dictionary; the rows still get the text.
func (lr *listingReader) dictionary(w, col int, values [][]byte) bool {
	wk := &lr.workers[w]
	switch col {
	case listingGPCol:
		wk.gpCodes.reset(len(values))
	case lr.groupCol:
		wk.groupCodes.reset(len(values))
	}
	return false
}
