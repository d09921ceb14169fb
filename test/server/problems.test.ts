/**
 * Domain errors become problem documents in one place (`server/problems.ts`): each class its
 * status, the code and issues as raised, and a conflict's details beside them.
 */
import { describe, expect, it } from 'vitest';
import {
  CaseValidationError,
  CompilationError,
  CompositionError,
  EngineError,
  RuleSetFileError,
  RuleSetValidationError,
} from '../../engine/index.js';
import { ConflictError, InvalidRequestError, NotFoundError, PreconditionRequiredError } from '../../server/errors.js';
import { statusOf } from '../../server/problems.js';
import { ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { openServer } from './harness.js';

describe('the status of each domain error', () => {
  it.each([
    [new CaseValidationError([]), 400],
    [new InvalidRequestError('INVALID_QUERY', 'x'), 400],
    [new NotFoundError('DRAFT_NOT_FOUND', 'x'), 404],
    [new ConflictError('DRAFT_CHANGED', 'x', {}), 412],
    [new PreconditionRequiredError('PRECONDITION_REQUIRED', 'x', {}), 428],
    [new RuleSetValidationError('x', []), 422],
    [new RuleSetFileError('rules/x.json', []), 422],
    [new CompositionError('VERSION_NOT_APPLICABLE', 'x'), 422],
    [new CompilationError('x'), 422],
    [new EngineError('ANYTHING', 'x'), 422],
  ] as const)('answers %s with %i', (error, status) => {
    expect(statusOf(error)).toBe(status);
  });
});

describe('problem documents from the service', () => {
  it('refuses a regional version tried on a case of the other region, at $.municipality', async () => {
    const s = await openServer();
    const res = await s.request('POST', '/api/rulesets/ijsselland/versions/2/evaluate', mijovAllocation());
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: 'VERSION_NOT_APPLICABLE',
      issues: [{ path: '$.municipality', code: 'invalid_value' }],
    });
    await s.store.close();
  });

  it('answers a municipality without a rule set in force on a date with 404', async () => {
    const s = await openServer();
    const res = await s.request('GET', '/api/municipalities/zwolle/effective?date=2010-01-01');
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('NO_RULE_SET_IN_FORCE');
    await s.store.close();
  });

  it('refuses a case dated before the first regional version on the test bench, at $.referenceDate', async () => {
    const s = await openServer();
    const res = await s.request(
      'POST',
      '/api/rulesets/zwolle/versions/1/evaluate',
      ijsselAllocation({ referenceDate: '2010-01-04', request: { startDate: '2010-01-04', endDate: undefined } }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'INVALID_CASE',
      issues: [{ path: '$.referenceDate', code: 'NO_RULE_SET_IN_FORCE' }],
    });
    await s.store.close();
  });

  it('answers a replay against a version of another rule set with VERSION_NOT_APPLICABLE', async () => {
    const s = await openServer();
    const logged = await (await s.request('POST', '/api/evaluate', ijsselAllocation())).json();
    const res = await s.request('POST', `/api/decisions/${logged.id}/replay`, {
      against: { ruleSet: 'apeldoorn', version: 1 },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('VERSION_NOT_APPLICABLE');
    await s.store.close();
  });
});
