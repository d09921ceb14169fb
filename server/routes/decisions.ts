/** Evaluation, the decision log, replay and the audit chain. */
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { stream } from 'hono/streaming';
import {
  BatchQuery,
  CaseJson,
  DecisionPage,
  DecisionQuery,
  EvaluatedDecision,
  EvaluateQuery,
  IdParam,
  LoggedDecision,
  Ndjson,
  Replay,
  ReplayBody,
} from '../api-schemas.js';
import { evaluateBatch } from '../batch.js';
import { decisionScope, principalOf, requireDecisionReader, requireRole } from '../auth.js';
import {
  fitsCaseSchema,
  letterHtml,
  letterText,
  MUNICIPALITY_CBS,
  regionOf,
  type MunicipalityId,
} from '../../engine/index.js';
import { internalError, problemOf, ProblemError } from '../problems.js';
import type { DecisionFilter } from '../db/log.js';
import { json, jsonText, problems, routeGroup } from '../openapi.js';
import type { LoggedDecisionRow, RulesService } from '../service.js';
import { hasMediaType, invalidCase } from '../validate.js';

/**
 * The log is read by auditors (all of it), policy advisors (their region's decisions),
 * municipality officers (their municipality's) and case systems (the decisions they made
 * themselves); each entry is checked against the caller's part (`requireDecisionReader`).
 */
const reader: MiddlewareHandler = async (c, next) => {
  decisionScope(c);
  await next();
};

/** Replay is analysis: auditors, advisors and officers, each within their part of the log. */
const replayer: MiddlewareHandler = async (c, next) => {
  requireRole(c, 'auditor', 'policy-advisor', 'municipality-officer');
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
  // the service validates the case with the engine's generated validator: zod only for a refusal
  acceptsBody: fitsCaseSchema,
  responses: {
    200: { description: 'The decision with its id in the log (null on a dry run)', content: json(EvaluatedDecision) },
    ...problems(400, 401, 403, 413),
  },
});

const evaluateBatchRoute = createRoute({
  method: 'post',
  path: '/evaluate/batch',
  tags: ['Decisions'],
  summary:
    'Decide a stream of cases (NDJSON, one a line) and log them (?dryRun=true: no log); answers NDJSON in input order',
  middleware: [evaluator],
  request: { query: BatchQuery, body: { required: true, content: { 'application/x-ndjson': { schema: Ndjson } } } },
  responses: {
    200: {
      description:
        'Per regel `{ "line", "id", …beslissing }` (zonder trace, tenzij ?trace=true) of `{ "line", "problem" }`; een regel wordt pas beantwoord als hij gelogd is',
      content: { 'application/x-ndjson': { schema: Ndjson } },
    },
    ...problems(400, 401, 403, 415),
  },
});

const searchDecisions = createRoute({
  method: 'get',
  path: '/decisions',
  tags: ['Decisions'],
  summary: "Search the decision log, paged; a scoped caller's search is limited to its part of the log",
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
  middleware: [replayer],
  request: { params: IdParam, body: { required: true, content: json(ReplayBody) } },
  responses: {
    200: { description: 'Both decisions and what differs', content: json(Replay) },
    ...problems(400, 401, 403, 404, 413, 422),
  },
});

const motivation = createRoute({
  method: 'get',
  path: '/decisions/{id}/motivation',
  tags: ['Decisions'],
  summary: 'The decision as a letter to the person it concerns (Awb 3:46), as text/html or text/plain by Accept',
  middleware: [reader],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The letter, in Dutch',
      content: { 'text/plain': { schema: z.string() }, 'text/html': { schema: z.string() } },
    },
    ...problems(401, 403, 404),
  },
});

/** A batch's last line when it broke off after its status was sent (no `line`: it is no line's). */
const BATCH_BROKEN_OFF = internalError(
  'De batch is afgebroken door een fout aan onze kant; de regels hierboven zijn beslist en gelogd.',
);

/** The CBS code of a logged municipality (every log entry names a known one). */
const cbsCodeOf = (municipality: string): string | null =>
  Object.hasOwn(MUNICIPALITY_CBS, municipality) ? MUNICIPALITY_CBS[municipality as MunicipalityId] : null;

/**
 * The search a caller asked for, limited to the caller's part of the log: the scope is added to
 * the query (not only checked), and a filter for another region or municipality is refused.
 */
function withinScope(c: Context, asked: DecisionFilter): DecisionFilter {
  const scope = decisionScope(c);
  const outside = (field: string, value: string) =>
    new ProblemError(403, 'FORBIDDEN', `${principalOf(c).name} mag geen beslissingen van ${value} lezen.`, [
      { path: `$.query.${field}`, message: `Buiten uw scope: ${value}.`, code: 'OUT_OF_SCOPE' },
    ]);
  if (scope.region !== undefined) {
    if (asked.region !== undefined && asked.region !== scope.region) throw outside('region', asked.region);
    if (asked.municipality !== undefined && regionOf(asked.municipality as MunicipalityId) !== scope.region)
      throw outside('municipality', asked.municipality);
  }
  if (scope.municipality !== undefined) {
    if (asked.municipality !== undefined && asked.municipality !== scope.municipality)
      throw outside('municipality', asked.municipality);
    if (asked.region !== undefined && asked.region !== regionOf(scope.municipality as MunicipalityId))
      throw outside('region', asked.region);
  }
  return { ...asked, ...scope };
}

