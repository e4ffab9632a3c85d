-- A municipality's report to its county's RSS of its costs per component
-- of the money the RSS passed on (issue 13, item 4), with its cost lines.
-- One per municipality and agreement. What it received and what is left
-- are derived from the onward payments, never stored. Portable SQL.

CREATE TABLE municipal_reports (
    id             TEXT PRIMARY KEY,
    agreement      TEXT NOT NULL,
    kommun         TEXT NOT NULL REFERENCES organisations (id),
    rss            TEXT NOT NULL REFERENCES organisations (id),
    status         TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    signed_by      TEXT NOT NULL DEFAULT '',
    signed_by_user TEXT NOT NULL DEFAULT '',
    signed_at      TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    decided_at     TEXT NOT NULL DEFAULT '',
    return_reason  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX municipal_reports_one ON municipal_reports (agreement, kommun);
CREATE INDEX municipal_reports_rss ON municipal_reports (agreement, rss);

CREATE TABLE municipal_report_costs (
    report_id TEXT NOT NULL REFERENCES municipal_reports (id),
    line      INTEGER NOT NULL,
    item      TEXT NOT NULL,
    component TEXT NOT NULL,
    amount_kr BIGINT NOT NULL CHECK (amount_kr >= 0),
    PRIMARY KEY (report_id, line)
);
