-- The audit entry seals the rows its transaction wrote: one line per row,
-- "kind:id sha256-of-the-row's-content" (or "-" when the row was
-- removed), hashed into the entry along with its other fields. `audit
-- verify` recomputes every sealed row's hash and compares it with the
-- newest entry that sealed it. Entries written before this column have
-- none; the first start after it seals every row once ("books.seal").
ALTER TABLE audit_log ADD COLUMN sealed TEXT NOT NULL DEFAULT '';

-- /healthz writes here to find out whether the database takes writes (a
-- full disk, a read-only file or server). Not part of the books.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
