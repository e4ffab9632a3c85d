-- Requests for underlag and the attachments of documents (issue 14, item 6).
-- A pair of files only for the file content's type: BLOB in SQLite, BYTEA in PostgreSQL.

CREATE TABLE document_requests (
    id            TEXT PRIMARY KEY,
    agreement     TEXT NOT NULL,
    recipient     TEXT NOT NULL REFERENCES organisations (id),
    requester_org TEXT NOT NULL REFERENCES organisations (id),
    requested_by  TEXT NOT NULL,
    text          TEXT NOT NULL,
    due_date      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    answer        TEXT NOT NULL DEFAULT '',
    answered_by   TEXT NOT NULL DEFAULT '',
    answered_at   TEXT NOT NULL DEFAULT '',
    closed_by     TEXT NOT NULL DEFAULT '',
    closed_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX document_requests_recipient ON document_requests (recipient, agreement);

-- Files attached to a document (a document request, a financial report;
-- later an activity report), keyed by the owner's kind and id. id is
-- "<owner_kind>:<owner_id>:<n>", the key the books seal the row by.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    owner_kind   TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    n            INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    content      BYTEA NOT NULL,
    UNIQUE (owner_kind, owner_id, n)
);
