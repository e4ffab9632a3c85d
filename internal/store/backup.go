package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A backup is every table of the database read in one read transaction
// (SQLite's write-ahead log and PostgreSQL's REPEATABLE READ both give that
// transaction one snapshot, while the server goes on writing), written in
// a portable format, so that a backup of either back end restores into
// either:
//
// gzip-compressed JSON Lines, "narvard-backup/1":
//
//	{"format":"narvard-backup/1","taken_at":"…","source":"sqlite","schema":["0001_settings.sql",…]}
//	{"table":"organisations","columns":["id","kind",…]}
//	["region-01","region",…]            one JSON array per row: strings, integers, null,
//	                                    {"base64":"…"} for a file's bytes (blobColumns)
//	…                                   the next table's header, its rows, …
//	{"end":true,"tables":21,"rows":12345}
//
// The tables come parents first (organisations before users, ledger_tx
// before postings), then any table not in backupOrder by name. The
// trailer's counts let restore refuse a file cut short. schema_migrations
// is not written: restore migrates the empty target to the same schema
// (the names must match) and then loads the rows.

// BackupFormat names the format and its version.
const BackupFormat = "narvard-backup/1"

// backupOrder is the order tables are written and restored in, parents
// before the tables that refer to them.
var backupOrder = []string{
	"settings", "organisations", "users", "sessions", "api_tokens", "login_failures",
	"payment_batches", "requisitions", "lapses", "ledger_tx", "postings",
	"financial_reports", "report_costs", "repayments", "reclaims", "debts",
	"bank_notifications", "bank_notification_lines", "onward_decisions", "onward_payments", "vfu_reports", "vfu_rounds", "vfu_payments",
	"municipal_reports", "municipal_report_costs", "document_requests", "attachments", "plans", "outcome_imports",
	"question_templates", "activity_reports", "surveys", "survey_responses", "survey_reminders",
	"outbox", "mail_preferences", "calendar_tokens", "followup_runs", "idempotency",
	"audit_log", "audit_head",
}

// notBackedUp are tables that are not data.
var notBackedUp = []string{"schema_migrations", "health_probe"}

type backupHeader struct {
	Format  string    `json:"format"`
	TakenAt time.Time `json:"taken_at"`
	Source  string    `json:"source"`
	Schema  []string  `json:"schema"`
}

type tableHeader struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type backupTrailer struct {
	End    bool  `json:"end"`
	Tables int   `json:"tables"`
	Rows   int64 `json:"rows"`
}

// BackupStats says what a backup or a restore held.
type BackupStats struct {
	Tables  int
	Rows    int64
	Entries int64 // audit log entries
}

