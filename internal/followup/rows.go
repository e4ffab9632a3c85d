package followup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// The submission files' columns, in the order the row handlers take them.
var (
	listingColumns   = []string{"patient_id", "lan", "enhet_id", "fast_lakare_id", "sabo", "kon", "fodelsear", "?fast_vardkontakt_id", "?kommun"}
	visitColumns     = []string{"patient_id", "datum", "enhet_id", "vardgivare_id", "yrke", "kontakttyp"}
	clinicianColumns = []string{"vardgivare_id", "yrke", "st"}
)

// The listing columns that are optional, by place.
const (
	listingContactCol = 7
	listingKommunCol  = 8
)

// ageGroup is the age group of a person born in year, at the period's end.
func ageGroup(born, endYear int) string {
	switch age := endYear - born; {
	case age < 18:
		return "0-17"
	case age < 65:
		return "18-64"
	case age < 80:
		return "65-79"
	}
	return "80+"
}

// listingReader checks listing rows and numbers the listed, in file
// order. Workers check rows, hash the ids and number groups and GPs on
// their own, and send the rows in parts to one inserter goroutine, which
// adds them in file order, chunk after chunk; so checking and adding
// overlap even in a file of one chunk. The inserter adds in batches whose
// index slots are loaded at once (idIndex.prefetch): one cache miss after
// the other is what makes adding ten million ids slow.
type listingReader struct {
	err        error // a panic in the inserter, written by it alone before done closes
	by         []string
	groupCol   int // the one column the group is made of, -1 for none (groupColumn)
	endYear    int
	hasContact bool // the file has the column fast_vardkontakt_id
	pats       *idIndex
	clin       *idIndex
	groups     *interner
	people     []patient
	lines      []int32 // each patient's line, for the duplicate message
	workers    []listingWorker
	parts      chan *listingPart // to the inserter
	done       chan struct{}     // closed when the inserter has stopped
	added      []workerNames     // the inserter's view of each worker's numbers

	dups *BadRows // the inserter's duplicates in the chunk being added

	mu       sync.Mutex
	next     *sync.Cond       // signalled when turn moves on or a part is freed
	turn     int              // the chunk whose rows are added now
	free     []*listingPart   // parts back from the inserter
	inUse    int              // parts being filled or waiting to be added
	finished map[int]*BadRows // added chunks' duplicates, until their workers take them
}

// listingWorker is one worker's chunk and part in progress, with its own
// numbers for the groups and GPs it has seen.
type listingWorker struct {
	chunk       int
	bad         *BadRows // the chunk's bad rows
	part        *listingPart
	groups, gps *interner
	key         []byte // the group of the row being checked
	// The numbers in groups and gps by Parquet dictionary entry of the
	// column the group is made of (when one is) and of the named GP.
	groupCodes, gpCodes codeMemo
	_                   [64]byte // keep workers off each other's cache lines
}

// listingPart is some checked rows of one chunk on their way from a
// worker to the inserter.
type listingPart struct {
	w, chunk    int
	last        bool   // the chunk's last part
	file        string // for the duplicates' messages
	pending     []pendingListing
	keys        []byte   // the rows' ids
	hashes      []uint64 // the ids' hashes
	groups, gps []string // the names the worker numbered first in this part
	touch       uint64
}

// pendingListing is a checked listing row waiting to be added; without
// pointers, so that the garbage collector need not look at it.
type pendingListing struct {
	line      int
	idEnd     uint32 // the end of the id in keys
	group, gp int32  // the worker's numbers; gp -1 for none
	born      uint16
	sabo      bool
	contact   bool
}

// workerNames is a worker's groups and GPs as the inserter knows them,
// with the shared numbers given to them, -1 until a listed person added
// needs one: a group seen only on duplicate rows is not in the result.
type workerNames struct {
	groups, gps   []string
	group, gpClin []int32
}

// partRows is how many rows a part holds; maxParts bounds the parts in
// use, so that a worker ahead of the inserter waits instead of holding a
// whole chunk. The worker of the chunk being added never waits for a part.
const (
	partRows = 8192
	maxParts = 32
)

