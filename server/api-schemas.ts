/**
 * Request and response shapes of the HTTP API, as zod schemas: the routes declare them with
 * `createRoute`, validate requests with them, and the OpenAPI document and the typed client
 * (`hc<AppType>`) follow from them. Domain shapes (cases, decisions, rule sets) are the engine's
 * schemas, named here so the document lists each once under `components.schemas`.
 *
 * `z` comes from @hono/zod-openapi: importing it first adds `.openapi()` to zod's schemas.
 */
import { z } from '@hono/zod-openapi';
import {
  Case,
  Condition,
  ConditionTrace,
  Decision,
  DecisionInLog,
  IsoDate,
  JsonValue,
  Jw315Answer,
  Jw315Request,
  MAX_ISSUES,
  MunicipalityId,
  MunicipalityRef,
  OUTCOMES,
  Outcome,
  ParameterName,
  RegionId,
  RuleSetDocument,
  RuleSetDraft,
  RuleSetRef,
  safeName,
  safeText,
  SemanticChange,
  Finding,
  Tariff,
  TestCaseDefinition,
  TraceMark,
} from '../engine/index.js';
import { ROLES } from './db/schema.js';

// ---- domain shapes, named for the document -----------------------------------------------------

/**
 * An engine schema under a name in the document. On a copy (`meta` clones): zod gives a schema
 * the methods its prototype had when it was built, and the engine's may predate `.openapi()`.
 */
const named = <T extends z.ZodType>(schema: T, name: string): T => schema.meta({}).openapi(name);

// Recursive schemas need a name to be written as a $ref to themselves, and on the engine's own
// instance: that is the one the schemas around them hold. Only the generator's metadata registry
// changes; the schemas stay as they are.
for (const [schema, name] of [
  [Condition, 'Condition'],
  [ConditionTrace, 'ConditionTrace'],
  [JsonValue, 'JsonValue'],
] as const)
  z.ZodType.prototype.openapi.call(schema, name);

export const CaseJson = named(Case, 'Case');
export const DecisionJson = named(Decision, 'Decision');
export const RuleSetDocumentJson = named(RuleSetDocument, 'RuleSetDocument');
export const RuleSetDraftJson = named(RuleSetDraft, 'RuleSetDraft');

// ---- path parameters ---------------------------------------------------------------------------

export const IdParam = z.object({ id: z.string().min(1) });
/** A version number in a path: digits only, so `versions/abc` is a 404 like any unknown version. */
const VersionNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, { message: 'Een versienummer is een positief geheel getal.' })
  .transform(Number);
export const VersionParams = z.object({ id: z.string().min(1), n: VersionNumber });
export const DraftParams = z.object({ id: z.string().min(1), draftId: z.string().min(1) });
export const TestCaseParams = z.object({ id: z.string().min(1), testId: z.string().min(1) });
export const UsernameParam = z.object({ username: z.string().min(1) });
export const SchemaNameParam = z.object({ name: z.string().min(1) });

// ---- queries -----------------------------------------------------------------------------------

const Page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

export const DecisionQuery = z
  .object({
    municipality: MunicipalityRef.optional(),
    region: RegionId.optional(),
    outcome: z.enum(OUTCOMES).optional(),
    reasonCode: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/)
      .optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    ...Page,
  })
  .strict();

export const PageQuery = z.object(Page).strict();
export const DateQuery = z.object({ date: IsoDate }).strict();
export const DiffQuery = z
  .object({
    from: z.string().min(1).openapi({ description: 'Een versienummer of draft:<id>' }),
    to: z.string().min(1).openapi({ description: 'Een versienummer of draft:<id>' }),
  })
  .strict();