function logged(row: LoggedDecisionRow) {
  return {
    id: row.id,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    case: row.caseJson,
    ...row.decisionJson,
    hash: row.hash,
    ...(row.traceReproducible === false ? { traceReproducible: false as const } : {}),
  };
}

/** Evaluation, the log and replay, under /api; `batchLineBytes`: bytes per batch line at most. */
export function decisionRoutes(service: RulesService, options: { batchLineBytes: number }) {
  return routeGroup()
    .openapi(evaluate, async (c) => {
      const dryRun = c.req.valid('query').dryRun === 'true';
      // the case as received (the log keeps it so), validated by the service: see `acceptsBody`
      const { json } = await service.evaluate(c.get('json'), { dryRun, by: principalOf(c).name });
      return jsonText<z.infer<typeof EvaluatedDecision>>(c, json, 200);
    })
    .openapi(evaluateBatchRoute, async (c) => {
      const query = c.req.valid('query');
      const type = c.req.header('content-type');
      if (!hasMediaType(type, 'application/x-ndjson'))
        throw new ProblemError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Stuur de batch als application/x-ndjson (een casus per regel)${type ? `, niet als ${type.slice(0, 100)}` : ' (Content-Type ontbreekt)'}.`,
          [{ path: '$', message: 'Content-Type: application/x-ndjson', code: 'UNSUPPORTED_MEDIA_TYPE' }],
        );
      const body = c.req.raw.body;
      if (!body) throw new ProblemError(400, 'EMPTY_BATCH', 'De batch is leeg: stuur een casus per regel.');
      const batch = evaluateBatch(service, body, {
        dryRun: query.dryRun === 'true',
        trace: query.trace === 'true',
        by: principalOf(c).name,
        maxLineBytes: options.batchLineBytes,
      });
      // the first chunk before the status: a batch that cannot start is an ordinary problem answer
      const first = await batch.next();
      c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
      // `as never`: @hono/zod-openapi reads `application/x-ndjson` as a JSON media type that no
      // response can match (its `application/…json` pattern) and types the 200 as never
      let gone = false;
      c.req.raw.signal.addEventListener('abort', () => (gone = true));
      return stream(
        c,
        async (out) => {
          out.onAbort(() => {
            gone = true;
          });
          try {
            if (!first.done) await out.write(first.value);
            // `for await` stops the batch (its `return()`) when the client is gone
            for await (const text of batch) {
              if (gone) break;
              await out.write(text);
            }
          } finally {
            await batch.return(undefined);
          }
        },
        async (error, out) => {
          // a client that went away ends its request body too: that is how a batch stops, no error
          if (gone || out.aborted) return;
          // the status was sent: the failure is the answer's last line
          console.error(error);
          const problem = problemOf(BATCH_BROKEN_OFF);
          await out.write(`${JSON.stringify({ problem })}\n`);
        },
      ) as never;
    })
    .openapi(searchDecisions, async (c) => {
      const { limit, offset, ...asked } = c.req.valid('query');
      const { total, items } = await service.store.log.page(withinScope(c, asked), { limit, offset });
      return c.json(
        {
          total,
          limit,
          offset,
          items: items.map((r) => ({
            id: r.id,
            municipality: r.municipality,
            municipalityCode: cbsCodeOf(r.municipality),
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
    .openapi(getDecision, async (c) => {
      const row = await service.decision(c.req.valid('param').id);
      requireDecisionReader(c, row);
      return c.json(logged(row), 200);
    })
    .openapi(replay, async (c) => {
      const { id } = c.req.valid('param');
      requireDecisionReader(c, await service.decision(id));
      return c.json(await service.replay(id, c.req.valid('json').against), 200);
    })
    .openapi(motivation, async (c) => {
      const { id } = c.req.valid('param');
      // a case system reads the letters of the decisions it made itself, an officer those of the
      // municipality, an advisor those of the region
      requireDecisionReader(c, await service.decision(id));
      const letter = await service.motivation(id);
      const accept = c.req.header('accept') ?? '';
      // text/html when the caller prefers it (a browser), plain text otherwise
      const html = /text\/html/.test(accept) && !/^text\/plain/.test(accept);
      c.header('Vary', 'Accept');
      return html
        ? c.body(letterHtml(letter), 200, { 'Content-Type': 'text/html; charset=utf-8' })
        : c.body(letterText(letter), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
    });
}
