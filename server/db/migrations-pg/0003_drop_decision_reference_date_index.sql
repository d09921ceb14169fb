-- Every append paid for this index (a scattered leaf page per entry, written whole to the WAL at
-- COMMIT); filtering the log by reference date scans instead (see schema.ts). The entries stay as
-- they are: only the index goes.
DROP INDEX "decisions_reference_date";