-- Surveys (issue 15): a survey with its template's JSON as it was when the
-- survey was made and its invited organisations (a JSON list); one
-- response per survey and recipient (id = survey/recipient), its answers
-- as JSON by question id; and the reminders sent to those who had not
-- answered, each with the time a mail went out ('' until the product
-- sends mail). Portable SQL.

CREATE TABLE surveys (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    template    TEXT NOT NULL,
    body        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    opens       TEXT NOT NULL,
    closes      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE survey_responses (
    id          TEXT PRIMARY KEY,
    survey      TEXT NOT NULL REFERENCES surveys (id),
    recipient   TEXT NOT NULL REFERENCES organisations (id),
    answers     TEXT NOT NULL,
    submitted   INTEGER NOT NULL DEFAULT 0,
    source      TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey, recipient);

CREATE TABLE survey_reminders (
    id          TEXT PRIMARY KEY,
    survey      TEXT NOT NULL REFERENCES surveys (id),
    recipient   TEXT NOT NULL REFERENCES organisations (id),
    sent_by     TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    mailed_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX survey_reminders_survey ON survey_reminders (survey, sent_at);
