-- Published rule set versions, the decision log, the governance log and their signed checkpoints
-- are append-only, as in SQLite (migrations 0001, 0007, 0008): refuse every UPDATE and DELETE, and
-- TRUNCATE (which PostgreSQL has and row triggers do not see), even by direct SQL.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER rule_set_versions_no_change BEFORE UPDATE OR DELETE ON rule_set_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change('published rule set versions are immutable');
--> statement-breakpoint
CREATE TRIGGER rule_set_versions_no_truncate BEFORE TRUNCATE ON rule_set_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('published rule set versions are immutable');
--> statement-breakpoint
CREATE TRIGGER decisions_no_change BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION refuse_change('the decision log is append-only');
--> statement-breakpoint
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the decision log is append-only');
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_no_change BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION refuse_change('log checkpoints are append-only');
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('log checkpoints are append-only');
--> statement-breakpoint
CREATE TRIGGER governance_log_no_change BEFORE UPDATE OR DELETE ON governance_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change('the governance log is append-only');
--> statement-breakpoint
CREATE TRIGGER governance_log_no_truncate BEFORE TRUNCATE ON governance_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the governance log is append-only');
--> statement-breakpoint
CREATE TRIGGER governance_checkpoints_no_change BEFORE UPDATE OR DELETE ON governance_checkpoints
  FOR EACH ROW EXECUTE FUNCTION refuse_change('governance checkpoints are append-only');
--> statement-breakpoint
CREATE TRIGGER governance_checkpoints_no_truncate BEFORE TRUNCATE ON governance_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('governance checkpoints are append-only');
--> statement-breakpoint
-- The service's role: it may read and add to the append-only tables but holds no UPDATE, DELETE or
-- TRUNCATE on them, so even a bug (or a superuser dropping the triggers) in the service's own
-- connection cannot change them. A role is made only when the migrating user may create roles
-- (otherwise see server/db/pg/README.md); it cannot log in: grant it to the service's login role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
    RAISE NOTICE 'jeugdzorg_service not created: % may not create roles (see server/db/pg/README.md)', current_user;
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jeugdzorg_service') THEN
    CREATE ROLE jeugdzorg_service NOLOGIN;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO jeugdzorg_service', current_database());
  GRANT USAGE ON SCHEMA public TO jeugdzorg_service;
  GRANT SELECT, INSERT ON rule_set_versions, decisions, log_checkpoints, governance_log, governance_checkpoints
    TO jeugdzorg_service;
  GRANT SELECT, INSERT, UPDATE, DELETE ON drafts, test_cases, tokens, users, sessions TO jeugdzorg_service;
END;
$$;
