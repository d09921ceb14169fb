/**
 * Verifying the store (a job in a worker thread, with progress) and the log's signed
 * checkpoints, under /api/audit.
 */
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  ChainVerification,
  CheckpointList,
  GovernanceList,
  GovernanceQuery,
  IdParam,
  PageQuery,
  VerifyJobView,
} from '../api-schemas.js';
import { principalOf, regionOfRuleSet, requireRole } from '../auth.js';
import type { VerifyJob } from '../audit.js';
import { checkpointText } from '../integrity.js';
import { json, problems, routeGroup } from '../openapi.js';
import type { RulesService } from '../service.js';

/** The log is verified by auditors and policy advisors, who read it. */
const reader: MiddlewareHandler = async (c, next) => {
  requireRole(c, 'auditor', 'policy-advisor');
  await next();
};

const verifyNow = createRoute({
  method: 'get',
  path: '/verify',
  tags: ['Audit'],
  summary:
    'Verify the log, its signed checkpoints and the published versions, and wait for the result (POST starts a job instead)',
  middleware: [reader],
  responses: { 200: { description: 'The outcome', content: json(ChainVerification) }, ...problems(401, 403) },
});

const startVerify = createRoute({
  method: 'post',
  path: '/verify',
  tags: ['Audit'],
  summary: 'Start verifying the store in a worker thread (joins a verification already running)',
  middleware: [reader],
  responses: {
    202: {
      description: 'The job; poll the Location',
      headers: { Location: { schema: { type: 'string' }, description: 'The job' } },
      content: json(VerifyJobView),
    },
    ...problems(401, 403),
  },
});

const getVerify = createRoute({
  method: 'get',
  path: '/verify/{id}',
  tags: ['Audit'],
  summary: 'Progress and result of a verification',
  middleware: [reader],
  request: { params: IdParam },
  responses: { 200: { description: 'The job', content: json(VerifyJobView) }, ...problems(401, 403, 404) },
});

const checkpoints = createRoute({
  method: 'get',
  path: '/checkpoints',
  tags: ['Audit'],
  summary: "The log's signed checkpoints, newest first, with the public key to check them elsewhere",
  middleware: [reader],
  request: { query: PageQuery },
  responses: { 200: { description: 'Checkpoints', content: json(CheckpointList) }, ...problems(400, 401, 403) },
});

const governance = createRoute({
  method: 'get',
  path: '/governance',
  tags: ['Audit'],
  summary:
    'Every submit, approval and rejection of a draft (who, when, change note or comment, content hash, the impact the approver saw), newest first; ?ruleSet= and ?draftId= narrow it',
  middleware: [reader],
  request: { query: GovernanceQuery },
  responses: { 200: { description: 'The events', content: json(GovernanceList) }, ...problems(400, 401, 403) },
});

function view(job: VerifyJob) {
  return { ...job, progress: job.status !== 'running' ? 1 : job.total === 0 ? 0 : job.processed / job.total };
}

export function auditRoutes(service: RulesService) {
  return routeGroup()
    .openapi(verifyNow, async (c) => {
      const job = await (await service.verification.start(principalOf(c).name)).done;
      if (!job.result) throw new Error(job.error ?? 'De controle van het logboek mislukte.');
      return c.json(job.result, 200);
    })
    .openapi(startVerify, async (c) => {
      const { job } = await service.verification.start(principalOf(c).name);
      c.header('Location', `/api/audit/verify/${job.id}`);
      return c.json(view(job), 202);
    })
    .openapi(governance, async (c) => {
      const { ruleSet, draftId } = c.req.valid('query');
      const p = principalOf(c);
      // a policy advisor sees the region's own rule sets and its municipalities' overlays
      const events = (await service.governanceEvents({ ruleSetId: ruleSet, draftId })).filter(
        (e) => p.role !== 'policy-advisor' || regionOfRuleSet(e.ruleSetId) === p.scope,
      );
      return c.json({ events }, 200);
    })
    .openapi(getVerify, async (c) => c.json(view(await service.verification.get(c.req.valid('param').id)), 200))
    .openapi(checkpoints, async (c) => {
      const { limit, offset } = c.req.valid('query');
      const { signer } = service.checkpointer;
      return c.json(
        {
          algorithm: 'Ed25519' as const,
          keyId: signer.keyId,
          publicKey: signer.publicKeyPem,
          signedText: checkpointText({ seq: '{seq}' as never, headHash: '{headHash}', at: '{at}' }),
          limit,
          offset,
          items: await service.store.checkpoints.page({ limit, offset }),
        },
        200,
      );
    });
}
