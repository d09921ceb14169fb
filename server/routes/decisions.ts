/** Evaluation, the decision log, replay and the audit chain. */
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import {
  CaseJson,
  DecisionPage,
  DecisionQuery,
  EvaluatedDecision,
  EvaluateQuery,
  IdParam,
  LoggedDecision,
  Replay,
  ReplayBody,
} from '../api-schemas.js';
import { principalOf, requireRole } from '../auth.js';
import { letterHtml, letterText } from '../../engine/index.js';
import { ProblemError } from '../problems.js';
import type { DecisionRow } from '../db/log.js';
import { json, jsonText, problems, routeGroup } from '../openapi.js';
import type { RulesService } from '../service.js';
import { invalidCase } from '../validate.js';

/** The log is read by auditors and policy advisors. */
const reader: MiddlewareHandler = async (c, next) => {
  requireRole(c, 'auditor', 'policy-advisor');
  await next();
};

/** Anyone signed in may try a case; only case systems put decisions in the log. */
const evaluator: MiddlewareHandler = async (c, next) => {
  if (c.req.query('dryRun') === 'true') principalOf(c);
  else requireRole(c, 'case-system');
  await next();
};

const evaluate = createRoute({
  method: 'post',
  path: '/evaluate',
  tags: ['Decisions'],
  summary: 'Decide a case and log the decision (?dryRun=true: no log)',
  middleware: [evaluator],
  request: { query: EvaluateQuery, body: { required: true, content: json(CaseJson) } },
  bodyError: invalidCase,
  responses: {
    200: { description: 'The decision with its id in the log (null on a dry run)', content: json(EvaluatedDecision) },
    ...problems(400, 401, 403, 413),
  },
});

const searchDecisions = createRoute({
  method: 'get',
  path: '/decisions',
  tags: ['Decisions'],
  summary: 'Search the decision log, paged',
  middleware: [reader],
  request: { query: DecisionQuery },
  responses: { 200: { description: 'One page of the log', content: json(DecisionPage) }, ...problems(400, 401, 403) },
});

const getDecision = createRoute({
  method: 'get',
  path: '/decisions/{id}',
  tags: ['Decisions'],
  summary: 'A logged decision with its case',
  middleware: [reader],
  request: { params: IdParam },
  responses: {
    200: { description: 'The log entry', content: json(LoggedDecision) },
    ...problems(401, 403, 404),
  },
});

const replay = createRoute({
  method: 'post',
  path: '/decisions/{id}/replay',
  tags: ['Decisions'],
  summary: 'Replay a decision against the recorded versions, those in force, or a chosen version',
  middleware: [reader],
  request: { params: IdParam, body: { required: true, content: json(ReplayBody) } },
  responses: {
    200: { description: 'Both decisions and what differs', content: json(Replay) },
    ...problems(400, 401, 403, 404, 413, 422),
  },
});

/** A letter for the person a decision concerns; case systems fetch the letters of their own decisions. */
const letterReader: MiddlewareHandler = async (c, next) => {
  requireRole(c, 'auditor', 'policy-advisor', 'case-system');
  await next();
};

const motivation = createRoute({
  method: 'get',
  path: '/decisions/{id}/motivation',
  tags: ['Decisions'],
  summary: 'The decision as a letter to the person it concerns (Awb 3:46), as text/html or text/plain by Accept',
  middleware: [letterReader],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The letter, in Dutch',
      content: { 'text/plain': { schema: z.string() }, 'text/html': { schema: z.string() } },
    },
    ...problems(401, 403, 404),
  },
});

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

/** Evaluation, the log and replay, under /api. */
export function decisionRoutes(service: RulesService) {
  return routeGroup()
    .openapi(evaluate, async (c) => {
      const dryRun = c.req.valid('query').dryRun === 'true';
      // the log keeps the case as received, so the service gets the body before defaults
      const { json } = await service.evaluate(c.get('json'), { dryRun, by: principalOf(c).name });
      return jsonText<z.infer<typeof EvaluatedDecision>>(c, json, 200);
    })
    .openapi(searchDecisions, (c) => {
      const { limit, offset, ...filter } = c.req.valid('query');
      const { total, items } = service.store.log.page(filter, { limit, offset });
      return c.json(
        {
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
        },
        200,
      );
    })
    .openapi(getDecision, (c) => c.json(logged(service.decision(c.req.valid('param').id)), 200))
    .openapi(replay, async (c) =>
      c.json(await service.replay(c.req.valid('param').id, c.req.valid('json').against), 200),
    )
    .openapi(motivation, (c) => {
      const { id } = c.req.valid('param');
      const who = principalOf(c);
      // a case system reads the letters of the decisions it made itself, no others
      if (who.role === 'case-system' && service.decision(id).decidedBy !== who.name)
        throw new ProblemError(403, 'FORBIDDEN', `${who.name} mag alleen brieven lezen van eigen beslissingen.`);
      const letter = service.motivation(id);
      const accept = c.req.header('accept') ?? '';
      // text/html when the caller prefers it (a browser), plain text otherwise
      const html = /text\/html/.test(accept) && !/^text\/plain/.test(accept);
      c.header('Vary', 'Accept');
      return html
        ? c.body(letterHtml(letter), 200, { 'Content-Type': 'text/html; charset=utf-8' })
        : c.body(letterText(letter), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
    });
}
