DROP INDEX `decisions_municipality`;--> statement-breakpoint
CREATE INDEX `decisions_municipality_seq` ON `decisions` (`municipality`,`seq`);--> statement-breakpoint
CREATE INDEX `decisions_region_seq` ON `decisions` (`region`,`seq`);