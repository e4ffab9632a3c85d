-- Financial reports (ekonomisk redovisning) with their cost lines and the
-- CFO's review, repayments received and reclaim decisions. Portable SQL.

-- Bilaga 1 asks for the recipient's postal address on every document.
ALTER TABLE organisations ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE TABLE financial_reports (
    id                   TEXT PRIMARY KEY,
    agreement            TEXT NOT NULL,
    recipient            TEXT NOT NULL REFERENCES organisations (id),
    period_from          TEXT NOT NULL,
    period_to            TEXT NOT NULL,
    contact_name         TEXT NOT NULL,
    contact_email        TEXT NOT NULL,
    contact_phone        TEXT NOT NULL,
    agreement_dnr        TEXT NOT NULL,
    payment_decision_dnr TEXT NOT NULL,
    status               TEXT NOT NULL,
    created_by           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    review_alternative   INTEGER NOT NULL DEFAULT 0,
    review_deviations    TEXT NOT NULL DEFAULT '',
    review_actions       TEXT NOT NULL DEFAULT '',
    review_name          TEXT NOT NULL DEFAULT '',
    review_title         TEXT NOT NULL DEFAULT '',
    review_phone         TEXT NOT NULL DEFAULT '',
    review_email         TEXT NOT NULL DEFAULT '',
    review_at            TEXT NOT NULL DEFAULT '',
    signed_by            TEXT NOT NULL DEFAULT '',
    signed_by_user       TEXT NOT NULL DEFAULT '',
    signed_at            TEXT NOT NULL DEFAULT '',
    decided_by           TEXT NOT NULL DEFAULT '',
    decided_at           TEXT NOT NULL DEFAULT '',
    return_reason        TEXT NOT NULL DEFAULT ''
);
-- One report per recipient and agreement.
CREATE UNIQUE INDEX financial_reports_one ON financial_reports (agreement, recipient);

CREATE TABLE report_costs (
    report_id TEXT NOT NULL REFERENCES financial_reports (id),
    line      INTEGER NOT NULL,
    item      TEXT NOT NULL,
    component TEXT NOT NULL,
    amount_kr BIGINT NOT NULL CHECK (amount_kr >= 0),
    PRIMARY KEY (report_id, line)
);

CREATE TABLE repayments (
    id          TEXT PRIMARY KEY,
    agreement   TEXT NOT NULL,
    recipient   TEXT NOT NULL REFERENCES organisations (id),
    amount_kr   BIGINT NOT NULL CHECK (amount_kr > 0),
    received_on TEXT NOT NULL,
    reference   TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX repayments_recipient ON repayments (agreement, recipient);

CREATE TABLE reclaims (
    id         TEXT PRIMARY KEY,
    agreement  TEXT NOT NULL,
    recipient  TEXT NOT NULL REFERENCES organisations (id),
    amount_kr  BIGINT NOT NULL CHECK (amount_kr > 0),
    reason     TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX reclaims_recipient ON reclaims (agreement, recipient);
