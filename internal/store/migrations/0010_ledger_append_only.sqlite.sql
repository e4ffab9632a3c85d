-- The ledger is append-only in the database itself: a posting or a
-- transaction, once written, is never updated or deleted. A correction
-- is a new transaction. (The PostgreSQL twin of this file does the same
-- with a PL/pgSQL function.)
CREATE TRIGGER postings_append_only_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'bokföringen får bara tillföras: en kontering ändras aldrig'); END;
CREATE TRIGGER postings_append_only_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'bokföringen får bara tillföras: en kontering tas aldrig bort'); END;
CREATE TRIGGER ledger_tx_append_only_update BEFORE UPDATE ON ledger_tx
BEGIN SELECT RAISE(ABORT, 'bokföringen får bara tillföras: en transaktion ändras aldrig'); END;
CREATE TRIGGER ledger_tx_append_only_delete BEFORE DELETE ON ledger_tx
BEGIN SELECT RAISE(ABORT, 'bokföringen får bara tillföras: en transaktion tas aldrig bort'); END;
