-- Indexes for a single recipient's status and lists.
CREATE INDEX ledger_tx_recipient ON ledger_tx (agreement, recipient);
CREATE INDEX requisitions_recipient ON requisitions (recipient, created_at);
CREATE INDEX audit_log_object ON audit_log (object);
