/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the engine and the routes use,
 * and a readable page listing the endpoints.
 */
import { z } from 'zod';
import { Case, Decision, RuleSetDocument } from '../engine/index.js';
import { DecisionQuery, ImpactBody, Problem, PublishBody, ReplayBody, TestCaseBody } from './api-schemas.js';
import { LoginBody, TokenBody, UserBody } from './routes/auth.js';

interface Endpoint {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  body?: string;
  response?: string;
  params?: string[];
}

const ENDPOINTS: Endpoint[] = [
  {
    method: 'post',
    path: '/api/evaluate',
    summary: 'Decide a case and log the decision (?dryRun=true: no log).',
    body: 'Case',
    response: 'Decision',
  },
  {
    method: 'get',
    path: '/api/decisions',
    summary: 'Search the decision log: municipality, region, outcome, reasonCode, from, to; paged (limit, offset).',
  },
  { method: 'get', path: '/api/decisions/{id}', summary: 'A logged decision with its case.', params: ['id'] },
  {
    method: 'post',
    path: '/api/decisions/{id}/replay',
    summary: 'Replay a decision against the recorded versions, those in force, or a chosen version.',
    body: 'ReplayBody',
    params: ['id'],
  },
  {
    method: 'get',
    path: '/api/audit/verify',
    summary: 'Recompute the decision log hash chain; report the first broken link.',
  },
  {
    method: 'get',
    path: '/api/rulesets',
    summary: 'Rule sets with their versions, validity ranges, status and drafts.',
  },
  { method: 'get', path: '/api/rulesets/{id}/versions', summary: 'The versions of one rule set.', params: ['id'] },
  {
    method: 'get',
    path: '/api/rulesets/{id}/versions/{n}',
    summary: "One version's document.",
    response: 'RuleSetDocument',
    params: ['id', 'n'],
  },
  {
    method: 'get',
    path: '/api/rulesets/{id}/versions/{n}/export',
    summary: 'A version as a file in the rules/ layout.',
    params: ['id', 'n'],
  },
  {
    method: 'get',
    path: '/api/rulesets/{id}/diff',
    summary: 'Structural diff: ?from=N|draft:ID&to=N|draft:ID.',
    params: ['id'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/drafts',
    summary: 'Create a draft; answers its ETag.',
    body: 'RuleSetDocument',
    params: ['id'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/import',
    summary: 'Import a rule set file as a draft (validated like any draft).',
    body: 'RuleSetDocument',
    params: ['id'],
  },
  {
    method: 'get',
    path: '/api/rulesets/{id}/drafts/{draftId}',
    summary: 'A draft with its ETag.',
    params: ['id', 'draftId'],
  },
  {
    method: 'put',
    path: '/api/rulesets/{id}/drafts/{draftId}',
    summary: 'Replace a draft; If-Match required (428 without, 412 when stale).',
    body: 'RuleSetDocument',
    params: ['id', 'draftId'],
  },
  {
    method: 'delete',
    path: '/api/rulesets/{id}/drafts/{draftId}',
    summary: 'Discard a draft.',
    params: ['id', 'draftId'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/drafts/{draftId}/validate',
    summary: 'Validate a draft as it would be published (?validFrom=).',
    params: ['id', 'draftId'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/drafts/{draftId}/publish',
    summary: 'Publish a draft as the next immutable version.',
    body: 'PublishBody',
    params: ['id', 'draftId'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/drafts/{draftId}/evaluate',
    summary: 'Decide a case with the draft in place of the version in force (not logged).',
    body: 'Case',
    response: 'Decision',
    params: ['id', 'draftId'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/versions/{n}/evaluate',
    summary: 'Decide a case with a chosen version (not logged).',
    body: 'Case',
    response: 'Decision',
    params: ['id', 'n'],
  },
  { method: 'get', path: '/api/rulesets/{id}/tests', summary: 'The test cases saved with a rule set.', params: ['id'] },
  {
    method: 'post',
    path: '/api/rulesets/{id}/tests',
    summary: 'Save a test case: a case with its expected outcome and reason codes.',
    body: 'TestCaseBody',
    params: ['id'],
  },
  {
    method: 'delete',
    path: '/api/rulesets/{id}/tests/{testId}',
    summary: 'Delete a test case.',
    params: ['id', 'testId'],
  },
  {
    method: 'post',
    path: '/api/rulesets/{id}/tests/run',
    summary: 'Run every test case against ?draftId= or ?version=: a pass/fail list.',
    params: ['id'],
  },
  {
    method: 'get',
    path: '/api/municipalities/{id}/effective',
    summary: 'The versions in force for a municipality on ?date=.',
    params: ['id'],
  },
  {
    method: 'post',
    path: '/api/impact',
    summary: 'Start an impact analysis of a draft or version over logged decisions (202, job).',
    body: 'ImpactBody',
  },
  {
    method: 'get',
    path: '/api/impact/{id}',
    summary: 'Progress and results of an impact analysis (changed decisions paged).',
    params: ['id'],
  },
  { method: 'delete', path: '/api/impact/{id}', summary: 'Cancel a running impact analysis.', params: ['id'] },
  {
    method: 'get',
    path: '/api/schemas/{name}',
    summary: 'The JSON Schemas generated from the zod schemas (ruleset, case, decision).',
    params: ['name'],
  },
  {
    method: 'post',
    path: '/api/tokens',
    summary: 'Create an API token (admin): { role, scope?, name, expiresAt? } → { token }, shown once.',
    body: 'TokenBody',
  },
  { method: 'get', path: '/api/tokens', summary: 'List tokens without their secrets (admin).' },
  { method: 'delete', path: '/api/tokens/{id}', summary: 'Revoke a token (admin).', params: ['id'] },
  { method: 'post', path: '/api/users', summary: 'Create an editor user (admin).', body: 'UserBody' },
  {
    method: 'delete',
    path: '/api/users/{username}',
    summary: 'Disable a user and end their sessions (admin).',
    params: ['username'],
  },
  { method: 'get', path: '/api/session', summary: 'Who is calling; whether the service runs as a local demo.' },
  {
    method: 'post',
    path: '/api/session',
    summary: 'Log in to the editor (session cookie and CSRF token).',
    body: 'LoginBody',
  },
  { method: 'delete', path: '/api/session', summary: 'Log out.' },
];

const SCHEMAS: Record<string, z.ZodType> = {
  Case,
  Decision,
  RuleSetDocument,
  Problem,
  PublishBody,
  ReplayBody,
  ImpactBody,
  DecisionQuery,
  TestCaseBody,
  TokenBody,
  UserBody,
  LoginBody,
};

export function openApiDocument() {
  const components = Object.fromEntries(
    Object.entries(SCHEMAS).map(([name, schema]) => {
      const { $schema: _ignored, ...json } = z.toJSONSchema(schema, {
        io: 'input',
        unrepresentable: 'any',
        reused: 'inline',
        target: 'draft-2020-12',
      }) as Record<string, unknown>;
      return [name, json];
    }),
  );
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const problem = {
    description: 'Problem (RFC 9457)',
    content: { 'application/problem+json': { schema: ref('Problem') } },
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    paths[e.path] ??= {};
    paths[e.path]![e.method] = {
      summary: e.summary,
      parameters: (e.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(e.body) } } } } : {}),
      responses: {
        '200': {
          description: 'OK',
          ...(e.response ? { content: { 'application/json': { schema: ref(e.response) } } } : {}),
        },
        '400': problem,
        '404': problem,
        '422': problem,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jeugdzorg-regels API',
      version: '0.1.0',
      description: 'Versioned, explainable rule sets for Dutch youth-care procurement.',
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (POST /api/tokens) or RULES_ADMIN_TOKEN.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'jr_session',
          description: 'Editor session; writes also need the X-CSRF-Token header.',
        },
      },
    },
  };
}

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

export function docsPage(): string {
  const rows = ENDPOINTS.map(
    (e) =>
      `<tr><td><code>${e.method.toUpperCase()}</code></td><td><code>${escape(e.path)}</code></td><td>${escape(e.summary)}</td></tr>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jeugdzorg-regels API</title><link rel="icon" href="/favicon.svg">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}</style></head>
<body><h1>Jeugdzorg-regels API</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> (RFC 9457) with the JSON path of every invalid field.</p>
<table>${rows}</table></body></html>`;
}