export const EvaluateQuery = z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict();
/** A batch: `?dryRun=true` logs nothing, `?trace=true` answers each decision with its trace. */
export const BatchQuery = EvaluateQuery.extend({ trace: z.enum(['true', 'false']).optional() }).strict();
/** NDJSON text: one JSON value a line (a batch's cases in, its results out). */
export const Ndjson = z.string().openapi('Ndjson', {
  description:
    'NDJSON: één JSON-waarde per regel. In: een casus per regel. Uit: per regel `{ "line", "id", …beslissing }` of `{ "line", "problem" }`, in de volgorde van de invoer.',
});
export const ValidateQuery = z.object({ validFrom: IsoDate.optional() }).strict();
export const CandidateQuery = z
  .object({
    draftId: z.string().min(1).optional(),
    version: z.coerce.number().int().positive().optional(),
    validFrom: IsoDate.optional().openapi({
      description:
        'Met draftId: probeer het concept alsof het vanaf deze datum geldt (zonder: de eigen datum van het concept)',
    }),
  })
  .strict()
  .refine((q) => (q.draftId === undefined) !== (q.version === undefined), { message: 'Geef draftId of version.' })
  .refine((q) => q.validFrom === undefined || q.draftId !== undefined, {
    message: 'validFrom hoort bij een concept (draftId).',
    path: ['validFrom'],
  });

// ---- request bodies ----------------------------------------------------------------------------

/** What differs from the previous version: one note, or a list of them. */
const ChangeNote = z.union([safeText().min(1), z.array(safeText().min(1)).min(1)]);

export const PublishBody = z
  .object({
    validFrom: IsoDate,
    changes: ChangeNote.optional().openapi({
      description: 'Wat er verandert; zonder dit veld gelden de changes van het concept.',
    }),
  })
  .strict()
  .openapi('PublishBody');

export const ReplayBody = z
  .object({
    against: z.union([
      z.literal('recorded'),
      z.literal('in-force'),
      z.object({ ruleSet: z.string().min(1), version: z.number().int().positive() }).strict(),
    ]),
  })
  .strict()
  .openapi('ReplayBody');

export const DecisionFilterBody = DecisionQuery.omit({ limit: true, offset: true });

export const ImpactBody = z
  .object({
    candidate: z.union([
      z.object({ ruleSet: z.string().min(1), draftId: z.string().min(1) }).strict(),
      z.object({ ruleSet: z.string().min(1), version: z.number().int().positive() }).strict(),
    ]),
    filter: DecisionFilterBody.default({}),
  })
  .strict()
  .openapi('ImpactBody');

/**
 * A test case to save: the engine's definition (the one the shipped `rules/<region>/tests.json`
 * use), with a name that is safe to show, and its case checked by the service, so that its issues
 * read `$.case.…`.
 */
export const TestCaseBody = named(
  TestCaseDefinition.extend({ name: safeName().min(1).max(200), case: z.unknown() }),
  'TestCaseBody',
);

/**
 * A role with the scope it needs: a region for advisors, a municipality for officers. A
 * refinement of the strict object itself: an intersection (`.and`) would let unknown fields through.
 */
function roleAndScope(v: { role: (typeof ROLES)[number]; scope?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.role === 'policy-advisor' && !RegionId.safeParse(v.scope).success)
    ctx.addIssue({ code: 'custom', path: ['scope'], message: 'Een beleidsadviseur heeft een regio als scope.' });
  if (v.role === 'municipality-officer' && !MunicipalityId.safeParse(v.scope).success)
    ctx.addIssue({ code: 'custom', path: ['scope'], message: 'Een gemeentemedewerker heeft een gemeente als scope.' });
  if (!['policy-advisor', 'municipality-officer'].includes(v.role) && v.scope !== undefined)
    ctx.addIssue({ code: 'custom', path: ['scope'], message: `De rol ${v.role} heeft geen scope.` });
}

const Password = z.string().min(10).max(200);

export const TokenBody = z
  .object({
    role: z.enum(ROLES),
    scope: z.string().optional(),
    name: safeName().min(1).max(100),
    expiresAt: z.iso
      .datetime({ offset: true })
      .or(z.iso.date())
      .optional()
      .openapi({ description: 'Een datum (verloopt om middernacht UTC) of een tijdstip met tijdzone.' }),
  })
  .strict()
  .superRefine(roleAndScope)
  .openapi('TokenBody');

export const UserBody = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{2,50}$/),
    password: Password,
    role: z.enum(ROLES),
    scope: z.string().optional(),
  })
  .strict()
  .superRefine(roleAndScope)
  .openapi('UserBody');

