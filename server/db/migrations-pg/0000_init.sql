CREATE TABLE "decisions" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"municipality" text NOT NULL,
	"region" text NOT NULL,
	"case_type" text NOT NULL,
	"reference_date" text NOT NULL,
	"outcome" text NOT NULL,
	"reason_codes" text NOT NULL,
	"total_cents" bigint,
	"case_json" text NOT NULL,
	"decision_json" text NOT NULL,
	"tariff_json" text,
	"rule_sets" text NOT NULL,
	"decided_at" text NOT NULL,
	"decided_by" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drafts" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_set_id" text NOT NULL,
	"base_version" integer,
	"document" text NOT NULL,
	"etag" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" text NOT NULL,
	"status" text DEFAULT 'editing' NOT NULL,
	"submitted_by" text,
	"submitted_at" text,
	"submitted_valid_from" text,
	"change_note" text,
	"rejected_by" text,
	"rejected_at" text,
	"rejection_comment" text
);
--> statement-breakpoint
CREATE TABLE "governance_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"head_hash" text NOT NULL,
	"at" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "governance_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"rule_set_id" text NOT NULL,
	"draft_id" text NOT NULL,
	"draft_hash" text NOT NULL,
	"by" text NOT NULL,
	"at" text NOT NULL,
	"note" text NOT NULL,
	"valid_from" text,
	"version" integer,
	"impact_json" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"head_hash" text NOT NULL,
	"at" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_set_versions" (
	"rule_set_id" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"region" text NOT NULL,
	"valid_from" text NOT NULL,
	"document" text NOT NULL,
	"content_hash" text NOT NULL,
	"published_by" text NOT NULL,
	"published_at" text NOT NULL,
	"submitted_by" text,
	"approved_by" text,
	"change_note" text,
	CONSTRAINT "rule_set_versions_rule_set_id_version_pk" PRIMARY KEY("rule_set_id","version")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_cases" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_set_id" text NOT NULL,
	"name" text NOT NULL,
	"case_json" text NOT NULL,
	"expected_outcome" text NOT NULL,
	"expected_codes" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"scope" text,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"username" text PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"scope" text,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"disabled_at" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_id" ON "decisions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "decisions_municipality_seq" ON "decisions" USING btree ("municipality","seq");--> statement-breakpoint
CREATE INDEX "decisions_region_seq" ON "decisions" USING btree ("region","seq");--> statement-breakpoint
CREATE INDEX "decisions_reference_date" ON "decisions" USING btree ("reference_date");--> statement-breakpoint
CREATE INDEX "governance_log_rule_set" ON "governance_log" USING btree ("rule_set_id","seq");--> statement-breakpoint
CREATE INDEX "rule_set_versions_region" ON "rule_set_versions" USING btree ("region");--> statement-breakpoint
CREATE INDEX "test_cases_rule_set" ON "test_cases" USING btree ("rule_set_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_hash" ON "tokens" USING btree ("token_hash");