func newListingReader(o Options, by []string, clin *idIndex, workers int) *listingReader {
	lr := &listingReader{by: by, groupCol: groupColumn(by), endYear: o.endYear(), pats: newIDIndex(), clin: clin, groups: newInterner(),
		workers: make([]listingWorker, workers), added: make([]workerNames, workers),
		parts: make(chan *listingPart, maxParts), done: make(chan struct{}), finished: map[int]*BadRows{}}
	for w := range lr.workers {
		lr.workers[w].groups, lr.workers[w].gps = newInterner(), newInterner()
	}
	lr.next = sync.NewCond(&lr.mu)
	go lr.insert()
	return lr
}

// present is told which optional columns the file has.
func (lr *listingReader) present(has func(col int) bool) { lr.hasContact = has(listingContactCol) }

// reserve makes room for about n listed. The persons and their lines are
// written and read in order, so they are left on small pages: in a virtual
// machine a huge page fresh from the host took longer to fault in than it
// saved (half a second for ten million persons, on the inserter).
func (lr *listingReader) reserve(n int) {
	lr.pats.reserve(n, 12)
	lr.people = grow(lr.people, n)
	lr.lines = grow(lr.lines, n)
}

// close stops the inserter, once every chunk has ended, and lets the
// workers' buffers and the listed persons' lines go.
func (lr *listingReader) close() {
	close(lr.parts)
	<-lr.done
	lr.workers, lr.added, lr.free, lr.lines = nil, nil, nil, nil
}

func (lr *listingReader) begin(w, chunk int) {
	wk := &lr.workers[w]
	wk.chunk = chunk
	wk.part = lr.newPart(w, chunk)
}

func (lr *listingReader) newPart(w, chunk int) *listingPart {
	lr.mu.Lock()
	for lr.inUse >= maxParts && chunk != lr.turn {
		lr.next.Wait()
	}
	lr.inUse++
	p := &listingPart{}
	if n := len(lr.free); n > 0 {
		p, lr.free = lr.free[n-1], lr.free[:n-1]
	}
	lr.mu.Unlock()
	*p = listingPart{w: w, chunk: chunk, pending: p.pending[:0], keys: p.keys[:0], hashes: p.hashes[:0],
		groups: p.groups[:0], gps: p.gps[:0]}
	return p
}

func (lr *listingReader) row(w int, bad *BadRows, line int, f [][]byte) {
	lr.rowCoded(w, bad, line, f, nil)
}

// rowCoded checks a listing and queues a good one for the inserter. codes
// are its Parquet dictionary entries, if any (codedReader).
func (lr *listingReader) rowCoded(w int, bad *BadRows, line int, f [][]byte, codes []int32) {
	year, ok := lr.check(bad, line, f)
	if !ok {
		return
	}
	wk := &lr.workers[w]
	part := wk.part
	wk.bad, part.file = bad, bad.File
	id, gp := f[0], f[listingGPCol]
	p := pendingListing{line: line, group: lr.groupOf(wk, f, codes, year), gp: -1, born: uint16(year),
		sabo: f[4][0] == '1', contact: len(f[listingContactCol]) > 0}
	if len(gp) > 0 {
		p.gp = wk.gpCodes.number(codeAt(codes, listingGPCol), wk.gps, gp, &part.gps)
	}
	part.keys = append(part.keys, id...)
	p.idEnd = uint32(len(part.keys))
	part.hashes = append(part.hashes, lr.pats.hash(id))
	part.pending = append(part.pending, p)
	if len(part.pending) == partRows {
		lr.parts <- part
		wk.part = lr.newPart(w, wk.chunk)
	}
}

// check reports whether a listing is good, and its birth year, and
// reports the first bad field of one that is not.
func (lr *listingReader) check(bad *BadRows, line int, f [][]byte) (int, bool) {
	id, lan, enhet, gp, sabo, kon, born := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
	contact, kommun := f[listingContactCol], f[listingKommunCol]
	year, yearOK := atoi(born)
	switch {
	case len(id) == 0:
		bad.add(line, "patient_id", "", "saknas")
	case !knownCounty(lan):
		bad.add(line, "lan", string(lan), "är inte en länskod")
	case len(enhet) == 0:
		bad.add(line, "enhet_id", "", "saknas")
	case string(sabo) != "0" && string(sabo) != "1":
		bad.add(line, "sabo", string(sabo), "ska vara 0 eller 1")
	case string(kon) != "K" && string(kon) != "M":
		bad.add(line, "kon", string(kon), "ska vara K eller M")
	case !yearOK || year < 1880 || year > lr.endYear:
		bad.add(line, "fodelsear", string(born), "är inte ett rimligt födelseår")
	case len(id) > maxIDLen:
		bad.add(line, "patient_id", string(id), tooLong)
	case len(gp) > maxIDLen:
		bad.add(line, "fast_lakare_id", string(gp), tooLong)
	case len(contact) > maxIDLen:
		bad.add(line, "fast_vardkontakt_id", string(contact), tooLong)
	case kommunInLan(bad, line, kommun, lan):
		return year, true
	}
	return 0, false
}

