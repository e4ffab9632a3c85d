-- The officer's own forecasts for a plan's cost objects, as JSON
-- (cost object → kronor at the period's end); '' for none, so the rows
-- written before keep their seals.
ALTER TABLE plans ADD COLUMN forecasts TEXT NOT NULL DEFAULT '';
