-- Activity reports on question templates (issue 14, items 2-4): the
-- versions of templates published after the product shipped (the shipped
-- ones are embedded), never changed once stored; and the recipients'
-- reports with their answers as JSON by question id. Portable SQL.

CREATE TABLE question_templates (
    id           TEXT PRIMARY KEY,
    agreement    TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);

CREATE TABLE activity_reports (
    id             TEXT PRIMARY KEY,
    template       TEXT NOT NULL,
    agreement      TEXT NOT NULL,
    recipient      TEXT NOT NULL REFERENCES organisations (id),
    receiver       TEXT NOT NULL,
    answers        TEXT NOT NULL,
    status         TEXT NOT NULL,
    late           INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    signed_by      TEXT NOT NULL DEFAULT '',
    signed_by_user TEXT NOT NULL DEFAULT '',
    signed_at      TEXT NOT NULL DEFAULT '',
    returned_by    TEXT NOT NULL DEFAULT '',
    returned_at    TEXT NOT NULL DEFAULT '',
    return_reason  TEXT NOT NULL DEFAULT '',
    accepted_by    TEXT NOT NULL DEFAULT '',
    accepted_at    TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX activity_reports_recipient ON activity_reports (template, recipient);
CREATE INDEX activity_reports_status ON activity_reports (template, status);
