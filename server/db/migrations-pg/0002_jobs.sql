CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"owner_name" text NOT NULL,
	"owner_role" text NOT NULL,
	"owner_scope" text,
	"params" text NOT NULL,
	"status" text NOT NULL,
	"state" text NOT NULL,
	"result" text,
	"error" text,
	"claimed_by" text,
	"lease_until" bigint NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"started_at" text NOT NULL,
	"finished_at" text
);
--> statement-breakpoint
CREATE INDEX "jobs_kind_status" ON "jobs" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "jobs_lease" ON "jobs" USING btree ("status","lease_until");