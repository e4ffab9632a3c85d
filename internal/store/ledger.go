package store

import (
	"fmt"
	"strings"

	"narvard/internal/fault"
	"narvard/internal/ledger"
	"narvard/internal/money"
)

// Post appends a balanced transaction to the ledger and returns its id.
// An unbalanced transaction is refused before anything is written.
func (t *Tx) Post(tx ledger.Tx) (int64, error) {
	if err := tx.Check(); err != nil {
		return 0, err
	}
	id, err := t.nextID("ledger_tx", "id")
	if err != nil {
		return 0, err
	}
	t.touch("ledger", id)
	if _, err := t.exec("INSERT INTO ledger_tx (id, at, kind, agreement, recipient, ref) VALUES ($1, $2, $3, $4, $5, $6)",
		id, fmtTime(tx.At), string(tx.Kind), tx.Agreement, tx.Recipient, tx.Ref); err != nil {
		return 0, fmt.Errorf("bokföring: %w", err)
	}
	for i, p := range tx.Postings {
		if _, err := t.exec("INSERT INTO postings (tx_id, line, account, amount_kr) VALUES ($1, $2, $3, $4)",
			id, i+1, p.Account, int64(p.Amount)); err != nil {
			return 0, fmt.Errorf("bokföring: %w", err)
		}
	}
	return id, nil
}

// CheckLedger checks that every ledger transaction balances (its postings
// sum to zero, and it has at least two). Every read of balances calls it
// first and serves no figures from a ledger that fails it: the error is a
// fault.BooksBroken that names the first transaction that does not
// balance. A transaction checks once.
func (t *Tx) CheckLedger() error {
	if t.ledgerOK {
		return nil
	}
	var id, sum, lines int64
	err := t.queryRow(`SELECT x.id, CAST(COALESCE(SUM(p.amount_kr), 0) AS BIGINT), COUNT(p.line)
		FROM ledger_tx x LEFT JOIN postings p ON p.tx_id = x.id
		GROUP BY x.id HAVING COALESCE(SUM(p.amount_kr), 0) <> 0 OR COUNT(p.line) < 2 ORDER BY x.id LIMIT 1`).Scan(&id, &sum, &lines)
	switch notFound(err) {
	case ErrNotFound:
		t.ledgerOK = true
		return nil
	case nil:
		return &fault.Error{Code: fault.BooksBroken, Message: fmt.Sprintf(
			"Bokföringen balanserar inte: transaktion %d har %d konteringar som summerar till %s. "+
				"Inga belopp visas förrän felet är utrett (narvard audit verify).", id, lines, money.Kr(sum).String())}
	default:
		return err
	}
}

// Balances sums the postings per account for accounts starting with
// prefix ("" for all).
func (t *Tx) Balances(prefix string) (map[string]money.Kr, error) {
	if err := t.CheckLedger(); err != nil {
		return nil, err
	}
	rows, err := t.query("SELECT account, CAST(SUM(amount_kr) AS BIGINT) FROM postings WHERE account LIKE $1 GROUP BY account", likePrefix(prefix))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]money.Kr{}
	for rows.Next() {
		var acct string
		var sum int64
		if err := rows.Scan(&acct, &sum); err != nil {
			return nil, err
		}
		out[acct] = money.Kr(sum)
	}
	return out, rows.Err()
}

// KindTotal sums the amounts posted to an account by transactions of one
// kind, e.g. everything ever allocated to a recipient.
func (t *Tx) KindTotal(account string, kind ledger.Kind) (money.Kr, error) {
	if err := t.CheckLedger(); err != nil {
		return 0, err
	}
	var sum int64
	err := t.queryRow(`SELECT CAST(COALESCE(SUM(p.amount_kr), 0) AS BIGINT) FROM postings p JOIN ledger_tx x ON x.id = p.tx_id
		WHERE p.account = $1 AND x.kind = $2`, account, string(kind)).Scan(&sum)
	return money.Kr(sum), err
}

