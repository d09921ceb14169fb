CREATE TABLE `governance_checkpoints` (
	`seq` integer PRIMARY KEY NOT NULL,
	`head_hash` text NOT NULL,
	`at` text NOT NULL,
	`key_id` text NOT NULL,
	`signature` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `governance_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`rule_set_id` text NOT NULL,
	`draft_id` text NOT NULL,
	`draft_hash` text NOT NULL,
	`by` text NOT NULL,
	`at` text NOT NULL,
	`note` text NOT NULL,
	`valid_from` text,
	`version` integer,
	`impact_json` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `governance_log_rule_set` ON `governance_log` (`rule_set_id`,`seq`);--> statement-breakpoint
ALTER TABLE `drafts` ADD `status` text DEFAULT 'editing' NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `submitted_by` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `submitted_at` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `submitted_valid_from` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `change_note` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `rejected_by` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `rejected_at` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `rejection_comment` text;--> statement-breakpoint
ALTER TABLE `rule_set_versions` ADD `submitted_by` text;--> statement-breakpoint
ALTER TABLE `rule_set_versions` ADD `approved_by` text;--> statement-breakpoint
ALTER TABLE `rule_set_versions` ADD `change_note` text;--> statement-breakpoint
-- The governance chain and its signed checkpoints are append-only, like the decision log.
CREATE TRIGGER governance_log_no_update BEFORE UPDATE ON governance_log
BEGIN
  SELECT RAISE(ABORT, 'the governance log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER governance_log_no_delete BEFORE DELETE ON governance_log
BEGIN
  SELECT RAISE(ABORT, 'the governance log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER governance_checkpoints_no_update BEFORE UPDATE ON governance_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'governance checkpoints are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER governance_checkpoints_no_delete BEFORE DELETE ON governance_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'governance checkpoints are append-only');
END;
