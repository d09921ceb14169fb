/** Rule sets, versions, drafts (with ETags), validation, publishing, diffs, export and import. */
import { Hono, type Context } from 'hono';
import { CandidateQuery, DiffQuery, PublishBody, TestCaseBody, ValidateQuery } from '../api-schemas.js';
import { ProblemError } from '../problems.js';
import { draftSummary, type RulesService } from '../service.js';
import { actorName, principalOf, requireRuleSetWriter } from '../auth.js';
import { jsonBody, parseQuery, parseWith } from '../validate.js';

export function ruleSetRoutes(service: RulesService) {
  const app = new Hono();

  // reading is for everyone signed in; each write checks the caller's role and scope below
  app.use('*', async (c, next) => {
    principalOf(c);
    await next();
  });
  const writer = (c: Context) => requireRuleSetWriter(c, c.req.param('id')!);
  /** Writers, and auditors who may try drafts and test cases without changing them. */
  const tryer = (c: Context) => {
    const p = principalOf(c);
    return p.role === 'auditor' ? p : writer(c);
  };

  app.get('/', (c) => c.json({ ruleSets: service.ruleSets() }));

  app.get('/:id/versions', (c) => {
    const set = service.ruleSets().find((r) => r.id === c.req.param('id'));
    if (!set) throw new ProblemError(404, 'RULE_SET_NOT_FOUND', `Regelset ${c.req.param('id')} bestaat niet.`);
    return c.json(set);
  });

  app.get('/:id/versions/:n', (c) => {
    const row = service.version(c.req.param('id'), Number(c.req.param('n')));
    c.header('ETag', `"${row.contentHash}"`);
    return c.json(row.document);
  });

  /** The version as a file in the rules/ layout, to keep in git and import again. */
  app.get('/:id/versions/:n/export', (c) => {
    const row = service.version(c.req.param('id'), Number(c.req.param('n')));
    c.header('Content-Disposition', `attachment; filename="${row.ruleSetId}.v${row.version}.json"`);
    return c.body(`${JSON.stringify(row.document, null, 2)}\n`, 200, { 'Content-Type': 'application/json' });
  });

  app.get('/:id/diff', (c) => {
    const { from, to } = parseQuery(DiffQuery, c);
    return c.json(service.diff(c.req.param('id'), from, to));
  });

  app.get('/:id/drafts', (c) => c.json({ drafts: service.store.ruleSets.drafts(c.req.param('id')).map(draftSummary) }));

  const createDraft = async (c: Context) => {
    writer(c);
    const draft = service.createDraft(c.req.param('id')!, await jsonBody(c), actorName(c));
    c.header('ETag', draft.etag);
    c.header('Location', `/api/rulesets/${draft.ruleSetId}/drafts/${draft.id}`);
    return c.json({ draftId: draft.id, etag: draft.etag, baseVersion: draft.baseVersion }, 201);
  };
  app.post('/:id/drafts', createDraft);
  /** Import a file in the rules/ layout: validated like any draft. */
  app.post('/:id/import', createDraft);

  app.get('/:id/drafts/:draftId', (c) => {
    const draft = service.draft(c.req.param('id'), c.req.param('draftId'));
    c.header('ETag', draft.etag);
    return c.json({ ...draftSummary(draft), document: draft.document });
  });

  app.put('/:id/drafts/:draftId', async (c) => {
    writer(c);
    const draft = service.replaceDraft(
      c.req.param('id'),
      c.req.param('draftId'),
      c.req.header('if-match'),
      await jsonBody(c),
      actorName(c),
    );
    c.header('ETag', draft.etag);
    return c.json(draftSummary(draft));
  });

  app.delete('/:id/drafts/:draftId', (c) => {
    writer(c);
    service.deleteDraft(c.req.param('id'), c.req.param('draftId'));
    return c.body(null, 204);
  });

  app.post('/:id/drafts/:draftId/validate', (c) => {
    writer(c);
    const { validFrom } = parseQuery(ValidateQuery, c);
    return c.json(service.validateDraft(c.req.param('id'), c.req.param('draftId'), validFrom));
  });

  app.post('/:id/drafts/:draftId/publish', async (c) => {
    writer(c);
    const { validFrom } = parseWith(PublishBody, await jsonBody(c));
    const row = service.publish(c.req.param('id'), c.req.param('draftId'), validFrom, actorName(c));
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
  });

  app.post('/:id/drafts/:draftId/evaluate', async (c) => {
    tryer(c);
    return c.json(
      await service.evaluateWith(c.req.param('id'), { draftId: c.req.param('draftId') }, await jsonBody(c)),
    );
  });
  app.post('/:id/versions/:n/evaluate', async (c) =>
    c.json(await service.evaluateWith(c.req.param('id'), { version: Number(c.req.param('n')) }, await jsonBody(c))),
  );

  app.get('/:id/tests', (c) => c.json({ testCases: service.testCases(c.req.param('id')) }));
  app.post('/:id/tests', async (c) => {
    writer(c);
    return c.json(
      service.addTestCase(c.req.param('id'), parseWith(TestCaseBody, await jsonBody(c)), actorName(c)),
      201,
    );
  });
  app.delete('/:id/tests/:testId', (c) => {
    writer(c);
    service.deleteTestCase(c.req.param('id'), c.req.param('testId'));
    return c.body(null, 204);
  });
  app.post('/:id/tests/run', async (c) => {
    tryer(c);
    const q = parseQuery(CandidateQuery, c);
    return c.json(
      await service.runTestCases(c.req.param('id'), q.draftId ? { draftId: q.draftId } : { version: q.version! }),
    );
  });

  return app;
}
