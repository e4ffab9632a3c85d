package store

import (
	"fmt"
	"strings"
	"time"

	"narvard/internal/audit"
)

// Audit appends an entry to the audit log, chained to the last one. The
// entry is written when the transaction's work is done (Update), so that
// the transaction's last entry can seal every row the transaction wrote;
// in a read transaction Audit fails.
func (t *Tx) Audit(e audit.Entry) (audit.Entry, error) {
	if t.w == nil {
		return e, fmt.Errorf("granskningslogg: en lästransaktion skriver inte")
	}
	t.w.entries = append(t.w.entries, e)
	return e, nil
}

// appendAudit writes an entry after the chain's head.
func (t *Tx) appendAudit(e audit.Entry) error {
	var prev *audit.Entry
	var seq int64
	var hash string
	err := t.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash)
	switch notFound(err) {
	case nil:
		prev = &audit.Entry{Seq: seq, Hash: hash}
	case ErrNotFound:
	default:
		return err
	}
	e.At = e.At.UTC().Truncate(time.Microsecond) // as stored, so the hash can be checked later
	e = audit.Seal(e, prev)
	if _, err := t.exec(`INSERT INTO audit_log (seq, at, actor, org, action, object, detail, prev_hash, hash, sealed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.Seq, fmtTime(e.At), e.Actor, e.Org, e.Action, e.Object, e.Detail, e.PrevHash, e.Hash, e.Sealed); err != nil {
		return fmt.Errorf("granskningslogg: %w", err)
	}
	if _, err := t.exec(`INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("granskningslogg: %w", err)
	}
	return nil
}

// AuditLog returns the entries in order, at most limit (0 for all) from
// the newest backwards when newestFirst.
func (t *Tx) AuditLog(limit int, newestFirst bool) ([]audit.Entry, error) {
	q := "SELECT seq, at, actor, org, action, object, detail, prev_hash, hash, sealed FROM audit_log ORDER BY seq"
	if newestFirst {
		q += " DESC"
	}
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	return t.auditEntries(q)
}

// AuditOf returns the entries about one object ("requisition:R-…"), in
// order.
func (t *Tx) AuditOf(object string) ([]audit.Entry, error) {
	return t.auditEntries(`SELECT seq, at, actor, org, action, object, detail, prev_hash, hash, sealed FROM audit_log
		WHERE object = $1 ORDER BY seq`, object)
}

// VerifyAudit checks the whole chain and that it ends where audit_head
// says, so that a removed last entry is noticed too.
func (t *Tx) VerifyAudit() (int64, *audit.Break, error) {
	entries, err := t.AuditLog(0, false)
	if err != nil {
		return 0, nil, err
	}
	if b := audit.Verify(entries); b != nil {
		return int64(len(entries)), b, nil
	}
	var seq int64
	var hash string
	err = notFound(t.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash))
	if err == ErrNotFound {
		if len(entries) > 0 {
			return int64(len(entries)), &audit.Break{Seq: 1, Reason: "kedjans huvud saknas"}, nil
		}
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	n := int64(len(entries))
	if n < seq {
		return n, &audit.Break{Seq: n + 1, Reason: fmt.Sprintf("saknas (loggen slutar på %d men ska sluta på %d)", n, seq)}, nil
	}
	if n > 0 && (entries[n-1].Seq != seq || entries[n-1].Hash != hash) {
		return n, &audit.Break{Seq: entries[n-1].Seq, Reason: "stämmer inte med kedjans huvud"}, nil
	}
	return n, nil, nil
}

// AuditOfPrefix returns the entries whose object begins with prefix
// ("attachment:financial_report:R-1:"), in order.
func (t *Tx) AuditOfPrefix(prefix string) ([]audit.Entry, error) {
	return t.auditEntries(`SELECT seq, at, actor, org, action, object, detail, prev_hash, hash, sealed FROM audit_log
		WHERE object LIKE $1 ESCAPE '\' ORDER BY seq`, likeEscape(prefix)+"%")
}

// AuditSearch returns the entries the query picks, newest first, and how
// many it picks in all.
func (t *Tx) AuditSearch(q audit.Query) ([]audit.Entry, int, error) {
	where, args := auditWhere(q)
	var n int
	if err := t.queryRow("SELECT COUNT(*) FROM audit_log"+where, args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("granskningslogg: %w", err)
	}
	sel := "SELECT seq, at, actor, org, action, object, detail, prev_hash, hash, sealed FROM audit_log" + where + " ORDER BY seq DESC"
	if q.Limit > 0 {
		sel += fmt.Sprintf(" LIMIT %d OFFSET %d", q.Limit, max(q.Offset, 0))
	}
	out, err := t.auditEntries(sel, args...)
	return out, n, err
}

// auditWhere is the query's WHERE clause and its arguments.
func auditWhere(q audit.Query) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if q.Object != "" {
		add(`LOWER(object) LIKE $%d ESCAPE '\'`, "%"+likeEscape(strings.ToLower(q.Object))+"%")
	}
	if q.Actor != "" {
		add(`LOWER(actor) LIKE $%d ESCAPE '\'`, "%"+likeEscape(strings.ToLower(q.Actor))+"%")
	}
	if !q.From.IsZero() {
		add("at >= $%d", fmtTime(q.From))
	}
	if !q.To.IsZero() {
		add("at < $%d", fmtTime(q.To))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

func (t *Tx) auditEntries(q string, args ...any) ([]audit.Entry, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Org, &e.Action, &e.Object, &e.Detail, &e.PrevHash, &e.Hash, &e.Sealed); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