// groupOf is the worker's number of a good listing's group.
func (lr *listingReader) groupOf(wk *listingWorker, f [][]byte, codes []int32, year int) int32 {
	code := codeAt(codes, lr.groupCol)
	if n, ok := wk.groupCodes.get(code); ok {
		return n
	}
	wk.key = groupKey(wk.key[:0], lr.by, f[1], f[listingKommunCol], f[2], f[5], year, lr.endYear)
	return wk.groupCodes.number(code, wk.groups, wk.key, &wk.part.groups)
}

// kommunInLan reports whether a listing's municipality, if any, is a
// municipality of its county, and reports the row's kommun when not.
func kommunInLan(bad *BadRows, line int, kommun, lan []byte) bool {
	if len(kommun) == 0 {
		return true
	}
	county, ok := kommunCounty(kommun)
	switch {
	case !ok:
		bad.add(line, "kommun", string(kommun), "är inte en kommunkod (fyra siffror)")
	case county != string(lan):
		bad.add(line, "kommun", string(kommun), "ligger inte i län "+string(lan))
	default:
		return true
	}
	return false
}

// number is name's number in the worker's interner; a new name is also
// noted in added, for the inserter.
func number(in *interner, name []byte, added *[]string) int32 {
	n := len(in.names)
	i := in.idBytes(name)
	if len(in.names) > n {
		*added = append(*added, in.names[i])
	}
	return i
}

// end sends the chunk's last part, waits until the inserter has added it
// and takes the chunk's duplicates into its bad rows.
func (lr *listingReader) end(w int) {
	wk := &lr.workers[w]
	wk.part.last = true
	lr.parts <- wk.part
	wk.part = nil
	lr.mu.Lock()
	for lr.turn <= wk.chunk {
		lr.next.Wait()
	}
	dups := lr.finished[wk.chunk]
	delete(lr.finished, wk.chunk)
	lr.mu.Unlock()
	if dups != nil {
		wk.bad.absorb(dups)
	}
	wk.bad = nil
}

// insert adds the parts in file order: a chunk's parts come in order from
// its worker, and the parts of a later chunk wait for the chunks before.
func (lr *listingReader) insert() {
	defer close(lr.done)
	waiting := map[int][]*listingPart{}
	for part := range lr.parts {
		waiting[part.chunk] = append(waiting[part.chunk], part)
		for len(waiting[lr.turn]) > 0 {
			q := waiting[lr.turn]
			part := q[0]
			waiting[lr.turn] = q[1:]
			if err := safely(part.file, func() error { lr.add(part); return nil }); err != nil && lr.err == nil {
				lr.err = err // the workers go on; Compute reports it
			}
			lr.mu.Lock()
			lr.free = append(lr.free, part)
			lr.inUse--
			if part.last {
				delete(waiting, lr.turn)
				if lr.dups != nil {
					lr.finished[lr.turn], lr.dups = lr.dups, nil
				}
				lr.turn++
			}
			lr.next.Broadcast()
			lr.mu.Unlock()
		}
	}
}

