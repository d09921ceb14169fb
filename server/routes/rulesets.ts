/** Rule sets, versions, drafts (with ETags), validation, publishing, diffs, export and import. */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  ApproveBody,
  Approved,
  CandidateQuery,
  DraftAnalysis,
  DraftChanges,
  RejectBody,
  SubmitBody,
  CaseJson,
  DecisionJson,
  DiffQuery,
  DocumentDiff,
  DraftCreated,
  DraftList,
  DraftParams,
  DraftSummary,
  DraftValid,
  DraftWithDocument,
  IdParam,
  PublishBody,
  Published,
  RuleSetDocumentJson,
  RuleSetDraftJson,
  RuleSetList,
  RuleSetSummary,
  TestCaseBody,
  TestCaseList,
  TestCaseParams,
  TestCaseView,
  TestRun,
  TestRunOne,
  ValidateQuery,
  VersionParams,
} from '../api-schemas.js';
import { actorName, mayReadRuleSetWork, principalOf, requireRuleSetReader, requireRuleSetWriter } from '../auth.js';
import { json, jsonText, problems, routeGroup } from '../openapi.js';
import { StateConflictError } from '../errors.js';
import { ProblemError } from '../problems.js';
import { draftSummary, type RulesService } from '../service.js';
import { invalidCase, invalidRuleSet } from '../validate.js';

const TAGS = ['Rule sets'];

/** Published versions are for everyone signed in. */
const signedIn: MiddlewareHandler = async (c, next) => {
  principalOf(c);
  await next();
};
/**
 * Drafts and test cases are work in progress: read (and tried) by auditors, the region's policy
 * advisor (the region's rule set and its municipalities' overlays) and the municipality's officer.
 */
const workReader: MiddlewareHandler = async (c, next) => {
  requireRuleSetReader(c, c.req.param('id')!);
  await next();
};
/** Writing is for the rule set's own advisor or officer; checked before the request is read. */
const writer: MiddlewareHandler = async (c, next) => {
  requireRuleSetWriter(c, c.req.param('id')!);
  await next();
};

/** A diff that names a draft shows it: only for those who may read the rule set's drafts. */
const draftDiffReader: MiddlewareHandler = async (c, next) => {
  if ([c.req.query('from'), c.req.query('to')].some((ref) => ref?.startsWith('draft:')))
    requireRuleSetReader(c, c.req.param('id')!);
  await next();
};

/** A body that may be left out: an empty one reads as `{}`. */
const emptyBodyAsObject: MiddlewareHandler = async (c, next) => {
  if ((await c.req.text()).trim() === '') (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve('{}');
  await next();
};

const ETag = { ETag: { schema: { type: 'string' as const }, description: 'The draft or version, for If-Match' } };
const Location = { Location: { schema: { type: 'string' as const }, description: 'What was created' } };

const listRuleSets = createRoute({
  method: 'get',
  path: '/',
  tags: TAGS,
  summary: 'Rule sets with their versions, validity ranges, status and the drafts the caller may read',
  responses: { 200: { description: 'Every rule set', content: json(RuleSetList) }, ...problems(401) },
});

const getRuleSet = createRoute({
  method: 'get',
  path: '/{id}/versions',
  tags: TAGS,
  summary: 'The versions of one rule set',
  request: { params: IdParam },
  responses: { 200: { description: 'The rule set', content: json(RuleSetSummary) }, ...problems(401, 404) },
});

const getVersion = createRoute({
  method: 'get',
  path: '/{id}/versions/{n}',
  tags: TAGS,
  summary: "One version's document",
  request: { params: VersionParams },
  responses: {
    200: { description: 'The document', headers: ETag, content: json(RuleSetDocumentJson) },
    ...problems(401, 404),
  },
});

const exportVersion = createRoute({
  method: 'get',
  path: '/{id}/versions/{n}/export',
  tags: TAGS,
  summary: 'A version as a file in the rules/ layout, to keep in git and import again',
  request: { params: VersionParams },
  responses: {
    200: {
      description: 'The file (Content-Disposition: attachment)',
      headers: { 'Content-Disposition': { schema: { type: 'string' } } },
      content: json(RuleSetDocumentJson),
    },
    ...problems(401, 404),
  },
});

const diff = createRoute({
  method: 'get',
  path: '/{id}/diff',
  tags: TAGS,
  summary: 'Structural diff between versions or drafts: ?from=N|draft:ID&to=N|draft:ID',
  middleware: [draftDiffReader],
  request: { params: IdParam, query: DiffQuery },
  responses: { 200: { description: 'Every change', content: json(DocumentDiff) }, ...problems(400, 401, 403, 404) },
});

const listDrafts = createRoute({
  method: 'get',
  path: '/{id}/drafts',
  tags: TAGS,
  summary: 'The drafts of one rule set',
  middleware: [workReader],
  request: { params: IdParam },
  responses: { 200: { description: 'The drafts', content: json(DraftList) }, ...problems(401, 403) },
});

const draftCreated = {
  201: { description: 'The draft', headers: { ...ETag, ...Location }, content: json(DraftCreated) },
  ...problems(400, 401, 403, 413, 422),
};

const createDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts',
  tags: TAGS,
  summary: 'Create a draft; answers its ETag. A draft needs no version or validFrom',
  middleware: [writer],
  request: { params: IdParam, body: { required: true, content: json(RuleSetDraftJson) } },
  bodyError: invalidRuleSet,
  responses: draftCreated,
});

