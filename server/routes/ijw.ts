/**
 * iJw messages: a JW315 request for an allocation, read as a case, decided and logged like
 * `POST /api/evaluate`, answered with the decision and a JW301-shaped allocation or the WJ760/WJ759
 * answer. The BSN a message may carry is dropped before the case is made, so it is never logged.
 */
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { type Decision, type Issue, jw315Answer, jw315ToCase, type Jw315Request } from '../../engine/index.js';
import { EvaluateQuery, Jw315RequestJson, Jw315Response } from '../api-schemas.js';
import { principalOf, requireRole } from '../auth.js';
import { ProblemError } from '../problems.js';
import { json, problems, routeGroup } from '../openapi.js';
import type { RulesService } from '../service.js';

/** A message whose fields or codes are not valid, each issue at its path in the message. */
const invalidMessage = (issues: Issue[]) =>
  new ProblemError(400, 'INVALID_JW315', 'Het JW315-bericht is niet geldig.', issues);

/** As for /evaluate: anyone signed in may try a message; only case systems log decisions. */
const evaluator: MiddlewareHandler = async (c, next) => {
  if (c.req.query('dryRun') === 'true') principalOf(c);
  else requireRole(c, 'case-system');
  await next();
};

const jw315 = createRoute({
  method: 'post',
  path: '/ijw/jw315',
  tags: ['iJw'],
  summary: 'Decide a JW315 request (JSON form) and answer a JW301-shaped allocation or the refusal',
  middleware: [evaluator],
  request: { query: EvaluateQuery, body: { required: true, content: json(Jw315RequestJson) } },
  bodyError: invalidMessage,
  responses: {
    200: { description: 'The decision, the case it was read as, and the iJw answer', content: json(Jw315Response) },
    ...problems(400, 401, 403, 413),
  },
});

export function ijwRoutes(service: RulesService) {
  return routeGroup().openapi(jw315, async (c) => {
    const dryRun = c.req.valid('query').dryRun === 'true';
    const read = jw315ToCase(c.get('json'), (await service.engine()).repository);
    if (!read.ok) throw invalidMessage(read.issues);
    const { json: text } = await service.evaluate(read.case, { dryRun, by: principalOf(c).name });
    const decision = JSON.parse(text) as Decision & { id: string | null };
    const message: Jw315Request = read.message;
    return c.json(
      {
        decision,
        case: read.case as z.infer<typeof Jw315Response>['case'],
        antwoord: jw315Answer(message, decision, decision.id),
      },
      200,
    );
  });
}
