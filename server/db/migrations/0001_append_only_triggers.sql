-- Published rule set versions and the decision log are append-only: refuse every UPDATE and
-- DELETE, even by direct SQL, so that an auditor can trust what was recorded.
CREATE TRIGGER rule_set_versions_no_update BEFORE UPDATE ON rule_set_versions
BEGIN
  SELECT RAISE(ABORT, 'published rule set versions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER rule_set_versions_no_delete BEFORE DELETE ON rule_set_versions
BEGIN
  SELECT RAISE(ABORT, 'published rule set versions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'the decision log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'the decision log is append-only');
END;