// add numbers a part's listed and reports its duplicates.
func (lr *listingReader) add(part *listingPart) {
	names := &lr.added[part.w]
	names.groups = append(names.groups, part.groups...)
	names.gps = append(names.gps, part.gps...)
	var start uint32
	n := len(part.pending)
	part.touch += lr.pats.prefetch(part.hashes[:min(batchSize, n)])
	for b := 0; b < n; b += batchSize {
		batch := part.pending[b:min(b+batchSize, n)]
		// The next batch's slots are loaded while this one is added.
		part.touch += lr.pats.prefetch(part.hashes[min(b+batchSize, n):min(b+2*batchSize, n)])
		for i, p := range batch {
			id := part.keys[start:p.idEnd]
			start = p.idEnd
			n, isNew := lr.pats.addHashed(id, part.hashes[b+i])
			if !isNew {
				if lr.dups == nil {
					lr.dups = &BadRows{File: part.file}
				}
				lr.dups.add(p.line, "patient_id", string(id), "finns redan på rad "+strconv.Itoa(int(lr.lines[n])))
				continue
			}
			lr.people = append(lr.people, patient{group: lr.sharedGroup(names, p.group), gp: lr.sharedGP(names, p.gp), born: p.born,
				sabo: p.sabo, contact: p.contact})
			lr.lines = append(lr.lines, int32(min(p.line, 1<<31-1)))
		}
	}
}

// sharedGroup is the shared number of a worker's group g.
func (lr *listingReader) sharedGroup(names *workerNames, g int32) int32 {
	for int(g) >= len(names.group) {
		names.group = append(names.group, -1)
	}
	if names.group[g] < 0 {
		names.group[g] = lr.groups.id(names.groups[g])
	}
	return names.group[g]
}

// sharedGP is the clinician number of a worker's GP gp, -1 for none.
func (lr *listingReader) sharedGP(names *workerNames, gp int32) int32 {
	if gp < 0 {
		return -1
	}
	for int(gp) >= len(names.gpClin) {
		names.gpClin = append(names.gpClin, -1)
	}
	if names.gpClin[gp] < 0 {
		names.gpClin[gp], _ = lr.clin.add([]byte(names.gps[gp]))
	}
	return names.gpClin[gp]
}

// clinicianReader checks clinician rows and notes which physicians are ST
// doctors (GP trainees).
type clinicianReader struct {
	clin *idIndex
	st   map[int32]bool // physician → is an ST doctor
}

func (cr *clinicianReader) end(int) {}

func (cr *clinicianReader) row(_ int, bad *BadRows, line int, f [][]byte) {
	id, yrke, st := f[0], f[1], f[2]
	switch {
	case len(id) == 0:
		bad.add(line, "vardgivare_id", "", "saknas")
	case !known(yrke, Yrken):
		bad.add(line, "yrke", string(yrke), "är inte ett känt yrke")
	case string(st) != "0" && string(st) != "1":
		bad.add(line, "st", string(st), "ska vara 0 eller 1")
	case len(id) > maxIDLen:
		bad.add(line, "vardgivare_id", string(id), tooLong)
	default:
		// Every clinician is numbered, so that a visit finds its
		// clinician in one lookup (the workers number the clinicians
		// the file lacks by their own indexes); only a physician is in
		// st.
		c, _ := cr.clin.add(id)
		if string(yrke) == "lakare" {
			cr.st[c] = st[0] == '1'
		}
	}
}

// visitReader checks visit rows and collects (patient, clinician) pairs,
// from several workers at once. The patient and clinician indexes are only
// read; a clinician not seen before gets a number of the worker's own,
// made global when all rows are read (resolve).
type visitReader struct {
	ranges   []dayRange // the periods
	allYrken bool
	pats     *idIndex
	clin     *idIndex
	short    *shortIndex // clin's copy for the visits' ids, if they are all short
	workers  []visitWorker
	segments atomic.Int64 // the workers' pair segments (collect)
}

// visitWorker is one worker's share of the visits.
type visitWorker struct {
	pairs                pairBuckets
	read, used, unlisted int
	newClin              *interner // the worker's own clinicians (local)
	batch                visitBatch
	dates                dateCache
	dayCodes             []dayEntry // the dates' dictionary entries as periods
	yrkeCodes            []uint8    // the professions' dictionary entries: 0 not read yet, else 1 + yrkeOf
	dict                 [][]byte   // vardgivare_id's dictionary
	dictClin             []uint32   // its entries' clinician numbers, noClin until looked up
	clinLookups          lookups    // working space of knownClinicians
	_                    [64]byte   // keep workers' counters off each other's cache lines
}