const importFile = createRoute({
  method: 'post',
  path: '/{id}/import',
  tags: TAGS,
  summary: 'Import a file in the rules/ layout as a draft, validated like any draft',
  middleware: [writer],
  request: { params: IdParam, body: { required: true, content: json(RuleSetDraftJson) } },
  bodyError: invalidRuleSet,
  responses: draftCreated,
});

const getDraft = createRoute({
  method: 'get',
  path: '/{id}/drafts/{draftId}',
  tags: TAGS,
  summary: 'A draft with its ETag',
  middleware: [workReader],
  request: { params: DraftParams },
  responses: {
    200: { description: 'The draft', headers: ETag, content: json(DraftWithDocument) },
    ...problems(401, 403, 404),
  },
});

const replaceDraft = createRoute({
  method: 'put',
  path: '/{id}/drafts/{draftId}',
  tags: TAGS,
  summary: 'Replace a draft; If-Match required (428 without, 412 when stale)',
  middleware: [writer],
  request: {
    params: DraftParams,
    headers: z.object({
      'if-match': z.string().optional().openapi({ description: 'The ETag the draft was read with' }),
    }),
    body: { required: true, content: json(RuleSetDraftJson) },
  },
  bodyError: invalidRuleSet,
  responses: {
    200: { description: 'The draft', headers: ETag, content: json(DraftSummary) },
    ...problems(400, 401, 403, 404, 412, 413, 422, 428),
  },
});

const deleteDraft = createRoute({
  method: 'delete',
  path: '/{id}/drafts/{draftId}',
  tags: TAGS,
  summary: 'Discard a draft',
  middleware: [writer],
  request: { params: DraftParams },
  responses: { 204: { description: 'Discarded' }, ...problems(401, 403, 404) },
});

const validateDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/validate',
  tags: TAGS,
  summary: 'Validate a draft as it would be published (?validFrom=)',
  middleware: [writer],
  request: { params: DraftParams, query: ValidateQuery },
  responses: { 200: { description: 'Valid', content: json(DraftValid) }, ...problems(400, 401, 403, 404, 422) },
});

const publish = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/publish',
  tags: TAGS,
  summary:
    'Publish a draft as the next immutable version, valid from validFrom, with a change note (409 APPROVAL_REQUIRED while four eyes are on: submit and approve instead)',
  middleware: [writer],
  request: { params: DraftParams, body: { required: true, content: json(PublishBody) } },
  responses: {
    201: { description: 'The new version', headers: Location, content: json(Published) },
    ...problems(400, 401, 403, 404, 409, 413, 422),
  },
});

const draftDiff = createRoute({
  method: 'get',
  path: '/{id}/drafts/{draftId}/diff',
  tags: TAGS,
  summary: "The draft's changes against its base version, each as a Dutch sentence, grouped by rule and parameter",
  middleware: [workReader],
  request: { params: DraftParams },
  responses: { 200: { description: 'Every change', content: json(DraftChanges) }, ...problems(401, 403, 404) },
});

