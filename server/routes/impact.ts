/** Impact analysis jobs: start, poll progress and results (paged), cancel. */
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { IdParam, ImpactBody, ImpactJobView, PageQuery } from '../api-schemas.js';
import { regionOfRuleSet, requireRole } from '../auth.js';
import type { ImpactJob } from '../impact.js';
import { json, problems, routeGroup } from '../openapi.js';
import { ProblemError } from '../problems.js';
import type { RulesService } from '../service.js';

const analyst: MiddlewareHandler = async (c, next) => {
  requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
  await next();
};

const startImpact = createRoute({
  method: 'post',
  path: '/',
  tags: ['Impact analysis'],
  summary: 'Start an impact analysis of a draft or version over logged decisions',
  middleware: [analyst],
  request: { body: { required: true, content: json(ImpactBody) } },
  responses: {
    202: {
      description: 'The job; poll the Location',
      headers: { Location: { schema: { type: 'string' }, description: 'The job' } },
      content: json(ImpactJobView),
    },
    ...problems(400, 401, 403, 404, 413, 422, 429),
  },
});

const getImpact = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Impact analysis'],
  summary: 'Progress and results of an impact analysis (changed decisions paged)',
  middleware: [analyst],
  request: { params: IdParam, query: PageQuery },
  responses: { 200: { description: 'The job', content: json(ImpactJobView) }, ...problems(400, 401, 403, 404) },
});

const cancelImpact = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Impact analysis'],
  summary: 'Cancel a running impact analysis',
  middleware: [analyst],
  request: { params: IdParam },
  responses: { 200: { description: 'The job', content: json(ImpactJobView) }, ...problems(401, 403, 404) },
});

/**
 * May the caller see (and cancel) a job? Auditors all of them; a policy advisor those of the
 * region's rule sets (the region's and its municipalities' overlays); a municipality officer
 * those of the municipality's overlay.
 */
function visibleJob(c: Context, job: ImpactJob): ImpactJob {
  const who = requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
  const ruleSet = job.candidate.ruleSet;
  const allowed =
    who.role === 'demo' ||
    who.role === 'auditor' ||
    (who.role === 'policy-advisor' && regionOfRuleSet(ruleSet) === who.scope) ||
    (who.role === 'municipality-officer' && ruleSet === who.scope);
  if (!allowed)
    throw new ProblemError(403, 'FORBIDDEN', `${who.name} mag deze impactanalyse van ${ruleSet} niet zien.`);
  return job;
}

function view(job: ImpactJob, page: { limit: number; offset: number }) {
  const { changed, startedBy, ...rest } = job;
  return {
    ...rest,
    startedBy: startedBy.name,
    progress: job.total === 0 ? 1 : job.processed / job.total,
    changed: changed.slice(page.offset, page.offset + page.limit),
  };
}

/** Impact analysis jobs, under /api/impact. */
export function impactRoutes(service: RulesService) {
  return routeGroup()
    .openapi(startImpact, async (c) => {
      const who = requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
      const body = c.req.valid('json');
      // advisors and officers look at the impact of their own rule sets' drafts and versions
      const ruleSet = body.candidate.ruleSet;
      const allowed =
        who.role === 'demo' ||
        who.role === 'auditor' ||
        (who.role === 'policy-advisor' && regionOfRuleSet(ruleSet) === who.scope) ||
        (who.role === 'municipality-officer' && ruleSet === who.scope);
      if (!allowed) throw new ProblemError(403, 'FORBIDDEN', `${who.name} mag geen impactanalyse van ${ruleSet} doen.`);
      const { job } = await service.impact.start(body, {}, { name: who.name, role: who.role, scope: who.scope });
      c.header('Location', `/api/impact/${job.id}`);
      return c.json(view(job, { limit: 0, offset: 0 }), 202);
    })
    .openapi(getImpact, async (c) =>
      c.json(view(visibleJob(c, await service.impact.get(c.req.valid('param').id)), c.req.valid('query')), 200),
    )
    .openapi(cancelImpact, async (c) => {
      const { id } = c.req.valid('param');
      visibleJob(c, await service.impact.get(id));
      return c.json(view(await service.impact.cancel(id), { limit: 0, offset: 0 }), 200);
    });
}