// visitBatch holds visits whose patient is yet to be looked up. The ids
// are the rows' own: a row's fields last until its chunk or batch ends
// (rowReader), when the batch is looked up (flush).
type visitBatch struct {
	n     int      // the visits: pats.keys[:n] their patients' ids
	words []uint32 // each visit's visit word (visitWord)
	pats  lookups
	touch uint64

	// The visits whose clinician is looked up with the batch
	// (clins.keys[:len(clinAt)]): a vardgivare_id stored as it is (CSV,
	// or Parquet without a dictionary) would cost a cache miss a row
	// looked up alone.
	clinAt []int // each id's visit
	clins  lookups
	locals lookups // those the shared index lacks, in the worker's own
}

func newVisitBatch() visitBatch {
	var b visitBatch
	b.pats.make(batchSize)
	b.clins.make(batchSize)
	b.locals.make(batchSize)
	return b
}

// add queues a visit by patient id, its visit word w, and reports
// whether the batch is full.
func (b *visitBatch) add(id []byte, w uint32) bool {
	b.pats.keys[b.n] = id
	b.words = append(b.words, w)
	b.n++
	return b.n == batchSize
}

// later queues vg to be looked up with the batch's patients (flush) for
// the visit about to be added, whose word gets clinician 0 until then.
func (b *visitBatch) later(vg []byte) uint32 {
	b.clins.keys[len(b.clinAt)] = vg
	b.clinAt = append(b.clinAt, b.n)
	return 0
}

// batchSize is how many patient lookups are made at once.
const batchSize = 256

// localClin marks a clinician number as the worker's own; noClin is no
// number yet. A clinician number fits the visit word's clinician field.
const (
	localClin = 1 << (clinBits - 1)
	noClin    = 1<<32 - 1
)

// The visit columns the reader takes by dictionary entry.
const (
	visitDateCol = 1
	visitClinCol = 3
	visitYrkeCol = 4
	visitTypeCol = 5
)

// vouched reports whether column col of the row was vouched for by its
// dictionary (vouchedEntry).
func vouched(codes []int32, col int) bool { return codes != nil && codes[col] == vouchedEntry }

// period is a visit's period, -1 for none, and whether its date is a
// date: by its dictionary entry, read once per entry, or by the date
// cache for a date stored as it is. A date the dictionary vouched for
// lies in the one period.
func (wk *visitWorker) period(ranges []dayRange, codes []int32, b []byte) (int, bool) {
	if vouched(codes, visitDateCol) {
		return 0, true
	}
	if codes == nil || codes[visitDateCol] < 0 {
		day, ok := wk.dates.day(b)
		return periodOf(ranges, day), ok
	}
	e := &wk.dayCodes[codes[visitDateCol]]
	if e.state == 0 {
		day, ok := dayNumber(b)
		e.period, e.state = int32(periodOf(ranges, day)), 2
		if ok {
			e.state = 1
		}
	}
	return int(e.period), e.state == 1
}

// dayEntry is what a date's dictionary entry tells, once it is read.
type dayEntry struct {
	period int32 // the date's period, -1 for none
	state  uint8 // 0 not read yet, 1 a date, 2 not a date
}

func newVisitReader(o Options, pats, clin *idIndex, workers int) *visitReader {
	vr := &visitReader{ranges: dayRanges(o.periods()), allYrken: o.AllYrken, pats: pats, clin: clin, short: newShortIndex(clin),
		workers: make([]visitWorker, workers)}
	for w := range vr.workers {
		vr.workers[w].pairs = newPairBuckets(pats.len(), &vr.segments)
		vr.workers[w].batch = newVisitBatch()
	}
	return vr
}

func (vr *visitReader) row(w int, bad *BadRows, line int, f [][]byte) {
	vr.rowCoded(w, bad, line, f, nil)
}

// rowCoded checks a visit, numbers its clinician and queues the counted
// visit for its patient's lookup (flush).
func (vr *visitReader) rowCoded(w int, bad *BadRows, line int, f [][]byte, codes []int32) {
	wk := &vr.workers[w]
	per, dateOK := wk.period(vr.ranges, codes, f[1])
	c, code, vg := wk.byCode(codes, f[3])
	typeOK := vouched(codes, visitTypeCol) || known(f[visitTypeCol], Kontakttyper)
	yrke := wk.yrkeOf(codes, f[visitYrkeCol])
	if !checkVisit(bad, line, f, vg, checks{date: dateOK, clinKnown: c != noClin, yrke: yrke != yrkeUnknown, typ: typeOK}) {
		return
	}
	if c == noClin && code >= 0 { // an entry's first good row, counted or not
		c = vr.clinician(wk, vg)
		wk.dictClin[code] = c
	}
	wk.read++
	if per < 0 {
		return
	}
	if c == noClin {
		c = wk.batch.later(vg)
	}
	if wk.batch.add(f[0], visitWord(per, c, yrke == yrkePhysician)) {
		vr.flush(wk)
	}
}