export const PasswordChangeBody = z
  .object({ currentPassword: z.string().max(200), newPassword: Password })
  .strict()
  .openapi('PasswordChangeBody');

export const PasswordResetBody = z.object({ password: Password }).strict().openapi('PasswordResetBody');

export const LoginBody = z
  .object({ username: z.string().max(50), password: z.string().max(200) })
  .strict()
  .openapi('LoginBody');

// ---- responses ---------------------------------------------------------------------------------

const Issue = z.object({ path: z.string(), message: z.string(), code: z.string() });

/**
 * RFC 9457, with the JSON path of every invalid value: at most 50 (`MAX_ISSUES`), and the number
 * of the rest in `omittedIssues`; 412 and 428 add the draft's current ETag.
 */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().openapi({ description: 'Eén regel per probleem (hoogstens 50), en hoeveel er verder zijn' }),
    instance: z.string(),
    issues: z
      .array(Issue)
      .max(MAX_ISSUES)
      .openapi({ description: `Hoogstens ${MAX_ISSUES}; omittedIssues telt de rest` }),
    omittedIssues: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: `Hoeveel problemen na de eerste ${MAX_ISSUES} niet genoemd zijn` }),
    etag: z.string().optional(),
    updatedBy: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .openapi('Problem');

export const Health = z
  .object({
    ok: z.literal(true),
    database: z.enum(['sqlite', 'postgres']).describe('Where this node stores everything'),
    schemaVersion: z.string().describe("The database's last applied migration, e.g. 0001_append_only"),
    latestVersions: z
      .record(z.string(), z.number().int())
      .describe(
        'The latest published version of every rule set as this node decides with it (after another node publishes: within a second)',
      ),
  })
  .openapi('Health');

const Scope = z.string().nullable();
const UserView = z.object({ name: z.string(), role: z.enum([...ROLES, 'demo']), scope: Scope });

export const TokenCreated = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: 'Het geheim: alleen nu te zien, daarna alleen als hash bewaard.' }),
    name: z.string(),
    role: z.enum(ROLES),
    scope: Scope,
    expiresAt: z.string().nullable(),
  })
  .openapi('TokenCreated');

export const TokenList = z
  .object({
    tokens: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum(ROLES),
        scope: Scope,
        createdBy: z.string(),
        createdAt: z.string(),
        expiresAt: z.string().nullable(),
        revokedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('TokenList');

export const UserCreated = z.object({ username: z.string(), role: z.enum(ROLES), scope: Scope }).openapi('UserCreated');

export const Session = z
  .object({
    demo: z.boolean(),
    authenticated: z.boolean(),
    user: UserView.nullable(),
    csrfToken: z.string().nullable(),
    loginRequired: z.boolean(),
    fourEyes: z.boolean().openapi({
      description: 'Whether a draft is published only by submitting it and having another writer approve it',
    }),
  })
  .openapi('Session');

export const LoggedIn = z.object({ user: UserView, csrfToken: z.string() }).openapi('LoggedIn');

/** The decision with the id it has in the log (`null` on a dry run). */
export const EvaluatedDecision = Decision.extend({ id: z.string().nullable() }).openapi('EvaluatedDecision');

export const DecisionSummary = z.object({
  id: z.string(),
  municipality: z.string(),
  /** The municipality's CBS code. */
  municipalityCode: z.string().nullable(),
  region: z.string(),
  caseType: z.string(),
  referenceDate: z.string(),
  outcome: Outcome,
  reasonCodes: z.array(z.string()),
  totalCents: z.number().int().nullable(),
  ruleSets: z.array(RuleSetRef),
  decidedAt: z.string(),
  decidedBy: z.string(),
});

export const DecisionPage = z
  .object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    items: z.array(DecisionSummary),
  })
  .openapi('DecisionPage');

/**
 * A log entry: the case as received, the decision, who decided when, and its link in the hash
 * chain. Entries logged before decisions recorded `engine` and `illustrative` lack them.
 */
