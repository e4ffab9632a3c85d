-- Mail: the outbox (one row per mail to one address, unique by its key so
-- a mail is written once however often its event or reminder runs), each
-- user's choice of a daily digest, and the secret calendar feed tokens
-- (stored hashed, one per user). None of them is the books: they are not
-- sealed, and are in the backup. Portable SQL.

CREATE TABLE outbox (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    object     TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (status, next_at);

CREATE TABLE mail_preferences (
    email  TEXT PRIMARY KEY,
    digest INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE calendar_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL UNIQUE REFERENCES users (id),
    created_at TEXT NOT NULL
);