// byCode is what the row's vardgivare_id dictionary entry tells: the
// clinician's number once an earlier row looked it up (noClin before),
// the entry (-1 for a value stored as it is) and the id's text, taken
// from the dictionary while the number is not known.
func (wk *visitWorker) byCode(codes []int32, vg []byte) (uint32, int32, []byte) {
	if codes == nil || codes[visitClinCol] < 0 {
		return noClin, -1, vg
	}
	code := codes[visitClinCol]
	c := wk.dictClin[code]
	if c == noClin {
		vg = wk.dict[code]
	}
	return c, code, vg
}

// checks are what the reader already knows of a visit's fields: whether
// its date, profession and kind of contact are good, and whether its
// clinician is known (and so needs no check).
type checks struct{ date, clinKnown, yrke, typ bool }

// A visit's profession, as yrkeOf tells it.
const (
	yrkeUnknown   = iota // not one of Yrken
	yrkeOther            // one of Yrken, not a physician
	yrkePhysician        // lakare
)

// yrkeOf is a visit's profession: by its dictionary entry, read once per
// entry, or by its text.
func (wk *visitWorker) yrkeOf(codes []int32, b []byte) uint8 {
	if codes == nil || codes[visitYrkeCol] < 0 {
		return yrkeKind(b)
	}
	e := &wk.yrkeCodes[codes[visitYrkeCol]]
	if *e == 0 {
		*e = 1 + yrkeKind(b)
	}
	return *e - 1
}

func yrkeKind(b []byte) uint8 {
	switch {
	case string(b) == "lakare":
		return yrkePhysician
	case known(b, Yrken):
		return yrkeOther
	}
	return yrkeUnknown
}

// checkVisit reports whether a visit row is good and reports the first bad
// field of one that is not. f is the row, vg its vardgivare_id (perhaps
// from the dictionary), which needs no check when the clinician is known;
// ok is what the reader knows already of the other fields.
func checkVisit(bad *BadRows, line int, f [][]byte, vg []byte, ok checks) bool {
	id, datum, enhet, yrke, typ := f[0], f[1], f[2], f[4], f[5]
	switch {
	case len(id) == 0:
		bad.add(line, "patient_id", "", "saknas")
	case !ok.date:
		bad.add(line, "datum", string(datum), "är inte ett datum (ÅÅÅÅ-MM-DD)")
	case len(enhet) == 0:
		bad.add(line, "enhet_id", "", "saknas")
	case !ok.clinKnown && len(vg) == 0:
		bad.add(line, "vardgivare_id", "", "saknas")
	case !ok.clinKnown && len(vg) > maxIDLen:
		bad.add(line, "vardgivare_id", string(vg), tooLong)
	case !ok.yrke:
		bad.add(line, "yrke", string(yrke), "är inte ett känt yrke")
	case !ok.typ:
		bad.add(line, "kontakttyp", string(typ), "är inte en känd kontakttyp")
	default:
		return true
	}
	return false
}

// dictionary takes a new dictionary of clinicians by code: its entries
// are checked and looked up once, when a row first uses them. A new
// dictionary of dates or professions is noted, its entries read once each
// (period, yrkeOf), but the rows still get the text.
func (vr *visitReader) dictionary(w, col int, values [][]byte) bool {
	wk := &vr.workers[w]
	switch col {
	case visitDateCol:
		wk.dayCodes = slices.Grow(wk.dayCodes[:0], len(values))[:len(values)]
		clear(wk.dayCodes)
		return false
	case visitYrkeCol:
		wk.yrkeCodes = slices.Grow(wk.yrkeCodes[:0], len(values))[:len(values)]
		clear(wk.yrkeCodes)
		return false
	}
	if col != visitClinCol {
		return false
	}
	wk.dict = values
	wk.dictClin = slices.Grow(wk.dictClin[:0], len(values))[:len(values)]
	vr.knownClinicians(wk, values)
	return true
}