export const LoggedDecision = DecisionInLog.extend({
  id: z.string(),
  decidedAt: z.string(),
  decidedBy: z.string(),
  case: CaseJson,
  hash: z.string(),
})
  // `traceReproducible`: present (false) only when the trace could not be rebuilt
  .extend(TraceMark.shape)
  .openapi('LoggedDecision');

export const DecisionDifference = z.discriminatedUnion('field', [
  // another engine version decided the replay (null: a log entry from before decisions recorded it)
  z.object({ field: z.literal('engine'), before: z.string().nullable(), after: z.string().nullable() }),
  z.object({ field: z.literal('outcome'), before: Outcome, after: Outcome }),
  z.object({ field: z.literal('reasons'), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({ field: z.literal('tariff'), before: Tariff.nullable(), after: Tariff.nullable() }),
  z.object({ field: z.literal('ruleSets'), before: z.array(RuleSetRef), after: z.array(RuleSetRef) }),
  z.object({ field: z.literal('illustrative'), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({ field: z.literal('trace'), changedRules: z.array(z.string()) }),
]);

export const Replay = z
  .object({
    original: named(DecisionInLog, 'DecisionInLog'),
    replayed: DecisionJson,
    identical: z.boolean(),
    /** The replay was decided by another engine version than the original: differences may come from the engine. */
    engineChanged: z.boolean(),
    differences: z.array(DecisionDifference),
  })
  // present (false) when the original's trace could not be rebuilt (see LoggedDecision)
  .extend(TraceMark.shape)
  .openapi('Replay');

const IntegrityProblem = z.object({
  kind: z.enum([
    'entry-hash',
    'chain-link',
    'sequence-gap',
    'column',
    'checkpoint-signature',
    'checkpoint-mismatch',
    'checkpoint-missing',
    'truncated',
    'rewritten',
    'version-content',
    'governance',
  ]),
  message: z.string(),
  seq: z.number().int().optional(),
  id: z.string().optional(),
  ruleSet: z.string().optional(),
  version: z.number().int().optional(),
});

/** What verifying the store found: the log, its signed checkpoints and the published versions. */
export const ChainVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().openapi({ description: 'Log entries read' }),
    head: z.object({ seq: z.number().int(), hash: z.string() }),
    firstBroken: z
      .object({ id: z.string(), seq: z.number().int(), reason: z.string() })
      .optional()
      .openapi({ description: 'The first problem found' }),
    problems: z.array(IntegrityProblem).openapi({ description: 'At most 100; problemCount counts them all' }),
    problemCount: z.number().int(),
    checkpoints: z.object({
      checked: z.number().int(),
      latest: z.object({ seq: z.number().int(), at: z.string() }).nullable(),
    }),
    versions: z.object({
      checked: z.number().int(),
      tampered: z.array(z.object({ ruleSet: z.string(), version: z.number().int() })),
    }),
    governance: z
      .object({
        checked: z.number().int().openapi({ description: 'Governance entries read' }),
        head: z.object({ seq: z.number().int(), hash: z.string() }),
        checkpoints: z.number().int(),
      })
      .openapi({ description: 'The chain of submits, approvals and rejections' }),
  })
  .openapi('ChainVerification');

/** A verification of the store as a job: progress, then its result. */
export const VerifyJobView = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    processed: z.number().int(),
    total: z.number().int(),
    progress: z.number().min(0).max(1),
    startedBy: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    result: ChainVerification.optional(),
    error: z.string().optional(),
  })
  .openapi('VerifyJob');

/** Signed checkpoints of the log, with the public key to check them anywhere. */
export const CheckpointList = z
  .object({
    algorithm: z.literal('Ed25519'),
    keyId: z.string(),
    publicKey: z.string().openapi({ description: 'SPKI, PEM' }),
    signedText: z.string().openapi({
      description: 'What each signature covers, with {seq}, {headHash} and {at} filled in (newlines included)',
    }),
    limit: z.number().int(),
    offset: z.number().int(),
    items: z.array(
      z.object({
        seq: z.number().int(),
        headHash: z.string(),
        at: z.string(),
        keyId: z.string(),
        signature: z.string().openapi({ description: 'base64' }),
      }),
    ),
  })
  .openapi('CheckpointList');