// HasPosted reports whether a transaction of the kind exists for the
// agreement and reference (used to post allocations once).
func (t *Tx) HasPosted(kind ledger.Kind, agreement, ref string) (bool, error) {
	var n int
	err := t.queryRow("SELECT COUNT(*) FROM ledger_tx WHERE kind = $1 AND agreement = $2 AND ref = $3", string(kind), agreement, ref).Scan(&n)
	return n > 0, err
}

// RefTotals sums, per recipient, kind, reference and account, what the
// agreement's transactions of the given kinds posted.
func (t *Tx) RefTotals(agreement string, kinds ...ledger.Kind) ([]ledger.RefTotal, error) {
	if err := t.CheckLedger(); err != nil {
		return nil, err
	}
	args := []any{agreement}
	in := make([]string, len(kinds))
	for i, k := range kinds {
		args = append(args, string(k))
		in[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := t.query(`SELECT x.recipient, x.kind, x.ref, p.account, CAST(SUM(p.amount_kr) AS BIGINT)
		FROM ledger_tx x JOIN postings p ON p.tx_id = x.id
		WHERE x.agreement = $1 AND x.kind IN (`+strings.Join(in, ", ")+`)
		GROUP BY x.recipient, x.kind, x.ref, p.account ORDER BY x.recipient, x.kind, x.ref, p.account`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.RefTotal
	for rows.Next() {
		var r ledger.RefTotal
		var kind string
		var sum int64
		if err := rows.Scan(&r.Recipient, &kind, &r.Ref, &r.Account, &sum); err != nil {
			return nil, err
		}
		r.Kind, r.Amount = ledger.Kind(kind), money.Kr(sum)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LedgerTxs returns every transaction with its postings, in order.
func (t *Tx) LedgerTxs() ([]ledger.Tx, error) {
	rows, err := t.query(`SELECT x.id, x.at, x.kind, x.agreement, x.recipient, x.ref, p.account, p.amount_kr
		FROM ledger_tx x JOIN postings p ON p.tx_id = x.id ORDER BY x.id, p.line`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.Tx
	for rows.Next() {
		var x ledger.Tx
		var at, kind string
		var p ledger.Posting
		var amount int64
		if err := rows.Scan(&x.ID, &at, &kind, &x.Agreement, &x.Recipient, &x.Ref, &p.Account, &amount); err != nil {
			return nil, err
		}
		p.Amount, x.Kind = money.Kr(amount), ledger.Kind(kind)
		if n := len(out); n > 0 && out[n-1].ID == x.ID {
			out[n-1].Postings = append(out[n-1].Postings, p)
			continue
		}
		x.At, x.Postings = parseTime(at), []ledger.Posting{p}
		out = append(out, x)
	}
	return out, rows.Err()
}

// likePrefix is a LIKE pattern for accounts starting with prefix. Account
// names are made by the ledger package from ids of letters, digits and
// hyphens, so they hold no LIKE wildcards to escape.
func likePrefix(prefix string) string { return prefix + "%" }

// KindTotals sums, per recipient and transaction kind, the positive
// postings of the agreement's transactions — what each kind moved: paid,
// repaid, reclaimed. recipient narrows it to one ("" for all).
func (t *Tx) KindTotals(agreement, recipient string) (map[string]map[ledger.Kind]money.Kr, error) {
	if err := t.CheckLedger(); err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT x.recipient, x.kind, CAST(SUM(p.amount_kr) AS BIGINT) FROM ledger_tx x JOIN postings p ON p.tx_id = x.id
		WHERE x.agreement = $1 AND ($2 = '' OR x.recipient = $2) AND p.amount_kr > 0 GROUP BY x.recipient, x.kind`, agreement, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[ledger.Kind]money.Kr{}
	for rows.Next() {
		var recipient, kind string
		var sum int64
		if err := rows.Scan(&recipient, &kind, &sum); err != nil {
			return nil, err
		}
		if out[recipient] == nil {
			out[recipient] = map[ledger.Kind]money.Kr{}
		}
		out[recipient][ledger.Kind(kind)] = money.Kr(sum)
	}
	return out, rows.Err()
}
