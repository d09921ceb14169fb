CREATE TABLE `decisions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`municipality` text NOT NULL,
	`region` text NOT NULL,
	`case_type` text NOT NULL,
	`reference_date` text NOT NULL,
	`outcome` text NOT NULL,
	`reason_codes` text NOT NULL,
	`total_cents` integer,
	`case_json` text NOT NULL,
	`decision_json` text NOT NULL,
	`rule_sets` text NOT NULL,
	`decided_at` text NOT NULL,
	`decided_by` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_id` ON `decisions` (`id`);--> statement-breakpoint
CREATE INDEX `decisions_municipality` ON `decisions` (`municipality`,`decided_at`);--> statement-breakpoint
CREATE INDEX `decisions_reference_date` ON `decisions` (`reference_date`);--> statement-breakpoint
CREATE TABLE `drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_set_id` text NOT NULL,
	`base_version` integer,
	`document` text NOT NULL,
	`etag` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rule_set_versions` (
	`rule_set_id` text NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`region` text NOT NULL,
	`valid_from` text NOT NULL,
	`document` text NOT NULL,
	`content_hash` text NOT NULL,
	`published_by` text NOT NULL,
	`published_at` text NOT NULL,
	PRIMARY KEY(`rule_set_id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `rule_set_versions_region` ON `rule_set_versions` (`region`);