const draftAnalysis = createRoute({
  method: 'get',
  path: '/{id}/drafts/{draftId}/analysis',
  tags: TAGS,
  summary: "Static analysis of the draft (errors stop a submit) and its test cases' outcome (?validFrom=)",
  middleware: [workReader],
  request: { params: DraftParams, query: ValidateQuery },
  responses: {
    200: { description: 'The findings', content: json(DraftAnalysis) },
    ...problems(400, 401, 403, 404, 422),
  },
});

const submitDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/submit',
  tags: TAGS,
  summary:
    'Submit a draft for approval with its valid-from date and change note; it is frozen until another writer approves or rejects it (422 ANALYSIS_FAILED while an error finding or a failing test case exists)',
  middleware: [writer],
  request: { params: DraftParams, body: { required: true, content: json(SubmitBody) } },
  responses: {
    200: { description: 'The submitted draft', content: json(DraftSummary) },
    ...problems(400, 401, 403, 404, 409, 412, 413, 422),
  },
});

const approveDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/approve',
  tags: TAGS,
  summary:
    'Approve a submitted draft and publish it (another writer than the submitter: 403 FOUR_EYES_REQUIRED otherwise)',
  middleware: [writer, emptyBodyAsObject],
  request: { params: DraftParams, body: { required: false, content: json(ApproveBody) } },
  responses: {
    201: { description: 'The new version', headers: Location, content: json(Approved) },
    ...problems(400, 401, 403, 404, 409, 413, 422),
  },
});

const rejectDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/reject',
  tags: TAGS,
  summary: 'Reject a submitted draft: editable again, with the comment kept on it',
  middleware: [writer],
  request: { params: DraftParams, body: { required: true, content: json(RejectBody) } },
  responses: {
    200: { description: 'The draft, editable again', content: json(DraftSummary) },
    ...problems(400, 401, 403, 404, 409, 413),
  },
});

const evaluateWithDraft = createRoute({
  method: 'post',
  path: '/{id}/drafts/{draftId}/evaluate',
  tags: TAGS,
  summary: 'Decide a case with the draft in place of the version in force (not logged)',
  middleware: [workReader],
  request: { params: DraftParams, body: { required: true, content: json(CaseJson) } },
  bodyError: invalidCase,
  responses: {
    200: { description: 'The decision', content: json(DecisionJson) },
    ...problems(400, 401, 403, 404, 413, 422),
  },
});

const evaluateWithVersion = createRoute({
  method: 'post',
  path: '/{id}/versions/{n}/evaluate',
  tags: TAGS,
  summary: 'Decide a case with a chosen version (not logged)',
  request: { params: VersionParams, body: { required: true, content: json(CaseJson) } },
  bodyError: invalidCase,
  responses: {
    200: { description: 'The decision', content: json(DecisionJson) },
    ...problems(400, 401, 404, 413, 422),
  },
});

const listTests = createRoute({
  method: 'get',
  path: '/{id}/tests',
  tags: TAGS,
  summary: 'The test cases saved with a rule set',
  middleware: [workReader],
  request: { params: IdParam },
  responses: { 200: { description: 'The test cases', content: json(TestCaseList) }, ...problems(401, 403) },
});

const addTest = createRoute({
  method: 'post',
  path: '/{id}/tests',
  tags: TAGS,
  summary: 'Save a test case: a case with its expected outcome and reason codes',
  middleware: [writer],
  request: { params: IdParam, body: { required: true, content: json(TestCaseBody) } },
  responses: {
    201: { description: 'The test case', content: json(TestCaseView) },
    ...problems(400, 401, 403, 413),
  },
});

const getTest = createRoute({
  method: 'get',
  path: '/{id}/tests/{testId}',
  tags: TAGS,
  summary: 'One test case',
  middleware: [workReader],
  request: { params: TestCaseParams },
  responses: { 200: { description: 'The test case', content: json(TestCaseView) }, ...problems(401, 404) },
});

const updateTest = createRoute({
  method: 'put',
  path: '/{id}/tests/{testId}',
  tags: TAGS,
  summary: "Change a test case's name, case and expected outcome and reason codes",
  middleware: [writer],
  request: { params: TestCaseParams, body: { required: true, content: json(TestCaseBody) } },
  responses: {
    200: { description: 'The test case', content: json(TestCaseView) },
    ...problems(400, 401, 403, 404, 413),
  },
});

const deleteTest = createRoute({
  method: 'delete',
  path: '/{id}/tests/{testId}',
  tags: TAGS,
  summary: 'Delete a test case',
  middleware: [writer],
  request: { params: TestCaseParams },
  responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
});