// knownClinicians numbers the dictionary's entries the clinicians file
// has, a batch at a time (lookupBatch), and leaves the others noClin, to
// be checked and numbered when a row first uses them. A dictionary is
// mostly entries that its rows use, and looked up together its entries
// wait for their cache misses at once, not one after the other as rows
// first use them.
func (vr *visitReader) knownClinicians(wk *visitWorker, values [][]byte) {
	if wk.clinLookups.ids == nil {
		wk.clinLookups.make(batchSize)
	}
	l := &wk.clinLookups
	for start := 0; start < len(values); start += batchSize {
		n := copy(l.keys, values[start:min(start+batchSize, len(values))])
		wk.batch.touch += l.lookup(vr.clin, n)
		for i := range n {
			c := uint32(noClin)
			if l.found[i] && l.ids[i] < localClin {
				c = uint32(l.ids[i])
			}
			wk.dictClin[start+i] = c
		}
	}
}

// clinician is a clinician's number: the shared index's, or the worker's
// own for one the index lacks.
func (vr *visitReader) clinician(wk *visitWorker, vg []byte) uint32 {
	if c, ok := vr.clin.lookup(vg); ok {
		return checkClin(c)
	}
	return wk.local(vg)
}

// errTooManyClinicians refuses a run whose clinicians do not fit the
// visit word.
var errTooManyClinicians = fmt.Errorf("fler än %d vårdgivare: för många för en beräkning", localClin)

// checkClin is a shared clinician number, which must fit the visit word.
func checkClin(c int32) uint32 {
	if c >= localClin {
		panic(errTooManyClinicians)
	}
	return uint32(c)
}

// dictOK vouches for the columns that are only checked, or kept the same
// for every value: a date in the period when there is one period, a unit,
// a kind of contact, and the profession when it is a physician.
func (vr *visitReader) dictOK(col int, v []byte) bool {
	switch col {
	case 1:
		d, ok := dayNumber(v)
		return ok && len(vr.ranges) == 1 && periodOf(vr.ranges, d) == 0
	case 2:
		return len(v) > 0
	case 4:
		return string(v) == "lakare"
	case 5:
		return known(v, Kontakttyper)
	}
	return false
}

func (vr *visitReader) end(w int) { vr.flush(&vr.workers[w]) }

// batchEnd looks the batch's visits up before the Parquet reader's batch
// of rows, whose fields they hold, ends.
func (vr *visitReader) batchEnd(w int) { vr.flush(&vr.workers[w]) }

// flush looks up the batch's patients and keeps the listed patients'
// pairs.
func (vr *visitReader) flush(wk *visitWorker) {
	b := &wk.batch
	n := b.n
	if n == 0 {
		return
	}
	vr.clinicians(wk)
	b.touch += b.pats.lookup(vr.pats, n)
	for i := range n {
		counted := 0 // the visit counts in coc (by --yrke)
		if vr.allYrken || b.words[i]&physBit != 0 {
			counted = 1
		}
		if !b.pats.found[i] {
			wk.unlisted += counted
			continue
		}
		wk.used += counted
		wk.pairs.add(b.pats.ids[i], b.words[i])
	}
	b.n, b.words = 0, b.words[:0]
}

// clinicians numbers the clinicians the batch's visits wait for (later)
// and puts them in the visits' words.
func (vr *visitReader) clinicians(wk *visitWorker) {
	b := &wk.batch
	n := len(b.clinAt)
	if n == 0 {
		return
	}
	if vr.short != nil {
		b.touch += vr.short.lookupBatch(vr.clin, b.clins.keys[:n], b.clins.hashes[:n], b.clins.ids[:n], b.clins.found[:n])
	} else {
		b.touch += b.clins.lookup(vr.clin, n)
	}
	missed := 0
	for i, at := range b.clinAt {
		if b.clins.found[i] {
			b.words[at] |= checkClin(b.clins.ids[i]) << 1
			continue
		}
		b.locals.keys[missed], b.clinAt[missed] = b.clins.keys[i], at
		missed++
	}
	wk.locals(missed)
	b.clinAt = b.clinAt[:0]
}

