package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"narvard/internal/audit"
)

// Sealing: every row of the books a write transaction changes is hashed
// into the transaction's audit entry (audit.Entry.Sealed), so that `audit
// verify` can recompute each row's hash and find a row changed, added or
// removed outside the program.
//
// A write method marks the row it wrote (touch); Update, before it
// commits, hashes every marked row as it then is and writes the
// transaction's audit entries, the last one carrying the seals. Update
// refuses to commit a transaction that wrote a row of the books without an
// audit entry, or that wrote to a sealed table without marking a row of it
// (a write method that forgot to touch).

// sealedTable is a table whose rows are sealed: kind is the objects'
// prefix ("requisition" in "requisition:<id>"), key the table's key
// column; children are tables whose rows belong to one row of it (a
// report's costs, a ledger transaction's postings) and are sealed with it.
type sealedTable struct {
	kind, table, key string
	intKey           bool
	children         []childTable
}

type childTable struct{ table, fk, order string }

// sealedTables are the books: every document, the ledger and the settings.
// Sessions, tokens, sign-in failures, idempotency answers and lapses are
// not (the ledger carries the lapses' money).
var sealedTables = []sealedTable{
	{kind: "organisation", table: "organisations", key: "id"},
	{kind: "user", table: "users", key: "id", intKey: true},
	{kind: "setting", table: "settings", key: "key"},
	{kind: "requisition", table: "requisitions", key: "id"},
	{kind: "report", table: "financial_reports", key: "id", children: []childTable{{"report_costs", "report_id", "line"}}},
	{kind: "repayment", table: "repayments", key: "id"},
	{kind: "reclaim", table: "reclaims", key: "id"},
	{kind: "batch", table: "payment_batches", key: "id", children: []childTable{{"vfu_payments", "batch_id", "line"}}},
	{kind: "debt", table: "debts", key: "id"},
	{kind: "vfu", table: "vfu_reports", key: "id"},
	{kind: "vfu_round", table: "vfu_rounds", key: "agreement"},
	{kind: "bank", table: "bank_notifications", key: "id", children: []childTable{{"bank_notification_lines", "notification_id", "line"}}},
	{kind: "onward", table: "onward_decisions", key: "id"},
	{kind: "onward_payment", table: "onward_payments", key: "id"},
	{kind: "municipal_report", table: "municipal_reports", key: "id", children: []childTable{{"municipal_report_costs", "report_id", "line"}}},
	{kind: "docrequest", table: "document_requests", key: "id"},
	{kind: "attachment", table: "attachments", key: "id"}, // content included
	{kind: "plan", table: "plans", key: "id"},
	{kind: "outcome", table: "outcome_imports", key: "id"},
	{kind: "question_template", table: "question_templates", key: "id"},
	{kind: "activity", table: "activity_reports", key: "id"},
	{kind: "survey", table: "surveys", key: "id"},
	{kind: "survey_response", table: "survey_responses", key: "id"},
	{kind: "survey_reminder", table: "survey_reminders", key: "id"},
	{kind: "ledger", table: "ledger_tx", key: "id", intKey: true, children: []childTable{{"postings", "tx_id", "line"}}},
}

// sealedKind maps a sealed table, or a child table, to the kind sealed.
var sealedKind = func() map[string]*sealedTable {
	m := map[string]*sealedTable{}
	for i := range sealedTables {
		st := &sealedTables[i]
		m[st.table] = st
		for _, c := range st.children {
			m[c.table] = st
		}
	}
	return m
}()

// writeState is what a write transaction collects until it commits.
type writeState struct {
	entries []audit.Entry
	touched map[string]bool // "kind:id"
	kinds   map[string]bool // kinds touched
	written map[string]bool // tables written by statements
	// known are hashes SealAll computed in bulk, for rows not touched
	// since.
	known map[string]string
}

func newWriteState() *writeState {
	return &writeState{touched: map[string]bool{}, kinds: map[string]bool{}, written: map[string]bool{}}
}

var writeStatement = regexp.MustCompile(`(?is)^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_0-9]+)`)

// noteWrite records which table a statement writes.
func (w *writeState) noteWrite(query string) {
	if m := writeStatement.FindStringSubmatch(query); m != nil {
		w.written[strings.ToLower(m[1])] = true
	}
}

// touch marks a row of the books as written by this transaction.
func (t *Tx) touch(kind string, id any) {
	if t.w == nil {
		return
	}
	obj := kind + ":" + fmt.Sprint(id)
	t.w.touched[obj] = true
	t.w.kinds[kind] = true
	delete(t.w.known, obj)
}

