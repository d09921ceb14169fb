/**
 * The tables. Rule set documents and decisions are stored as canonical JSON text; the columns
 * beside them are what queries filter on. Published versions and the decision log are
 * append-only: triggers in the migrations refuse UPDATE and DELETE, so not even direct SQL can
 * change them.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Outcome, RuleSetDocument, RuleSetDraft, RuleSetRef } from '../../engine/index.js';

export const ruleSetVersions = sqliteTable(
  'rule_set_versions',
  {
    ruleSetId: text('rule_set_id').notNull(),
    version: integer('version').notNull(),
    kind: text('kind', { enum: ['region', 'municipality'] }).notNull(),
    region: text('region').notNull(),
    validFrom: text('valid_from').notNull(),
    document: text('document', { mode: 'json' }).$type<RuleSetDocument>().notNull(),
    contentHash: text('content_hash').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: text('published_at').notNull(),
    /** Four eyes: who submitted the draft and who approved it (null for versions published directly). */
    submittedBy: text('submitted_by'),
    approvedBy: text('approved_by'),
    /** The change note the draft was submitted with (the document's `changes` hold it too). */
    changeNote: text('change_note'),
  },
  (t) => [primaryKey({ columns: [t.ruleSetId, t.version] }), index('rule_set_versions_region').on(t.region)],
);

export const drafts = sqliteTable('drafts', {
  id: text('id').primaryKey(),
  ruleSetId: text('rule_set_id').notNull(),
  baseVersion: integer('base_version'),
  document: text('document', { mode: 'json' }).$type<RuleSetDraft>().notNull(),
  etag: text('etag').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
  /** `submitted`: frozen, waiting for a second person to approve (or reject) it. */
  status: text('status', { enum: ['editing', 'submitted'] })
    .notNull()
    .default('editing'),
  submittedBy: text('submitted_by'),
  submittedAt: text('submitted_at'),
  /** The valid-from date and change note it was submitted with. */
  submittedValidFrom: text('submitted_valid_from'),
  changeNote: text('change_note'),
  /** The last rejection: by whom, when and why (kept until it is submitted again). */
  rejectedBy: text('rejected_by'),
  rejectedAt: text('rejected_at'),
  rejectionComment: text('rejection_comment'),
});

/**
 * Release governance: every submit, approval and rejection of a draft, hash-chained like the
 * decision log (a chain of its own) and append-only. An approval keeps the impact summary the
 * approver saw, so it outlives the impact job.
 */
export const governanceLog = sqliteTable(
  'governance_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['submit', 'approve', 'reject'] }).notNull(),
    ruleSetId: text('rule_set_id').notNull(),
    draftId: text('draft_id').notNull(),
    /** The content hash of the draft's document as submitted, approved or rejected. */
    draftHash: text('draft_hash').notNull(),
    by: text('by').notNull(),
    at: text('at').notNull(),
    /** The change note (submit, approve) or the comment (reject). */
    note: text('note').notNull(),
    validFrom: text('valid_from'),
    /** The version an approval published. */
    version: integer('version'),
    /** The impact summary shown at approval, as JSON text (the hash covers this text). */
    impactJson: text('impact_json'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('governance_log_rule_set').on(t.ruleSetId, t.seq)],
);