// tables lists the database's tables in backup order.
func (t *Tx) tables(postgres bool) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := t.query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if !slices.Contains(notBackedUp, n) {
			all = append(all, n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(all)
	var out []string
	for _, n := range backupOrder {
		if slices.Contains(all, n) {
			out = append(out, n)
		}
	}
	for _, n := range all {
		if !slices.Contains(backupOrder, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// Backup writes every table, read in one snapshot, to w in the backup
// format.
func (s *Store) Backup(ctx context.Context, w io.Writer) (BackupStats, error) {
	var st BackupStats
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 1<<16)
	enc := json.NewEncoder(bw)
	source := "sqlite"
	if s.postgres {
		source = "postgres"
	}
	err := s.View(ctx, func(tx *Tx) error {
		var names []string
		for _, m := range migrationsFor(s.postgres) {
			names = append(names, m.Name)
		}
		var n int
		if err := tx.queryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
			return err
		}
		if n != len(names) {
			return fmt.Errorf("databasen har schemaversion %d, programmet %d", n, len(names))
		}
		if err := enc.Encode(backupHeader{BackupFormat, time.Now().UTC(), source, names}); err != nil {
			return err
		}
		tables, err := tx.tables(s.postgres)
		if err != nil {
			return err
		}
		for _, table := range tables {
			n, err := tx.dumpTable(enc, table)
			if err != nil {
				return fmt.Errorf("tabell %s: %w", table, err)
			}
			st.Tables++
			st.Rows += n
			if table == "audit_log" {
				st.Entries = n
			}
		}
		return enc.Encode(backupTrailer{true, st.Tables, st.Rows})
	})
	if err != nil {
		return st, fmt.Errorf("säkerhetskopia: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("säkerhetskopia: %w", err)
	}
	if err := zw.Close(); err != nil {
		return st, fmt.Errorf("säkerhetskopia: %w", err)
	}
	return st, nil
}

func (t *Tx) dumpTable(enc *json.Encoder, table string) (int64, error) {
	rows, err := t.query("SELECT * FROM " + table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if err := enc.Encode(tableHeader{table, cols}); err != nil {
		return 0, err
	}
	var n int64
	for rows.Next() {
		vals, err := scanAny(rows, len(cols))
		if err != nil {
			return n, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case nil, string, int64:
			case []byte:
				vals[i] = bytesValue(table, cols[i], x)
			case int32:
				vals[i] = int64(x)
			case bool:
				vals[i] = map[bool]int64{false: 0, true: 1}[x]
			default:
				return n, fmt.Errorf("kolumn %s: oväntad typ %T", cols[i], v)
			}
		}
		if err := enc.Encode(vals); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// ErrNotEmpty is returned by Restore for a target that holds data.
var ErrNotEmpty = errors.New("målet är inte tomt")

// Restore loads a backup into this store, which must be empty (freshly
// created: migrated, with no rows), in one transaction: all of it or
// nothing. It refuses a file of another format or schema, and one cut
// short.
func (s *Store) Restore(ctx context.Context, r io.Reader) (BackupStats, error) {
	var st BackupStats
	zr, err := gzip.NewReader(r)
	if err != nil {
		return st, fmt.Errorf("återläsning: inte en säkerhetskopia från narvard: %w", err)
	}
	dec := json.NewDecoder(bufio.NewReaderSize(zr, 1<<16))
	dec.UseNumber()
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Format != BackupFormat {
		return st, errors.New("återläsning: inte en säkerhetskopia från narvard (" + BackupFormat + ")")
	}
	var want []string
	for _, m := range migrationsFor(s.postgres) {
		want = append(want, m.Name)
	}
	if !slices.Equal(h.Schema, want) {
		return st, fmt.Errorf("återläsning: säkerhetskopian har schemat %s, programmet %s; återläs med samma version av narvard",
			lastOr(h.Schema), lastOr(want))
	}
	err = s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := &Tx{ctx: ctx, tx: sqlTx}
		tables, err := tx.tables(s.postgres)
		if err != nil {
			return err
		}
		for _, table := range tables {
			var n int64
			if err := tx.queryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w: tabellen %s har %d rader (återläs till en ny datakatalog eller en tom databas)", ErrNotEmpty, table, n)
			}
		}
		var stmt *sql.Stmt
		var cols []string
		defer func() {
			if stmt != nil {
				stmt.Close()
			}
		}()
		for {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				if errors.Is(err, io.EOF) {
					return errors.New("säkerhetskopian är avkortad (slutraden saknas)")
				}
				return fmt.Errorf("säkerhetskopian går inte att läsa: %w", err)
			}
			if len(raw) > 0 && raw[0] == '[' {
				if stmt == nil {
					return errors.New("säkerhetskopian går inte att läsa: en rad före sin tabell")
				}
				vals, err := rowValues(raw)
				if err != nil {
					return err
				}
				if len(vals) != len(cols) {
					return fmt.Errorf("säkerhetskopian går inte att läsa: en rad med %d värden, tabellen har %d kolumner", len(vals), len(cols))
				}
				if _, err := stmt.ExecContext(ctx, vals...); err != nil {
					return fmt.Errorf("återläsning: %w", err)
				}
				st.Rows++
				continue
			}
			var obj struct {
				tableHeader
				backupTrailer
			}
			if err := json.Unmarshal(raw, &obj); err != nil {
				return fmt.Errorf("säkerhetskopian går inte att läsa: %w", err)
			}
			if obj.End {
				if obj.Tables != st.Tables || obj.Rows != st.Rows {
					return fmt.Errorf("säkerhetskopian är skadad: slutraden säger %d tabeller och %d rader, filen har %d och %d",
						obj.Tables, obj.Rows, st.Tables, st.Rows)
				}
				return nil
			}
			if !slices.Contains(tables, obj.Table) {
				return fmt.Errorf("återläsning: tabellen %s finns inte i databasen", obj.Table)
			}
			if stmt != nil {
				stmt.Close()
			}
			cols = obj.Columns
			ph := make([]string, len(cols))
			for i := range ph {
				ph[i] = "$" + strconv.Itoa(i+1)
			}
			stmt, err = sqlTx.PrepareContext(ctx, "INSERT INTO "+obj.Table+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(ph, ", ")+")")
			if err != nil {
				return fmt.Errorf("återläsning: tabell %s: %w", obj.Table, err)
			}
			st.Tables++
		}
	})
	if err != nil {
		return st, err
	}
	return st, s.View(ctx, func(tx *Tx) error {
		return tx.queryRow("SELECT COUNT(*) FROM audit_log").Scan(&st.Entries)
	})
}

// blobColumns hold bytes, not text: a file's content. A backup writes
// them as {"base64": "…"}, so that bytes that are not UTF-8 come back
// whole (a JSON string would replace them).
var blobColumns = map[string]bool{"attachments.content": true}

// bytesValue is a []byte as the backup writes it: the text of a text
// column, the base64 of a blob column.
func bytesValue(table, col string, b []byte) any {
	if blobColumns[table+"."+col] {
		return map[string]string{"base64": base64.StdEncoding.EncodeToString(b)}
	}
	return string(b)
}

// rowValues decodes a row: strings, integers, nulls and blobs.
func rowValues(raw json.RawMessage) ([]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var vals []any
	if err := d.Decode(&vals); err != nil {
		return nil, fmt.Errorf("säkerhetskopian går inte att läsa: %w", err)
	}
	for i, v := range vals {
		switch x := v.(type) {
		case nil, string:
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return nil, fmt.Errorf("säkerhetskopian går inte att läsa: talet %s", x)
			}
			vals[i] = n
		case map[string]any:
			b64, ok := x["base64"].(string)
			b, err := base64.StdEncoding.DecodeString(b64)
			if !ok || len(x) != 1 || err != nil {
				return nil, fmt.Errorf("säkerhetskopian går inte att läsa: värdet %v", v)
			}
			vals[i] = b
		default:
			return nil, fmt.Errorf("säkerhetskopian går inte att läsa: värdet %v", v)
		}
	}
	return vals, nil
}

func lastOr(s []string) string {
	if len(s) == 0 {
		return "(inget)"
	}
	return s[len(s)-1]
}
