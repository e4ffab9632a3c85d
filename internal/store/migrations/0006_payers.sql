-- The paying agencies' own accounts (the debtor of their payment files),
-- and payment batches made by one payer and attested by another of the
-- same agency. Batches made before this migration were Kammarkollegiet's.
ALTER TABLE organisations ADD COLUMN account_type TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN account_number TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN account_bic TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN payer TEXT NOT NULL DEFAULT 'kammarkollegiet';
ALTER TABLE payment_batches ADD COLUMN debtor_account_type TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN debtor_account_number TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN debtor_bic TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN created_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN attested_by TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN attested_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_batches ADD COLUMN attested_at TEXT NOT NULL DEFAULT '';
