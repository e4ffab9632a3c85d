-- The RSS's onward decisions (vidareförmedling) to its county's
-- municipalities and its payments to them. The plan (keys, figures, manual
-- amounts), the computed split and a payment's lines are JSON; the money
-- itself moves in the ledger. Portable SQL.

CREATE TABLE onward_decisions (
    id            TEXT PRIMARY KEY,
    agreement     TEXT NOT NULL,
    rss           TEXT NOT NULL REFERENCES organisations (id),
    status        TEXT NOT NULL,
    plan          TEXT NOT NULL,
    split         TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TEXT NOT NULL DEFAULT '',
    decision_date TEXT NOT NULL DEFAULT '',
    reference     TEXT NOT NULL DEFAULT '',
    replaced_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX onward_decisions_rss ON onward_decisions (agreement, rss);

CREATE TABLE onward_payments (
    id          TEXT PRIMARY KEY,
    agreement   TEXT NOT NULL,
    rss         TEXT NOT NULL REFERENCES organisations (id),
    decision_id TEXT NOT NULL REFERENCES onward_decisions (id),
    paid_on     TEXT NOT NULL,
    lines       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX onward_payments_rss ON onward_payments (agreement, rss);
