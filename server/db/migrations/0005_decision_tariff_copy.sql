-- A copy of each decision's tariff beside it, for impact analysis (see schema.ts).
ALTER TABLE `decisions` ADD `tariff_json` text;