const OutcomeCounts = z.object({ granted: z.number().int(), rejected: z.number().int(), review: z.number().int() });
const DecisionGist = z.object({ outcome: Outcome, codes: z.array(z.string()), totalCents: z.number().nullable() });

/** An impact analysis job as the API shows it: progress and one page of changed decisions. */
export const ImpactJobView = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'done', 'cancelled', 'failed']),
    total: z.number().int(),
    processed: z.number().int(),
    progress: z.number().min(0).max(1),
    candidate: z.union([
      z.object({ ruleSet: z.string(), draftId: z.string() }),
      z.object({ ruleSet: z.string(), version: z.number().int() }),
    ]),
    workers: z.number().int(),
    startedBy: z.string(),
    outcomes: z.object({ before: OutcomeCounts, after: OutcomeCounts }),
    tariffCents: z.object({ before: z.number(), after: z.number() }),
    changedCount: z.number().int(),
    changed: z.array(
      z.object({
        decisionId: z.string(),
        municipality: z.string(),
        referenceDate: z.string(),
        before: DecisionGist,
        after: DecisionGist,
      }),
    ),
    skipped: z.number().int(),
    skippedReason: z.string().optional(),
    error: z.string().optional(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
  })
  .openapi('ImpactJob');

export const DraftSummary = z
  .object({
    draftId: z.string(),
    ruleSetId: z.string(),
    baseVersion: z.number().int().nullable(),
    etag: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedBy: z.string(),
    updatedAt: z.string(),
    status: z.enum(['editing', 'submitted']).openapi({ description: 'submitted: frozen, waiting for approval' }),
    submittedBy: z.string().nullable(),
    submittedAt: z.string().nullable(),
    submittedValidFrom: z.string().nullable(),
    changeNote: z.string().nullable(),
    rejectedBy: z.string().nullable(),
    rejectedAt: z.string().nullable(),
    rejectionComment: z.string().nullable(),
  })
  .openapi('DraftSummary');

export const DraftWithDocument = DraftSummary.extend({ document: RuleSetDraftJson }).openapi('Draft');
export const DraftList = z.object({ drafts: z.array(DraftSummary) });
export const DraftCreated = z
  .object({ draftId: z.string(), etag: z.string(), baseVersion: z.number().int().nullable() })
  .openapi('DraftCreated');

export const RuleSetSummary = z
  .object({
    id: z.string(),
    kind: z.enum(['region', 'municipality']),
    region: z.string(),
    name: z.string(),
    versions: z.array(
      z.object({
        version: z.number().int(),
        validFrom: z.string(),
        validUntil: z.string().nullable(),
        status: z.enum(['in-force', 'scheduled', 'superseded']),
        contentHash: z.string(),
        publishedBy: z.string(),
        publishedAt: z.string(),
        submittedBy: z.string().nullable(),
        approvedBy: z.string().nullable(),
        changeNote: z.string().nullable(),
      }),
    ),
    drafts: z.array(DraftSummary),
  })
  .openapi('RuleSetSummary');

export const RuleSetList = z.object({ ruleSets: z.array(RuleSetSummary) }).openapi('RuleSetList');

export const Published = z
  .object({
    version: z.number().int(),
    validFrom: z.string(),
    contentHash: z.string(),
    publishedBy: z.string(),
    publishedAt: z.string(),
  })
  .openapi('Published');

export const Approved = Published.extend({
  submittedBy: z.string(),
  approvedBy: z.string(),
  changeNote: z.string(),
}).openapi('Approved');

export const SubmitBody = z
  .object({ validFrom: IsoDate, changeNote: safeText().min(1).max(2000) })
  .strict()
  .openapi('SubmitBody');

export const ApproveBody = z
  .object({
    impactJobId: z.string().min(1).max(100).optional().openapi({
      description: 'The impact analysis the approver saw: its summary is kept with the approval',
    }),
  })
  .strict()
  .openapi('ApproveBody');

export const RejectBody = z
  .object({ comment: safeText().min(1).max(2000) })
  .strict()
  .openapi('RejectBody');

