-- The ledger is append-only in the database itself: a posting or a
-- transaction, once written, is never updated, deleted or truncated. A
-- correction is a new transaction. (The SQLite twin of this file does the
-- same with RAISE(ABORT).)
CREATE FUNCTION narvard_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bokföringen får bara tillföras: % på % är inte tillåtet', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION narvard_ledger_append_only();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION narvard_ledger_append_only();
CREATE TRIGGER ledger_tx_append_only BEFORE UPDATE OR DELETE ON ledger_tx
    FOR EACH ROW EXECUTE FUNCTION narvard_ledger_append_only();
CREATE TRIGGER ledger_tx_no_truncate BEFORE TRUNCATE ON ledger_tx
    FOR EACH STATEMENT EXECUTE FUNCTION narvard_ledger_append_only();
