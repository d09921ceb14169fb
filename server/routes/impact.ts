/** Impact analysis jobs: start, poll progress and results (paged), cancel. */
import { Hono } from 'hono';
import { ImpactBody, PageQuery } from '../api-schemas.js';
import type { ImpactJob } from '../impact.js';
import type { RulesService } from '../service.js';
import { ProblemError } from '../problems.js';
import { regionOfRuleSet, requireRole } from '../auth.js';
import { jsonBody, parseQuery, parseWith } from '../validate.js';

function view(job: ImpactJob, page: { limit: number; offset: number }) {
  const { changed, ...rest } = job;
  return {
    ...rest,
    progress: job.total === 0 ? 1 : job.processed / job.total,
    changed: changed.slice(page.offset, page.offset + page.limit),
  };
}

export function impactRoutes(service: RulesService) {
  const app = new Hono();

  app.post('/', async (c) => {
    const who = requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
    const body = parseWith(ImpactBody, await jsonBody(c));
    // advisors and officers look at the impact of their own rule sets' drafts and versions
    const ruleSet = body.candidate.ruleSet;
    const allowed =
      who.role === 'demo' ||
      who.role === 'auditor' ||
      (who.role === 'policy-advisor' && regionOfRuleSet(ruleSet) === who.scope) ||
      (who.role === 'municipality-officer' && ruleSet === who.scope);
    if (!allowed) throw new ProblemError(403, 'FORBIDDEN', `${who.name} mag geen impactanalyse van ${ruleSet} doen.`);
    const { job } = service.impact.start(body);
    c.header('Location', `/api/impact/${job.id}`);
    return c.json(view(job, { limit: 0, offset: 0 }), 202);
  });

  app.get('/:id', (c) => {
    requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
    return c.json(view(service.impact.get(c.req.param('id')), parseQuery(PageQuery, c)));
  });

  app.delete('/:id', (c) => {
    requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
    return c.json(view(service.impact.cancel(c.req.param('id')), { limit: 0, offset: 0 }));
  });

  return app;
}
