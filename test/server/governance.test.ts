/**
 * Release governance through the API with accounts: four eyes (submit by one advisor, approve by
 * another), frozen submitted drafts, rejection with a comment, the semantic diff and the static
 * analysis of a draft, the governance chain in `verify`, and FOUR_EYES=off.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ijsselAllocation } from '../support/factories.js';
import { bearer, openServer, tokenMaker } from './harness.js';

const ADMIN = 'bootstrap-admin-token-for-governance';
const s = await openServer(undefined, { adminToken: ADMIN, service: { fourEyes: true } });
afterAll(() => s.store.close());

const tokens: Record<string, string> = {};

const makeToken = tokenMaker(s, ADMIN);

beforeAll(async () => {
  tokens.a = await makeToken('Anna (RSJ IJsselland)', 'policy-advisor', 'ijsselland');
  tokens.b = await makeToken('Bas (RSJ IJsselland)', 'policy-advisor', 'ijsselland');
  tokens.other = await makeToken('Bert (Zorgregio)', 'policy-advisor', 'midden-ijssel-oost-veluwe');
  tokens.auditor = await makeToken('Eva (rekenkamer)', 'auditor');
});

const as = (who: string) => bearer(tokens[who]!);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
async function latestIjsselland(): Promise<Doc> {
  return (await s.request('GET', '/api/rulesets/ijsselland/versions/2', undefined, as('auditor'))).json();
}

async function createDraft(mutate: (d: Doc) => void = () => {}): Promise<{ draftId: string; etag: string }> {
  const document = await latestIjsselland();
  delete document.version;
  delete document.validFrom;
  mutate(document);
  const res = await s.request('POST', '/api/rulesets/ijsselland/drafts', document, as('a'));
  expect(res.status).toBe(201);
  return res.json();
}

const base = (draftId: string) => `/api/rulesets/ijsselland/drafts/${draftId}`;
const minAge6 = (d: Doc) => {
  d.parameters['dyslexia.minAge'].value = 6;
};

describe('the semantic diff of a draft', () => {
  it('dyslexia.minAge from 7 to 6 is exactly one change, in Dutch with 7 and 6', async () => {
    const { draftId } = await createDraft(minAge6);
    const res = await s.request('GET', `${base(draftId)}/diff`, undefined, as('b'));
    expect(res.status).toBe(200);
    const { changes } = await res.json();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      path: "$.parameters['dyslexia.minAge'].value",
      kind: 'changed',
      before: 7,
      after: 6,
      group: { kind: 'parameter', id: 'dyslexia.minAge' },
    });
    expect(changes[0].text).toMatch(/7.*6/);
  });

  it('a draft that changes nothing has no changes', async () => {
    const { draftId } = await createDraft();
    const { changes } = await (await s.request('GET', `${base(draftId)}/diff`, undefined, as('a'))).json();
    expect(changes).toEqual([]);
  });
});

describe('four eyes', () => {
  it('A submits, may not approve, cannot change it; B approves and the version carries both names', async () => {
    const { draftId } = await createDraft(minAge6);
    const submitted = await s.request(
      'POST',
      `${base(draftId)}/submit`,
      { validFrom: '2027-01-01', changeNote: 'Dyslexiezorg vanaf 6 jaar' },
      as('a'),
    );
    expect(submitted.status).toBe(200);
    expect(await submitted.json()).toMatchObject({
      status: 'submitted',
      submittedBy: 'Anna (RSJ IJsselland)',
      submittedValidFrom: '2027-01-01',
      changeNote: 'Dyslexiezorg vanaf 6 jaar',
    });

    const own = await s.request('POST', `${base(draftId)}/approve`, {}, as('a'));
    expect(own.status).toBe(403);
    expect((await own.json()).code).toBe('FOUR_EYES_REQUIRED');

    const current = await s.request('GET', base(draftId), undefined, as('a'));
    const put = await s.request('PUT', base(draftId), (await current.json()).document, {
      ...as('a'),
      'if-match': current.headers.get('etag')!,
    });
    expect(put.status).toBe(409);
    expect((await put.json()).code).toBe('DRAFT_AWAITING_APPROVAL');

    const again = await s.request(
      'POST',
      `${base(draftId)}/submit`,
      { validFrom: '2027-01-01', changeNote: 'x' },
      as('a'),
    );
    expect(again.status).toBe(409);

    const byOtherRegion = await s.request('POST', `${base(draftId)}/approve`, {}, as('other'));
    expect(byOtherRegion.status).toBe(403);

    const approved = await s.request('POST', `${base(draftId)}/approve`, undefined, as('b'));
    expect(approved.status).toBe(201);
    const body = await approved.json();
    expect(body).toMatchObject({
      version: 3,
      validFrom: '2027-01-01',
      submittedBy: 'Anna (RSJ IJsselland)',
      approvedBy: 'Bas (RSJ IJsselland)',
      changeNote: 'Dyslexiezorg vanaf 6 jaar',
    });

    const list = await (await s.request('GET', '/api/rulesets', undefined, as('auditor'))).json();
    const v3 = (await list.ruleSets.find((r: Doc) => r.id === 'ijsselland')).versions.find((v: Doc) => v.version === 3);
    expect(v3).toMatchObject({
      submittedBy: 'Anna (RSJ IJsselland)',
      approvedBy: 'Bas (RSJ IJsselland)',
      changeNote: 'Dyslexiezorg vanaf 6 jaar',
    });
    const document = await (await s.request('GET', '/api/rulesets/ijsselland/versions/3', undefined, as('a'))).json();
    expect(document.changes).toEqual(['Dyslexiezorg vanaf 6 jaar']);
    expect(document.parameters['dyslexia.minAge'].value).toBe(6);

    const events = (
      await (await s.request('GET', `/api/audit/governance?draftId=${draftId}`, undefined, as('auditor'))).json()
    ).events;
    expect(events.map((e: Doc) => [e.kind, e.by, e.note])).toEqual([
      ['approve', 'Bas (RSJ IJsselland)', 'Dyslexiezorg vanaf 6 jaar'],
      ['submit', 'Anna (RSJ IJsselland)', 'Dyslexiezorg vanaf 6 jaar'],
    ]);
    expect(events[0].version).toBe(3);
    expect(events[1].draftHash).toMatch(/^sha256:/);

    const verify = await (await s.request('GET', '/api/audit/verify', undefined, as('auditor'))).json();
    expect(verify.ok).toBe(true);
    expect(verify.governance).toMatchObject({ checked: 2, checkpoints: 4 });
  });

  it('publishing directly answers 409 APPROVAL_REQUIRED', async () => {
    const { draftId } = await createDraft();
    const res = await s.request('POST', `${base(draftId)}/publish`, { validFrom: '2028-01-01', changes: 'x' }, as('a'));
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('APPROVAL_REQUIRED');
    const session = await (await s.request('GET', '/api/session', undefined, as('a'))).json();
    expect(session.fourEyes).toBe(true);
  });

  it('a rejection makes the draft editable with its comment, and a second submit works', async () => {
    const { draftId } = await createDraft((d) => {
      d.parameters['dyslexia.minAge'].value = 8;
    });
    expect(
      (await s.request('POST', `${base(draftId)}/submit`, { validFrom: '2028-01-01', changeNote: 'Later' }, as('a')))
        .status,
    ).toBe(200);
    const notSubmitted = await s.request('POST', `${base(draftId)}/reject`, { comment: '' }, as('b'));
    expect(notSubmitted.status).toBe(400);
    const rejected = await s.request(
      'POST',
      `${base(draftId)}/reject`,
      { comment: 'Eerst overleg met de gemeenten' },
      as('b'),
    );
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({
      status: 'editing',
      rejectedBy: 'Bas (RSJ IJsselland)',
      rejectionComment: 'Eerst overleg met de gemeenten',
    });
    const current = await s.request('GET', base(draftId), undefined, as('a'));
    const document = (await current.json()).document;
    document.parameters['dyslexia.minAge'].value = 7;
    const put = await s.request('PUT', base(draftId), document, {
      ...as('a'),
      'if-match': current.headers.get('etag')!,
    });
    expect(put.status).toBe(200);
    expect((await put.json()).rejectionComment).toBe('Eerst overleg met de gemeenten');
    const second = await s.request(
      'POST',
      `${base(draftId)}/submit`,
      { validFrom: '2028-01-01', changeNote: 'Na overleg' },
      as('a'),
    );
    expect(second.status).toBe(200);
    const approveUnsubmitted = await s.request('POST', `${base(draftId)}/reject`, { comment: 'nee' }, as('b'));
    expect(approveUnsubmitted.status).toBe(200);
    const events = (
      await (await s.request('GET', `/api/audit/governance?draftId=${draftId}`, undefined, as('auditor'))).json()
    ).events;
    expect(events.map((e: Doc) => e.kind)).toEqual(['reject', 'submit', 'reject', 'submit']);
    expect(events[2].note).toBe('Eerst overleg met de gemeenten');
    const approveRejected = await s.request('POST', `${base(draftId)}/approve`, {}, as('b'));
    expect(approveRejected.status).toBe(409);
  });
});

describe('analysis', () => {
  it('RULE_UNTESTED names the rules no saved test case makes fire, and only those', async () => {
    const { draftId } = await createDraft((d) => {
      d.rules.push({
        id: 'test.nooit',
        kind: 'eligibility',
        code: 'TEST_RULE',
        effect: 'reject',
        message: 'Testregel.',
        source: { document: 'test', section: '§1' },
        conditions: { all: [{ fact: 'ageYears', operator: 'greaterThan', value: 150 }] },
      });
    });
    // one saved test case, which makes a rule fire
    const tc = await s.request(
      'POST',
      '/api/rulesets/ijsselland/tests',
      {
        name: 'crisis te lang',
        case: JSON.parse(readFileSync('test/fixtures/examples/crisis-too-long.json', 'utf8')),
        expected: { outcome: 'rejected', codes: ['CRISIS_TOO_LONG'] },
      },
      as('b'),
    );
    expect(tc.status).toBe(201);
    const analysis = await (await s.request('GET', `${base(draftId)}/analysis`, undefined, as('a'))).json();
    expect(analysis.tests.passed + analysis.tests.failed).toBe(1);
    const untested = analysis.findings.filter((f: Doc) => f.code === 'RULE_UNTESTED').map((f: Doc) => f.ruleId);
    expect(untested).toContain('test.nooit');
    // the rules the test cases fire (the same run, through its own route) are not reported
    const run = await (
      await s.request('POST', `/api/rulesets/ijsselland/tests/run?draftId=${draftId}`, undefined, as('a'))
    ).json();
    const fired = new Set(run.results.flatMap((r: Doc) => r.ruleIds as string[]));
    expect(fired.size).toBeGreaterThan(0);
    for (const id of fired) expect(untested).not.toContain(id);
    await s.request('DELETE', `/api/rulesets/ijsselland/tests/${(await tc.json()).id}`, undefined, as('b'));
  });

  it('a rule requiring age < 7 and age ≥ 13: RULE_UNSATISFIABLE, and submitting it is refused', async () => {
    const { draftId } = await createDraft((d) => {
      d.rules.push({
        id: 'test.onmogelijk',
        kind: 'eligibility',
        code: 'TEST_RULE',
        effect: 'reject',
        message: 'Testregel.',
        source: { document: 'test', section: '§1' },
        conditions: {
          all: [
            { fact: 'ageYears', operator: 'lessThan', value: 7 },
            { fact: 'ageYears', operator: 'greaterThanInclusive', value: 13 },
          ],
        },
      });
    });
    const analysis = await (await s.request('GET', `${base(draftId)}/analysis`, undefined, as('a'))).json();
    expect(analysis.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'RULE_UNSATISFIABLE', ruleId: 'test.onmogelijk' }),
    );
    const submit = await s.request(
      'POST',
      `${base(draftId)}/submit`,
      { validFrom: '2029-01-01', changeNote: 'x' },
      as('a'),
    );
    expect(submit.status).toBe(422);
    const problem = await submit.json();
    expect(problem.code).toBe('ANALYSIS_FAILED');
    expect(problem.findings.map((f: Doc) => f.code)).toEqual(['RULE_UNSATISFIABLE']);
    const draft = await (await s.request('GET', base(draftId), undefined, as('a'))).json();
    expect(draft.status).toBe('editing');
  });

  it('removing a tariff the rules can grant: TARIFF_MISSING, and submitting it is refused', async () => {
    const { draftId } = await createDraft((d) => {
      d.tariffs.middleSegment = d.tariffs.middleSegment.filter(
        (t: Doc) => !(t.profile === 4 && t.intensity === 'intensief'),
      );
    });
    const analysis = await (await s.request('GET', `${base(draftId)}/analysis`, undefined, as('a'))).json();
    expect(analysis.findings.map((f: Doc) => f.code)).toContain('TARIFF_MISSING');
    const submit = await s.request(
      'POST',
      `${base(draftId)}/submit`,
      { validFrom: '2029-01-01', changeNote: 'x' },
      as('a'),
    );
    expect(submit.status).toBe(422);
    expect((await submit.json()).code).toBe('ANALYSIS_FAILED');
  });

  it('a failing test case of the rule set stops a submit too', async () => {
    const { draftId } = await createDraft();
    const tc = await s.request(
      'POST',
      '/api/rulesets/ijsselland/tests',
      {
        name: 'verwacht iets anders',
        case: ijsselAllocation(),
        expected: { outcome: 'rejected', codes: ['NOPE'] },
      },
      as('b'),
    );
    expect(tc.status).toBe(201);
    const testId = (await tc.json()).id;
    const submit = await s.request(
      'POST',
      `${base(draftId)}/submit`,
      { validFrom: '2029-01-01', changeNote: 'x' },
      as('a'),
    );
    expect(submit.status).toBe(422);
    expect((await submit.json()).failedTests.map((t: Doc) => t.id)).toEqual([testId]);
    await s.request('DELETE', `/api/rulesets/ijsselland/tests/${testId}`, undefined, as('b'));
  });
});

describe('the rule sets in rules/', () => {
  it('have no error finding as drafts of their latest version', async () => {
    const { ruleSets } = await (await s.request('GET', '/api/rulesets', undefined, as('auditor'))).json();
    for (const r of ruleSets as Doc[]) {
      const { version } = r.versions.at(-1);
      const document = await (
        await s.request('GET', `/api/rulesets/${r.id}/versions/${version}`, undefined, as('auditor'))
      ).json();
      const draft = await s.service.createDraft(r.id, document, 'test');
      const { findings } = await s.service.analyseDraft(r.id, draft.id);
      expect(
        findings.filter((f) => f.severity === 'error'),
        r.id,
      ).toEqual([]);
      await s.service.deleteDraft(r.id, draft.id);
    }
  });
});

describe('FOUR_EYES=off', () => {
  it('publishes directly as before, and the session says so', async () => {
    const off = await openServer(undefined, { adminToken: ADMIN, service: { fourEyes: false } });
    try {
      const token = (
        await (
          await off.request(
            'POST',
            '/api/tokens',
            { name: 'Anna', role: 'policy-advisor', scope: 'ijsselland' },
            bearer(ADMIN),
          )
        ).json()
      ).token as string;
      const document = await (
        await off.request('GET', '/api/rulesets/ijsselland/versions/2', undefined, bearer(token))
      ).json();
      delete document.version;
      delete document.validFrom;
      const { draftId } = await (
        await off.request('POST', '/api/rulesets/ijsselland/drafts', document, bearer(token))
      ).json();
      const res = await off.request(
        'POST',
        `/api/rulesets/ijsselland/drafts/${draftId}/publish`,
        { validFrom: '2027-01-01', changes: 'x' },
        bearer(token),
      );
      expect(res.status).toBe(201);
      expect((await (await off.request('GET', '/api/session', undefined, bearer(token))).json()).fourEyes).toBe(false);
    } finally {
      await off.store.close();
    }
  });

  it('a demo (no accounts) has it off', async () => {
    const demo = await openServer();
    try {
      expect((await (await demo.request('GET', '/api/session')).json()).fourEyes).toBe(false);
    } finally {
      await demo.store.close();
    }
  });
});