export const DraftChanges = z
  .object({ changes: z.array(SemanticChange.meta({}).openapi('SemanticChange')) })
  .openapi('DraftChanges');

export const DraftAnalysis = z
  .object({
    findings: z.array(Finding.meta({}).openapi('Finding')),
    tests: z.object({ passed: z.number().int(), failed: z.number().int() }),
  })
  .openapi('DraftAnalysis');

export const ImpactSummaryView = z
  .object({
    jobId: z.string(),
    processed: z.number().int(),
    changedCount: z.number().int(),
    outcomes: z.object({ before: z.record(z.string(), z.number()), after: z.record(z.string(), z.number()) }),
    tariffCents: z.object({ before: z.number(), after: z.number() }),
    skipped: z.number().int(),
  })
  .openapi('ImpactSummary');

export const GovernanceEvent = z
  .object({
    seq: z.number().int(),
    kind: z.enum(['submit', 'approve', 'reject']),
    ruleSetId: z.string(),
    draftId: z.string(),
    draftHash: z.string(),
    by: z.string(),
    at: z.string(),
    note: z.string().openapi({ description: 'The change note (submit, approve) or the comment (reject)' }),
    validFrom: z.string().nullable(),
    version: z.number().int().nullable(),
    impact: ImpactSummaryView.nullable(),
    hash: z.string(),
  })
  .openapi('GovernanceEvent');

export const GovernanceQuery = z
  .object({ ruleSet: z.string().min(1).optional(), draftId: z.string().min(1).optional() })
  .strict();
export const GovernanceList = z.object({ events: z.array(GovernanceEvent) }).openapi('GovernanceList');

export const DraftValid = z.object({ valid: z.literal(true), validFrom: z.string() });

export const DocumentDiff = z
  .object({
    ruleSet: z.string(),
    from: z.string(),
    to: z.string(),
    changes: z.array(
      z.object({
        path: z.string(),
        op: z.enum(['added', 'removed', 'changed']),
        before: z.unknown().optional(),
        after: z.unknown().optional(),
      }),
    ),
  })
  .openapi('DocumentDiff');

export const TestCaseView = z
  .object({
    id: z.string(),
    ruleSetId: z.string(),
    name: z.string(),
    case: z.unknown(),
    expected: z.object({ outcome: Outcome, codes: z.array(z.string()) }),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('TestCase');

export const TestCaseList = z.object({ testCases: z.array(TestCaseView) });

/** One test case run: what it decided, which rules fired, and whether that is what it expects. */
export const TestResult = TestCaseView.extend({
  actual: z.object({ outcome: Outcome, codes: z.array(z.string()) }).nullable(),
  ruleIds: z.array(z.string()).openapi({ description: 'De regels die vuurden: wat dit testgeval dekt' }),
  pass: z.boolean(),
  error: z.string().optional(),
}).openapi('TestResult');

/** The date a draft was tried as if in force from; null for a published version. */
const RunValidFrom = z.string().nullable();

export const TestRun = z
  .object({
    validFrom: RunValidFrom,
    passed: z.number().int(),
    failed: z.number().int(),
    results: z.array(TestResult),
  })
  .openapi('TestRun');

export const TestRunOne = TestResult.extend({ validFrom: RunValidFrom }).openapi('TestRunOne');

export const Effective = z
  .object({
    municipality: z.string(),
    region: RegionId,
    date: z.string(),
    ruleSets: z.array(RuleSetRef),
    parameters: z.record(ParameterName, z.union([z.number(), z.array(z.string())])),
  })
  .openapi('Effective');

/** A JSON Schema document (draft 2020-12). */
export const JsonSchemaDocument = z.record(z.string(), z.unknown()).openapi('JsonSchema');

// ---- iJw messages ------------------------------------------------------------------------------

export const Jw315RequestJson = named(Jw315Request, 'Jw315Request');
export const Jw315Response = z
  .object({
    decision: EvaluatedDecision,
    /** The case the message was read as (without the BSN, which is never kept). */
    case: CaseJson,
    antwoord: named(Jw315Answer, 'Jw315Answer'),
  })
  .openapi('Jw315Response');
