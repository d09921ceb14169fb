/**
 * The tables of `server/db/schema.ts` in PostgreSQL: the same table and column names, so that
 * the SQLite → PostgreSQL copy is column for column. Everything a hash covers stays text
 * (case and decision JSON, rule set references, tariff and impact JSON), never `json`/`jsonb`,
 * which would re-serialise it: the log copied from SQLite must verify byte for byte.
 *
 * The chains' sequence numbers are plain int8 (read back as JS numbers), not identities: an
 * append gives head + 1 under the chain's advisory lock. A sequence would leave a gap for every
 * rolled-back append (sequences ignore rollback), and verifying reads a gap as deleted entries.
 */
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Outcome, RuleSetDocument, RuleSetDraft, RuleSetRef } from '../../../engine/index.js';
import { ROLES } from '../schema.js';

/**
 * A JSON value kept as the text `JSON.stringify` gives, like SQLite's `text(…, { mode: 'json' })`:
 * the same bytes in both databases.
 */
function jsonText<T>(name: string) {
  return customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);
}

/** A sequence number: int8 in the database, a JS number in the code (2^53 entries is enough). */
function seqColumn(name: string) {
  return bigint(name, { mode: 'number' });
}

export const ruleSetVersions = pgTable(
  'rule_set_versions',
  {
    ruleSetId: text('rule_set_id').notNull(),
    version: integer('version').notNull(),
    kind: text('kind', { enum: ['region', 'municipality'] }).notNull(),
    region: text('region').notNull(),
    validFrom: text('valid_from').notNull(),
    document: jsonText<RuleSetDocument>('document').notNull(),
    contentHash: text('content_hash').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: text('published_at').notNull(),
    submittedBy: text('submitted_by'),
    approvedBy: text('approved_by'),
    changeNote: text('change_note'),
  },
  (t) => [primaryKey({ columns: [t.ruleSetId, t.version] }), index('rule_set_versions_region').on(t.region)],
);

export const drafts = pgTable('drafts', {
  id: text('id').primaryKey(),
  ruleSetId: text('rule_set_id').notNull(),
  baseVersion: integer('base_version'),
  document: jsonText<RuleSetDraft>('document').notNull(),
  etag: text('etag').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
  status: text('status', { enum: ['editing', 'submitted'] })
    .notNull()
    .default('editing'),
  submittedBy: text('submitted_by'),
  submittedAt: text('submitted_at'),
  submittedValidFrom: text('submitted_valid_from'),
  changeNote: text('change_note'),
  rejectedBy: text('rejected_by'),
  rejectedAt: text('rejected_at'),
  rejectionComment: text('rejection_comment'),
});

export const governanceLog = pgTable(
  'governance_log',
  {
    seq: seqColumn('seq').primaryKey(),
    kind: text('kind', { enum: ['submit', 'approve', 'reject'] }).notNull(),
    ruleSetId: text('rule_set_id').notNull(),
    draftId: text('draft_id').notNull(),
    draftHash: text('draft_hash').notNull(),
    by: text('by').notNull(),
    at: text('at').notNull(),
    note: text('note').notNull(),
    validFrom: text('valid_from'),
    version: integer('version'),
    impactJson: text('impact_json'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('governance_log_rule_set').on(t.ruleSetId, t.seq)],
);

export const governanceCheckpoints = pgTable('governance_checkpoints', {
  seq: seqColumn('seq').primaryKey(),
  headHash: text('head_hash').notNull(),
  at: text('at').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

export const decisions = pgTable(
  'decisions',
  {
    seq: seqColumn('seq').primaryKey(),
    id: text('id').notNull(),
    municipality: text('municipality').notNull(),
    region: text('region').notNull(),
    caseType: text('case_type').notNull(),
    referenceDate: text('reference_date').notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    reasonCodes: text('reason_codes').notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }),
    caseJson: text('case_json').notNull(),
    decisionJson: text('decision_json').notNull(),
    tariffJson: text('tariff_json'),
    ruleSets: jsonText<RuleSetRef[]>('rule_sets').notNull(),
    decidedAt: text('decided_at').notNull(),
    decidedBy: text('decided_by').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('decisions_id').on(t.id),
    index('decisions_municipality_seq').on(t.municipality, t.seq),
    index('decisions_region_seq').on(t.region, t.seq),
    // no reference-date index, as in SQLite (see ../schema.ts): its cost per append, not its use
  ],
);

export const logCheckpoints = pgTable('log_checkpoints', {
  seq: seqColumn('seq').primaryKey(),
  headHash: text('head_hash').notNull(),
  at: text('at').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

export const testCases = pgTable(
  'test_cases',
  {
    id: text('id').primaryKey(),
    ruleSetId: text('rule_set_id').notNull(),
    name: text('name').notNull(),
    caseJson: jsonText<unknown>('case_json').notNull(),
    expectedOutcome: text('expected_outcome').notNull(),
    expectedCodes: jsonText<string[]>('expected_codes').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('test_cases_rule_set').on(t.ruleSetId)],
);

export const tokens = pgTable(
  'tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    scope: text('scope'),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('tokens_hash').on(t.tokenHash)],
);

export const users = pgTable('users', {
  username: text('username').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  scope: text('scope'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  disabledAt: text('disabled_at'),
});

export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  username: text('username').notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/** Impact analyses and verifications as jobs (see `server/db/schema.ts`). */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<'impact' | 'verify'>().notNull(),
    ownerName: text('owner_name').notNull(),
    ownerRole: text('owner_role').notNull(),
    ownerScope: text('owner_scope'),
    params: text('params').notNull(),
    status: text('status').$type<'running' | 'done' | 'cancelled' | 'failed'>().notNull(),
    state: text('state').notNull(),
    result: text('result'),
    error: text('error'),
    claimedBy: text('claimed_by'),
    leaseUntil: bigint('lease_until', { mode: 'number' }).notNull(),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    attempts: integer('attempts').notNull().default(1),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [index('jobs_kind_status').on(t.kind, t.status), index('jobs_lease').on(t.status, t.leaseUntil)],
);