// flush seals the touched rows and writes the transaction's audit entries.
func (t *Tx) flush() error {
	w := t.w
	for table := range w.written {
		if st := sealedKind[table]; st != nil && !w.kinds[st.kind] {
			return fmt.Errorf("programfel: skrivning till %s utan sigill i granskningsloggen", table)
		}
	}
	if len(w.touched) > 0 && len(w.entries) == 0 {
		return fmt.Errorf("programfel: ändringen av %s saknar granskningspost", strings.Join(slices.Sorted(maps.Keys(w.touched)), ", "))
	}
	seals := audit.Seals{}
	for obj := range w.touched {
		if h, ok := w.known[obj]; ok {
			seals[obj] = h
			continue
		}
		kind, id, _ := strings.Cut(obj, ":")
		h, err := t.rowHash(sealedByKind(kind), id)
		if err != nil {
			return fmt.Errorf("granskningslogg: sigill för %s: %w", obj, err)
		}
		seals[obj] = h
	}
	if len(w.entries) > 0 && len(seals) > 0 {
		w.entries[len(w.entries)-1].Sealed = seals.String()
	}
	for _, e := range w.entries {
		if err := t.appendAudit(e); err != nil {
			return err
		}
	}
	return nil
}

func sealedByKind(kind string) *sealedTable {
	for i := range sealedTables {
		if sealedTables[i].kind == kind {
			return &sealedTables[i]
		}
	}
	panic("store: unknown sealed kind " + kind)
}

// rowHash is the hash of one row and its children as they are now, or
// audit.Removed when the row does not exist.
func (t *Tx) rowHash(st *sealedTable, id string) (string, error) {
	var key any = id
	if st.intKey {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return "", err
		}
		key = n
	}
	h := sha256.New()
	n, err := t.hashRows(h, st.table, "SELECT * FROM "+st.table+" WHERE "+st.key+" = $1", key)
	if err != nil || n == 0 {
		return audit.Removed, err
	}
	for _, c := range st.children {
		if _, err := t.hashRows(h, c.table, "SELECT * FROM "+c.table+" WHERE "+c.fk+" = $1 ORDER BY "+c.order, key); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashRows writes each row the query returns into h and counts them.
func (t *Tx) hashRows(h hash.Hash, table, query string, args ...any) (int, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		vals, err := scanAny(rows, len(cols))
		if err != nil {
			return n, err
		}
		h.Write(encodeRow(table, cols, vals))
		n++
	}
	return n, rows.Err()
}

func scanAny(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// encodeRow is a row's content as hashed: the table, then the columns by
// name with their values as text, length-prefixed. NULL and empty values
// are left out, so that a later migration adding a column with an empty
// default changes no row's hash.
func encodeRow(table string, cols []string, vals []any) []byte {
	idx := make([]int, len(cols))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return cols[idx[a]] < cols[idx[b]] })
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%s{", len(table), table)
	for _, i := range idx {
		v := valueText(vals[i])
		if v == "" {
			continue
		}
		fmt.Fprintf(&b, "%d:%s=%d:%s;", len(cols[i]), cols[i], len(v), v)
	}
	b.WriteString("}")
	return []byte(b.String())
}

func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// allRowHashes is every row of the sealed tables as it is now: object to
// hash, computed as rowHash does, a table and its children at a time.
func (t *Tx) allRowHashes() (map[string]string, error) {
	out := map[string]string{}
	for i := range sealedTables {
		st := &sealedTables[i]
		parts := map[string][]byte{}
		if err := t.encodeTable(st.table, "SELECT * FROM "+st.table, st.key, parts, true); err != nil {
			return nil, err
		}
		for _, c := range st.children {
			if err := t.encodeTable(c.table, "SELECT * FROM "+c.table+" ORDER BY "+c.fk+", "+c.order, c.fk, parts, false); err != nil {
				return nil, err
			}
		}
		for id, b := range parts {
			sum := sha256.Sum256(b)
			out[st.kind+":"+id] = hex.EncodeToString(sum[:])
		}
	}
	return out, nil
}

// encodeTable appends each row's encoding to parts under its key column's
// value. Child rows whose parent is missing get an entry of their own
// (parent false), so that they show as rows the log does not know.
func (t *Tx) encodeTable(table, query, keyCol string, parts map[string][]byte, parent bool) error {
	rows, err := t.query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	k := slices.Index(cols, keyCol)
	for rows.Next() {
		vals, err := scanAny(rows, len(cols))
		if err != nil {
			return err
		}
		id := valueText(vals[k])
		parts[id] = append(parts[id], encodeRow(table, cols, vals)...)
	}
	return rows.Err()
}

// SealAll marks every row of the books as written by this transaction, so
// that its audit entry seals them all: once, for the rows of a database
// written before rows were sealed (see HasSeals).
func (t *Tx) SealAll() (int, error) {
	rows, err := t.allRowHashes()
	if err != nil {
		return 0, err
	}
	for obj := range rows {
		kind, id, _ := strings.Cut(obj, ":")
		t.touch(kind, id)
	}
	t.w.known = rows // after touch, which forgets known hashes
	return len(rows), nil
}

// HasSeals reports whether any audit entry seals rows.
func (t *Tx) HasSeals() (bool, error) {
	var n int
	err := t.queryRow("SELECT COUNT(*) FROM audit_log WHERE sealed <> ''").Scan(&n)
	return n > 0, err
}