const runTests = createRoute({
  method: 'post',
  path: '/{id}/tests/run',
  tags: TAGS,
  summary:
    'Run every test case against ?draftId= (as if valid from &validFrom=, else its own date) or ?version=: a pass/fail list with the rules each made fire',
  middleware: [workReader],
  request: { params: IdParam, query: CandidateQuery },
  responses: { 200: { description: 'Each result', content: json(TestRun) }, ...problems(400, 401, 403, 404) },
});

const runTest = createRoute({
  method: 'post',
  path: '/{id}/tests/{testId}/run',
  tags: TAGS,
  summary: 'Run one test case against ?draftId= (optionally &validFrom=) or ?version=',
  middleware: [workReader],
  request: { params: TestCaseParams, query: CandidateQuery },
  responses: { 200: { description: 'Its result', content: json(TestRunOne) }, ...problems(400, 401, 403, 404) },
});

/** The candidate a test run query names: a draft (as if valid from `validFrom`) or a version. */
const candidateOf = (q: {
  draftId?: string | undefined;
  version?: number | undefined;
  validFrom?: string | undefined;
}) => (q.draftId !== undefined ? { draftId: q.draftId, validFrom: q.validFrom } : { version: q.version! });

/** Rule sets, versions, drafts and test cases, under /api/rulesets. */
export function ruleSetRoutes(service: RulesService) {
  const app = routeGroup();
  app.use('*', signedIn);
  return app
    .openapi(listRuleSets, async (c) => {
      const p = principalOf(c);
      // every rule set and version; drafts only where the caller may read them
      const ruleSets = (await service.ruleSets()).map((r) => (mayReadRuleSetWork(p, r.id) ? r : { ...r, drafts: [] }));
      return c.json({ ruleSets }, 200);
    })
    .openapi(getRuleSet, async (c) => {
      const { id } = c.req.valid('param');
      const [set] = await service.ruleSets(id);
      if (!set) throw new ProblemError(404, 'RULE_SET_NOT_FOUND', `Regelset ${id} bestaat niet.`);
      return c.json(mayReadRuleSetWork(principalOf(c), id) ? set : { ...set, drafts: [] }, 200);
    })
    .openapi(getVersion, async (c) => {
      const { id, n } = c.req.valid('param');
      const row = await service.version(id, n);
      c.header('ETag', `"${row.contentHash}"`);
      return c.json(row.document, 200);
    })
    .openapi(exportVersion, async (c) => {
      const { id, n } = c.req.valid('param');
      const row = await service.version(id, n);
      return jsonText<typeof row.document>(c, `${JSON.stringify(row.document, null, 2)}\n`, 200, {
        'Content-Disposition': `attachment; filename="${row.ruleSetId}.v${row.version}.json"`,
      });
    })
    .openapi(diff, async (c) => {
      const { from, to } = c.req.valid('query');
      return c.json(await service.diff(c.req.valid('param').id, from, to), 200);
    })
    .openapi(listDrafts, async (c) =>
      c.json({ drafts: (await service.store.ruleSets.drafts(c.req.valid('param').id)).map(draftSummary) }, 200),
    )
    .openapi(createDraft, async (c) => {
      const draft = await service.createDraft(c.req.valid('param').id, c.req.valid('json'), actorName(c));
      c.header('ETag', draft.etag);
      c.header('Location', `/api/rulesets/${draft.ruleSetId}/drafts/${draft.id}`);
      return c.json({ draftId: draft.id, etag: draft.etag, baseVersion: draft.baseVersion }, 201);
    })
    .openapi(importFile, async (c) => {
      const draft = await service.createDraft(c.req.valid('param').id, c.req.valid('json'), actorName(c));
      c.header('ETag', draft.etag);
      c.header('Location', `/api/rulesets/${draft.ruleSetId}/drafts/${draft.id}`);
      return c.json({ draftId: draft.id, etag: draft.etag, baseVersion: draft.baseVersion }, 201);
    })
    .openapi(getDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      const draft = await service.draft(id, draftId);
      c.header('ETag', draft.etag);
      return c.json({ ...draftSummary(draft), document: draft.document }, 200);
    })
    .openapi(replaceDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      const draft = await service.replaceDraft(
        id,
        draftId,
        c.req.valid('header')['if-match'],
        c.req.valid('json'),
        actorName(c),
      );
      c.header('ETag', draft.etag);
      return c.json(draftSummary(draft), 200);
    })
    .openapi(deleteDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      await service.deleteDraft(id, draftId);
      return c.body(null, 204);
    })
    .openapi(validateDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      return c.json(await service.validateDraft(id, draftId, c.req.valid('query').validFrom), 200);
    })
    .openapi(publish, async (c) => {
      const { id, draftId } = c.req.valid('param');
      const { validFrom, changes } = c.req.valid('json');
      if (service.fourEyesFor(principalOf(c)))
        throw new StateConflictError(
          'APPROVAL_REQUIRED',
          'Publiceren gaat via vier ogen: bied het concept aan (submit) en laat een ander met schrijfrechten het goedkeuren (approve).',
        );
      const row = await service.publish(id, draftId, validFrom, actorName(c), changes);
      c.header('Location', `/api/rulesets/${row.ruleSetId}/versions/${row.version}`);
      return c.json(
        {
          version: row.version,
          validFrom: row.validFrom,
          contentHash: row.contentHash,
          publishedBy: row.publishedBy,
          publishedAt: row.publishedAt,
        },
        201,
      );
    })
    .openapi(draftDiff, async (c) => {
      const { id, draftId } = c.req.valid('param');
      return c.json({ changes: await service.draftChanges(id, draftId) }, 200);
    })
    .openapi(draftAnalysis, async (c) => {
      const { id, draftId } = c.req.valid('param');
      const { findings, tests } = await service.analyseDraft(id, draftId, c.req.valid('query').validFrom);
      return c.json({ findings, tests: { passed: tests.passed, failed: tests.failed } }, 200);
    })
    .openapi(submitDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      const { validFrom, changeNote } = c.req.valid('json');
      return c.json(draftSummary(await service.submit(id, draftId, validFrom, changeNote, actorName(c))), 200);
    })
    .openapi(approveDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      // the body is optional: an approval without an impact analysis to keep
      const row = await service.approve(id, draftId, actorName(c), {
        fourEyes: service.fourEyesFor(principalOf(c)),
        impactJobId: c.req.valid('json').impactJobId,
      });
      c.header('Location', `/api/rulesets/${row.ruleSetId}/versions/${row.version}`);
      return c.json(
        {
          version: row.version,
          validFrom: row.validFrom,
          contentHash: row.contentHash,
          publishedBy: row.publishedBy,
          publishedAt: row.publishedAt,
          submittedBy: row.submittedBy!,
          approvedBy: row.approvedBy!,
          changeNote: row.changeNote!,
        },
        201,
      );
    })
    .openapi(rejectDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      return c.json(draftSummary(await service.reject(id, draftId, actorName(c), c.req.valid('json').comment)), 200);
    })
    .openapi(evaluateWithDraft, async (c) => {
      const { id, draftId } = c.req.valid('param');
      return c.json(await service.evaluateWith(id, { draftId }, c.get('json')), 200);
    })
    .openapi(evaluateWithVersion, async (c) => {
      const { id, n } = c.req.valid('param');
      return c.json(await service.evaluateWith(id, { version: n }, c.get('json')), 200);
    })
    .openapi(listTests, async (c) => c.json({ testCases: await service.testCases(c.req.valid('param').id) }, 200))
    .openapi(addTest, async (c) =>
      c.json(await service.addTestCase(c.req.valid('param').id, c.req.valid('json'), actorName(c)), 201),
    )
    .openapi(getTest, async (c) => {
      const { id, testId } = c.req.valid('param');
      return c.json(await service.testCase(id, testId), 200);
    })
    .openapi(updateTest, async (c) => {
      const { id, testId } = c.req.valid('param');
      return c.json(await service.updateTestCase(id, testId, c.req.valid('json')), 200);
    })
    .openapi(deleteTest, async (c) => {
      const { id, testId } = c.req.valid('param');
      await service.deleteTestCase(id, testId);
      return c.body(null, 204);
    })
    .openapi(runTests, async (c) =>
      c.json(await service.runTestCases(c.req.valid('param').id, candidateOf(c.req.valid('query'))), 200),
    )
    .openapi(runTest, async (c) => {
      const { id, testId } = c.req.valid('param');
      return c.json(await service.runTestCase(id, testId, candidateOf(c.req.valid('query'))), 200);
    });
}
