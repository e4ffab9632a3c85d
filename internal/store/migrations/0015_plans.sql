-- The recipients' own plans (measures per component on cost objects, one
-- row per version, the measures as JSON) and what their books say they
-- spent: each import of a SIE or CSV file with its cost lines on the
-- plan's cost objects (JSON, amounts in öre). Portable SQL.

CREATE TABLE plans (
    id                 TEXT PRIMARY KEY,
    agreement          TEXT NOT NULL,
    recipient          TEXT NOT NULL REFERENCES organisations (id),
    version            INTEGER NOT NULL,
    status             TEXT NOT NULL,
    measures           TEXT NOT NULL,
    sie_dimension      INTEGER NOT NULL DEFAULT 1,
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    decided_by         TEXT NOT NULL DEFAULT '',
    decided_at         TEXT NOT NULL DEFAULT '',
    decision_body      TEXT NOT NULL DEFAULT '',
    decision_date      TEXT NOT NULL DEFAULT '',
    decision_paragraph TEXT NOT NULL DEFAULT '',
    replaced_by        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX plans_version ON plans (agreement, recipient, version);

CREATE TABLE outcome_imports (
    id          TEXT PRIMARY KEY,
    agreement   TEXT NOT NULL,
    recipient   TEXT NOT NULL REFERENCES organisations (id),
    seq         INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL,
    digest      TEXT NOT NULL,
    generated   TEXT NOT NULL DEFAULT '',
    entries     TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE UNIQUE INDEX outcome_imports_digest ON outcome_imports (agreement, recipient, digest);
CREATE UNIQUE INDEX outcome_imports_seq ON outcome_imports (agreement, recipient, seq);