// locals numbers the first n of the batch's clinicians that the shared
// index lacks (b.locals.keys, for the visits b.clinAt) by the worker's own
// index, a batch at a time: without a clinicians file, every clinician
// is one of them.
func (wk *visitWorker) locals(n int) {
	if n == 0 {
		return
	}
	b := &wk.batch
	if wk.newClin == nil {
		wk.newClin = newInterner()
	}
	b.touch += b.locals.lookup(wk.newClin.index, n)
	for i, at := range b.clinAt[:n] {
		c := localClin | uint32(b.locals.ids[i])
		if !b.locals.found[i] {
			c = wk.local(b.locals.keys[i])
		}
		b.words[at] |= c << 1
	}
}

// lookups is the working space of idIndex.lookupBatch.
type lookups struct {
	keys   [][]byte
	hashes []uint64
	ids    []int32
	found  []bool
}

func (l *lookups) make(n int) {
	l.keys, l.hashes, l.ids, l.found = make([][]byte, n), make([]uint64, n), make([]int32, n), make([]bool, n)
}

func (l *lookups) lookup(x *idIndex, n int) uint64 {
	return x.lookupBatch(l.keys[:n], l.hashes[:n], l.ids[:n], l.found[:n])
}

// local numbers a clinician the shared index does not have.
func (wk *visitWorker) local(vg []byte) uint32 {
	if wk.newClin == nil {
		wk.newClin = newInterner()
	}
	c := wk.newClin.idBytes(vg)
	if c >= localClin {
		panic(errTooManyClinicians)
	}
	return localClin | uint32(c)
}

// resolve gives the workers' own clinicians global numbers and totals the
// counts into res.
func (vr *visitReader) resolve(res *Result) error {
	return safely("besök", func() error { return vr.resolveUnguarded(res) })
}

func (vr *visitReader) resolveUnguarded(res *Result) error {
	globals := make([][]uint32, len(vr.workers)) // per worker, its own clinicians' shared numbers
	for i := range vr.workers {
		wk := &vr.workers[i]
		vr.flush(wk)
		res.VisitsRead += wk.read
		res.VisitsUsed += wk.used
		res.VisitsUnlisted += wk.unlisted
		wk.dict, wk.dictClin = nil, nil
		if wk.newClin == nil {
			continue
		}
		globals[i] = make([]uint32, len(wk.newClin.names))
		for j, name := range wk.newClin.names {
			c, _ := vr.clin.add([]byte(name))
			globals[i][j] = checkClin(c)
		}
		wk.newClin = nil
	}
	// Each worker's pairs are renumbered by a goroutine of their own.
	var wg sync.WaitGroup
	errs := make([]error, len(vr.workers))
	for i, global := range globals {
		if global != nil {
			wg.Go(func() { errs[i] = safely("besök", func() error { vr.workers[i].pairs.renumber(global); return nil }) })
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// renumber gives the pairs' worker's own clinicians (localClin) their
// shared numbers, global[own number].
func (b *pairBuckets) renumber(global []uint32) {
	const field = clinMask << 1 // the clinician in a visit word
	for k := range b.tail {
		b.segments(k, func(seg segment) {
			for j, w := range seg.words {
				if c := w >> 1 & clinMask; c&localClin != 0 {
					seg.words[j] = w&^field | global[c&^localClin]<<1
				}
			}
		})
	}
}

// dateCache remembers checked dates: a year has 365 of them, and a visit
// file hundreds of millions. Direct-mapped on the date's ten bytes.
type dateCache struct {
	lo  [1024]uint64
	hi  [1024]uint16
	num [1024]int32 // 0 for an empty entry
}

// day is dayNumber, remembered.
func (c *dateCache) day(b []byte) (int, bool) {
	if len(b) != 10 {
		return dayNumber(b)
	}
	lo, hi := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint16(b[8:])
	i := (lo ^ uint64(hi)<<17) * 0x9e3779b97f4a7c15 >> 54
	if c.num[i] != 0 && c.lo[i] == lo && c.hi[i] == hi {
		return int(c.num[i]), true
	}
	d, ok := dayNumber(b)
	if ok {
		c.lo[i], c.hi[i], c.num[i] = lo, hi, int32(d)
	}
	return d, ok
}
