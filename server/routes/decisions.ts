/** Evaluation, the decision log, replay and the audit chain. */
import { Hono } from 'hono';
import { DecisionQuery, EvaluateQuery, ReplayBody } from '../api-schemas.js';
import type { DecisionRow } from '../db/log.js';
import type { RulesService } from '../service.js';
import { principalOf, requireRole } from '../auth.js';
import { jsonBody, parseQuery, parseWith } from '../validate.js';

function logged(row: DecisionRow) {
  return {
    id: row.id,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    case: row.caseJson,
    ...row.decisionJson,
    hash: row.hash,
  };
}

export function decisionRoutes(service: RulesService) {
  const app = new Hono();

  app.post('/evaluate', async (c) => {
    const { dryRun } = parseQuery(EvaluateQuery, c);
    // anyone signed in may try a case; only case systems put decisions in the log
    const who = dryRun === 'true' ? principalOf(c) : requireRole(c, 'case-system');
    const { json } = await service.evaluate(await jsonBody(c), { dryRun: dryRun === 'true', by: who.name });
    return c.body(json, 200, { 'Content-Type': 'application/json' });
  });

  const readers = ['auditor', 'policy-advisor'] as const;

  app.get('/decisions', (c) => {
    requireRole(c, ...readers);
    const { limit, offset, ...filter } = parseQuery(DecisionQuery, c);
    const { total, items } = service.store.log.page(filter, { limit, offset });
    return c.json({
      total,
      limit,
      offset,
      items: items.map((r) => ({
        id: r.id,
        municipality: r.municipality,
        region: r.region,
        caseType: r.caseType,
        referenceDate: r.referenceDate,
        outcome: r.outcome,
        reasonCodes: r.reasonCodes,
        totalCents: r.totalCents,
        ruleSets: r.ruleSets,
        decidedAt: r.decidedAt,
        decidedBy: r.decidedBy,
      })),
    });
  });

  app.get('/decisions/:id', (c) => {
    requireRole(c, ...readers);
    return c.json(logged(service.decision(c.req.param('id'))));
  });

  app.post('/decisions/:id/replay', async (c) => {
    requireRole(c, ...readers);
    const { against } = parseWith(ReplayBody, await jsonBody(c));
    return c.json(await service.replay(c.req.param('id'), against));
  });

  app.get('/audit/verify', (c) => {
    requireRole(c, ...readers);
    return c.json(service.store.log.verifyChain());
  });

  return app;
}
