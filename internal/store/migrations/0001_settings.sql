-- Settings: small named values the product keeps between runs. Portable
-- SQL: it runs on SQLite and on PostgreSQL alike.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
