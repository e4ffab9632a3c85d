-- Saved follow-up runs: what was asked (the inputs' names, sizes, periods
-- and grouping, as JSON) and the result (JSON, small cells already marked
-- suppressed), so that a run survives a restart. The extracts themselves
-- are removed when the run ends. A run is derived statistics that its
-- owner may delete: not the books, so not sealed; in the backup.
-- Portable SQL.

CREATE TABLE followup_runs (
    id         TEXT PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    org_id     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    elapsed_ms BIGINT NOT NULL,
    inputs     TEXT NOT NULL,
    result     TEXT NOT NULL
);
CREATE INDEX followup_runs_created ON followup_runs (created_at);
