-- What recipients owe, with the OCR reference each debt is paid with, and
-- the bank's debit/credit notifications (camt.054) as imported. Portable
-- SQL.

CREATE TABLE debts (
    id         TEXT PRIMARY KEY,
    seq        BIGINT NOT NULL UNIQUE,
    ocr        TEXT NOT NULL UNIQUE,
    agreement  TEXT NOT NULL,
    recipient  TEXT NOT NULL REFERENCES organisations (id),
    kind       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    source     TEXT NOT NULL,
    amount_kr  BIGINT NOT NULL CHECK (amount_kr >= 0),
    due_on     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One debt per financial report and per reclaim decision.
CREATE UNIQUE INDEX debts_source ON debts (kind, source);
CREATE INDEX debts_recipient ON debts (agreement, recipient);

-- The debt whose OCR reference a repayment carried ('' for none).
ALTER TABLE repayments ADD COLUMN debt_id TEXT NOT NULL DEFAULT '';

CREATE TABLE bank_notifications (
    id          TEXT PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL,
    created     TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE bank_notification_lines (
    notification_id TEXT NOT NULL REFERENCES bank_notifications (id),
    line            INTEGER NOT NULL,
    entry           INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    direction       TEXT NOT NULL,
    amount_ore      BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    booked_on       TEXT NOT NULL,
    reference       TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    object          TEXT NOT NULL,
    note            TEXT NOT NULL,
    PRIMARY KEY (notification_id, line)
);
CREATE INDEX bank_notification_lines_object ON bank_notification_lines (kind, object);
