-- The VFU round (issue 13, items 5 and 6): each region's and
-- municipality's VFU report, one per recipient and agreement; the round,
-- closed with its allocation fixed; and the payout lines of a VFU batch.
-- Portable SQL.

CREATE TABLE vfu_reports (
    id             TEXT PRIMARY KEY,
    agreement      TEXT NOT NULL,
    recipient      TEXT NOT NULL REFERENCES organisations (id),
    weeks_base     BIGINT NOT NULL CHECK (weeks_base >= 0),
    places_base    BIGINT NOT NULL CHECK (places_base >= 0),
    weeks_current  BIGINT NOT NULL CHECK (weeks_current >= 0),
    places_current BIGINT NOT NULL CHECK (places_current >= 0),
    status         TEXT NOT NULL,
    reported_by    TEXT NOT NULL,
    reported_for   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    signed_by      TEXT NOT NULL DEFAULT '',
    signed_by_user TEXT NOT NULL DEFAULT '',
    signed_at      TEXT NOT NULL DEFAULT '',
    returned_by    TEXT NOT NULL DEFAULT '',
    returned_at    TEXT NOT NULL DEFAULT '',
    return_reason  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX vfu_reports_recipient ON vfu_reports (agreement, recipient);

CREATE TABLE vfu_rounds (
    agreement TEXT PRIMARY KEY,
    status    TEXT NOT NULL,
    closed_by TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    batch_id  TEXT NOT NULL DEFAULT ''
);

-- A VFU payout batch's lines: paid without requisition, each to the
-- recipient's own bankgiro as registered when the batch was made.
CREATE TABLE vfu_payments (
    batch_id       TEXT NOT NULL REFERENCES payment_batches (id),
    line           INTEGER NOT NULL,
    agreement      TEXT NOT NULL,
    recipient      TEXT NOT NULL REFERENCES organisations (id),
    amount_kr      BIGINT NOT NULL CHECK (amount_kr > 0),
    account_type   TEXT NOT NULL,
    account_number TEXT NOT NULL,
    PRIMARY KEY (batch_id, line)
);
