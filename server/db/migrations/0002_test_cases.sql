CREATE TABLE `test_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_set_id` text NOT NULL,
	`name` text NOT NULL,
	`case_json` text NOT NULL,
	`expected_outcome` text NOT NULL,
	`expected_codes` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `test_cases_rule_set` ON `test_cases` (`rule_set_id`);