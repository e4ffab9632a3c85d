-- Organisations, users, sessions and API tokens; requisitions, payment
-- batches, the ledger and the audit log. Portable SQL: SQLite and
-- PostgreSQL alike. Amounts are BIGINT whole kronor; times are RFC 3339 UTC
-- text written by Go; dates are YYYY-MM-DD text.

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    org_nr     TEXT NOT NULL DEFAULT '',
    county     TEXT NOT NULL DEFAULT '',
    host       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id            BIGINT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);

CREATE TABLE payment_batches (
    id           TEXT PRIMARY KEY,
    agreement    TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    execute_on   TEXT NOT NULL,
    confirmed_by TEXT NOT NULL DEFAULT '',
    confirmed_at TEXT NOT NULL DEFAULT '',
    paid_on      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE requisitions (
    id                   TEXT PRIMARY KEY,
    agreement            TEXT NOT NULL,
    recipient            TEXT NOT NULL REFERENCES organisations (id),
    amount_kr            BIGINT NOT NULL CHECK (amount_kr > 0),
    period_from          TEXT NOT NULL,
    period_to            TEXT NOT NULL,
    account_type         TEXT NOT NULL,
    account_number       TEXT NOT NULL,
    payment_reference    TEXT NOT NULL,
    contact_name         TEXT NOT NULL,
    contact_email        TEXT NOT NULL,
    contact_phone        TEXT NOT NULL,
    agreement_dnr        TEXT NOT NULL,
    payment_decision_dnr TEXT NOT NULL,
    status               TEXT NOT NULL,
    created_by           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    signed_by            TEXT NOT NULL DEFAULT '',
    signed_by_user       TEXT NOT NULL DEFAULT '',
    signed_at            TEXT NOT NULL DEFAULT '',
    decided_by           TEXT NOT NULL DEFAULT '',
    decided_at           TEXT NOT NULL DEFAULT '',
    reject_reason        TEXT NOT NULL DEFAULT '',
    batch_id             TEXT REFERENCES payment_batches (id),
    paid_on              TEXT NOT NULL DEFAULT ''
);
-- At most one live requisition per recipient and agreement.
CREATE UNIQUE INDEX requisitions_live ON requisitions (agreement, recipient) WHERE status <> 'withdrawn';
CREATE INDEX requisitions_status ON requisitions (status);

CREATE TABLE lapses (
    agreement TEXT NOT NULL,
    recipient TEXT NOT NULL REFERENCES organisations (id),
    at        TEXT NOT NULL,
    PRIMARY KEY (agreement, recipient)
);

-- The ledger: append-only, every transaction balanced (checked in Go
-- before it is written).
CREATE TABLE ledger_tx (
    id        BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    agreement TEXT NOT NULL,
    recipient TEXT NOT NULL,
    ref       TEXT NOT NULL
);
CREATE TABLE postings (
    tx_id     BIGINT NOT NULL REFERENCES ledger_tx (id),
    line      INTEGER NOT NULL,
    account   TEXT NOT NULL,
    amount_kr BIGINT NOT NULL CHECK (amount_kr <> 0),
    PRIMARY KEY (tx_id, line)
);
CREATE INDEX postings_account ON postings (account);

-- The audit log: a hash chain. audit_head holds the last entry so that a
-- removed last row is noticed too.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    org       TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Answers to POSTs that carried an Idempotency-Key, replayed on a retry.
CREATE TABLE idempotency (
    user_id    BIGINT NOT NULL,
    key        TEXT NOT NULL,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
