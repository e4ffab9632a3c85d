-- A recipient's ledger accounts carry the agreement:
-- mottagare:<recipient>:<what> becomes mottagare:<agreement>:<recipient>:<what>,
-- the agreement being that of the posting's transaction, so that balances,
-- limits and statuses of two agreements never add up. Accounts already in
-- the new form (three colons) are left alone. 'mottagare:' is ten
-- characters. Portable SQL.
UPDATE postings
SET account = 'mottagare:' || (SELECT x.agreement FROM ledger_tx x WHERE x.id = postings.tx_id) || ':' || substr(account, 11)
WHERE account LIKE 'mottagare:%' AND account NOT LIKE 'mottagare:%:%:%';