/** Signed checkpoints of the governance chain (see server/integrity.ts), like `log_checkpoints`. */
export const governanceCheckpoints = sqliteTable('governance_checkpoints', {
  seq: integer('seq').primaryKey(),
  headHash: text('head_hash').notNull(),
  at: text('at').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

export const decisions = sqliteTable(
  'decisions',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    municipality: text('municipality').notNull(),
    region: text('region').notNull(),
    caseType: text('case_type').notNull(),
    referenceDate: text('reference_date').notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    /** Space-separated with a leading and trailing space, so ` CODE ` matches one code exactly. */
    reasonCodes: text('reason_codes').notNull(),
    totalCents: integer('total_cents'),
    /** The case and decision as JSON text, exactly the bytes the entry's hash covers. */
    caseJson: text('case_json').notNull(),
    decisionJson: text('decision_json').notNull(),
    /**
     * The decision's tariff as JSON text (`null` when it has none): a copy beside the decision so
     * that impact analysis compares tariffs without parsing the whole decision and its trace.
     * Empty (SQL NULL) in entries logged before the column existed; the decision text, which the
     * hash covers, stays the record.
     */
    tariffJson: text('tariff_json'),
    ruleSets: text('rule_sets', { mode: 'json' }).$type<RuleSetRef[]>().notNull(),
    decidedAt: text('decided_at').notNull(),
    decidedBy: text('decided_by').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('decisions_id').on(t.id),
    // (filter, seq): impact analysis and replay stream one municipality's or region's log in seq order
    index('decisions_municipality_seq').on(t.municipality, t.seq),
    index('decisions_region_seq').on(t.region, t.seq),
    // no index on reference_date (dropped by migration 0010): reference dates spread over years,
    // so each entry dirtied a leaf page of its own and COMMIT wrote each such page (16 KiB) to
    // the WAL — ~30% of an append's CPU (17.4 vs 12.3 µs an entry in batches of 500). Filtering
    // by reference date scans instead, as the outcome and reason-code filters already do (~0.1 s
    // per 200,000 entries); with a municipality or region it reads only theirs.
  ],
);

/**
 * Signed checkpoints of the decision log: its head (sequence number and hash) at a moment,
 * signed with a key kept outside the database (see server/integrity.ts). Append-only, and also
 * written to a file outside the data folder.
 */
export const logCheckpoints = sqliteTable('log_checkpoints', {
  seq: integer('seq').primaryKey(),
  headHash: text('head_hash').notNull(),
  at: text('at').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

/** Test cases saved with a rule set: a case and the outcome and reason codes it should give. */
export const testCases = sqliteTable(
  'test_cases',
  {
    id: text('id').primaryKey(),
    ruleSetId: text('rule_set_id').notNull(),
    name: text('name').notNull(),
    caseJson: text('case_json', { mode: 'json' }).$type<unknown>().notNull(),
    expectedOutcome: text('expected_outcome').notNull(),
    expectedCodes: text('expected_codes', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('test_cases_rule_set').on(t.ruleSetId)],
);

export const ROLES = ['admin', 'policy-advisor', 'municipality-officer', 'auditor', 'case-system'] as const;
export type Role = (typeof ROLES)[number];

/** API tokens of users and service accounts; only a hash of the token is kept. */
export const tokens = sqliteTable(
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

/** People who log in to the editor; passwords are kept as scrypt hashes. */
export const users = sqliteTable('users', {
  username: text('username').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  scope: text('scope'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  disabledAt: text('disabled_at'),
});

/** Editor sessions (cookie); the cookie value is kept only as a hash, with its CSRF token. */
export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  username: text('username').notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/**
 * Impact analyses and verifications as jobs that any node can run and any node can read. Not
 * append-only: a job's progress, lease and result change while it runs, and finished jobs are
 * forgotten after a while. A running job is held by the node in `claimed_by` until
 * `lease_until` (ms since the epoch); a node that stops renewing it loses it to another.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['impact', 'verify'] }).notNull(),
    ownerName: text('owner_name').notNull(),
    ownerRole: text('owner_role').notNull(),
    ownerScope: text('owner_scope'),
    /** What to run, as JSON: enough for another node to start it again from the beginning. */
    params: text('params').notNull(),
    status: text('status', { enum: ['running', 'done', 'cancelled', 'failed'] }).notNull(),
    /** Progress as JSON, written by the node running it at each heartbeat. */
    state: text('state').notNull(),
    /** What a finished job found, as JSON. */
    result: text('result'),
    error: text('error'),
    claimedBy: text('claimed_by'),
    leaseUntil: integer('lease_until').notNull(),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    /** How often a node started it (more than once: a node went away while running it). */
    attempts: integer('attempts').notNull().default(1),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [index('jobs_kind_status').on(t.kind, t.status), index('jobs_lease').on(t.status, t.leaseUntil)],
);
