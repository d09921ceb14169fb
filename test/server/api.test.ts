/**
 * The HTTP API end to end on the real Hono app and a temporary SQLite file (no mocks): evaluate,
 * fetch, replay, drafts with ETags, publishing, immutability enforced by the database, the audit
 * chain, impact analysis, and a restart that keeps everything.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { apeldoornRenewal, dyslexiaCase, mijovAllocation } from '../support/factories.js';
import { collect } from '../support/collect.js';
import { serverPool, type Server } from './harness.js';

const server = serverPool();

const renewal = (clientsLastYear: number) =>
  apeldoornRenewal(clientsLastYear, { referenceDate: '2026-07-01', entryDate: '2026-07-01' });

async function apeldoornDraft(s: Server, parameters: Record<string, unknown>) {
  const current = await (await s.request('GET', '/api/rulesets/apeldoorn/versions/2')).json();
  const res = await s.request('POST', '/api/rulesets/apeldoorn/drafts', {
    ...current,
    parameters: { ...current.parameters, ...parameters },
  });
  expect(res.status).toBe(201);
  return {
    ...(await res.json()),
    etag: res.headers.get('etag')!,
    document: { ...current, parameters: { ...current.parameters, ...parameters } },
  };
}

describe('evaluate and the decision log', () => {
  it('decides a case, logs it, and gives it back with its case', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/evaluate', dyslexiaCase({ referral: { referrer: 'huisarts' } }));
    expect(res.status).toBe(200);
    const decision = await res.json();
    expect(decision).toMatchObject({ outcome: 'rejected', id: expect.any(String) });
    const fetched = await (await s.request('GET', `/api/decisions/${decision.id}`)).json();
    expect(fetched).toMatchObject({
      id: decision.id,
      outcome: 'rejected',
      case: { municipality: 'zwolle' },
      ruleSets: decision.ruleSets,
    });
  });

  it('evaluates without logging on a dry run', async () => {
    const s = await server();
    const decision = await (await s.request('POST', '/api/evaluate?dryRun=true', mijovAllocation())).json();
    expect(decision.id).toBeNull();
    expect((await (await s.request('GET', '/api/decisions')).json()).total).toBe(0);
  });

  it('answers an invalid case with a problem document naming every path', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/evaluate', {
      ...mijovAllocation(),
      extra: 1,
      referenceDate: '2026-02-30',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['$.extra', '$.referenceDate']),
    );
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses an oversized body with 413', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/evaluate', JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('filters the log by municipality, outcome and reason code, paged', async () => {
    const s = await server();
    for (const clients of [1, 2, 9]) await s.request('POST', '/api/evaluate', renewal(clients));
    await s.request('POST', '/api/evaluate', dyslexiaCase());
    const review = await (
      await s.request('GET', '/api/decisions?municipality=apeldoorn&outcome=review&reasonCode=TOO_FEW_CLIENTS&limit=1')
    ).json();
    expect(review.total).toBe(2);
    expect(review.items).toHaveLength(1);
    expect((await (await s.request('GET', '/api/decisions?region=ijsselland')).json()).total).toBe(1);
    expect((await s.request('GET', '/api/decisions?limit=5000')).status).toBe(400);
  });
});

describe('replay', () => {
  it('reproduces a decision exactly against the recorded versions', async () => {
    const s = await server();
    const { id } = await (await s.request('POST', '/api/evaluate', renewal(4))).json();
    const replay = await (await s.request('POST', `/api/decisions/${id}/replay`, { against: 'recorded' })).json();
    expect(replay.identical).toBe(true);
    expect(replay.differences).toEqual([]);
    expect(replay.replayed).toEqual(replay.original);
  });

  it('reads and replays a decision logged before decisions recorded their engine', async () => {
    const s = await server();
    const input = renewal(4);
    const { id: _id, ...fresh } = await (await s.request('POST', '/api/evaluate?dryRun=true', input)).json();
    const { engine: _engine, illustrative: _illustrative, ...old } = fresh;
    const row = await s.store.log.append(
      {
        municipality: 'apeldoorn',
        region: 'midden-ijssel-oost-veluwe',
        case: input as never,
        decision: old,
        decidedBy: 'test',
      },
      '2026-07-01T10:00:00.000Z',
    );
    expect((await s.request('GET', `/api/decisions/${row.id}`)).status).toBe(200);
    const replay = await (await s.request('POST', `/api/decisions/${row.id}/replay`, { against: 'recorded' })).json();
    expect(replay.engineChanged).toBe(true);
    expect(replay.differences).toEqual([{ field: 'engine', before: null, after: fresh.engine.version }]);
    expect(replay.replayed.outcome).toBe(old.outcome);
  });

  it('shows what differs against the versions in force after a new overlay is published', async () => {
    const s = await server();
    const { id } = await (await s.request('POST', '/api/evaluate', renewal(4))).json();
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3 });
    const published = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draft.draftId}/publish`, {
      validFrom: '2026-03-01',
    });
    expect(published.status).toBe(201);
    expect((await published.json()).version).toBe(3);

    const replay = await (await s.request('POST', `/api/decisions/${id}/replay`, { against: 'in-force' })).json();
    expect(replay.identical).toBe(false);
    expect(replay.original.outcome).toBe('review');
    expect(replay.replayed.outcome).toBe('granted');
    expect(replay.differences).toEqual(
      expect.arrayContaining([
        { field: 'outcome', before: 'review', after: 'granted' },
        { field: 'reasons', added: [], removed: ['TOO_FEW_CLIENTS'] },
      ]),
    );
    // and the recorded versions still give the original
    expect(
      (await (await s.request('POST', `/api/decisions/${id}/replay`, { against: 'recorded' })).json()).identical,
    ).toBe(true);
    // against a chosen version
    const chosen = await (
      await s.request('POST', `/api/decisions/${id}/replay`, { against: { ruleSet: 'apeldoorn', version: 3 } })
    ).json();
    expect(chosen.replayed.outcome).toBe('granted');
  });
});

describe('drafts and publishing', () => {
  it("refuses an overlay outside the region's bounds with the contract's code and path", async () => {
    const s = await server();
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 500 });
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draft.draftId}/publish`, {
      validFrom: '2026-09-01',
    });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.code).toBe('PARAMETER_OUT_OF_RANGE');
    expect(problem.issues[0].path).toBe("$.parameters['admission.minClientsPerYear']");

    const closed = await apeldoornDraft(s, { 'scope.excludedServices': [] });
    const refused = await (
      await s.request('POST', `/api/rulesets/apeldoorn/drafts/${closed.draftId}/publish`, { validFrom: '2026-09-01' })
    ).json();
    expect(refused.code).toBe('PARAMETER_NOT_OVERRIDABLE');
  });

  it('refuses a valid-from before the latest published version', async () => {
    const s = await server();
    const draft = await apeldoornDraft(s, {});
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draft.draftId}/publish`, {
      validFrom: '2025-12-31',
    });
    expect(res.status).toBe(422);
    expect((await res.json()).issues[0]).toMatchObject({ path: '$.validFrom', code: 'VALID_FROM_TOO_EARLY' });
  });

  it('requires If-Match on PUT and refuses a stale one', async () => {
    const s = await server();
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 2 });
    const path = `/api/rulesets/apeldoorn/drafts/${draft.draftId}`;
    expect((await s.request('PUT', path, draft.document)).status).toBe(428);
    const first = await s.request('PUT', path, draft.document, { 'if-match': draft.etag, 'x-user': 'anna' });
    expect(first.status).toBe(200);
    const stale = await s.request('PUT', path, draft.document, { 'if-match': draft.etag, 'x-user': 'bert' });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ code: 'DRAFT_CHANGED', updatedBy: 'anna' });
    const fresh = await s.request('PUT', path, draft.document, { 'if-match': first.headers.get('etag')! });
    expect(fresh.status).toBe(200);
  });

  it('refuses an invalid draft document with the path of each issue', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/rulesets/apeldoorn/drafts', {
      kind: 'municipality',
      id: 'apeldoorn',
      region: 'midden-ijssel-oost-veluwe',
      version: 0,
      validFrom: 'gisteren',
    });
    expect(res.status).toBe(422);
    const paths = (await res.json()).issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['$.version', '$.validFrom']));
  });

  it('keeps published versions immutable even against a direct SQL UPDATE', async () => {
    const s = await server();
    const raw = new Database(s.file);
    try {
      expect(() =>
        raw.prepare("UPDATE rule_set_versions SET valid_from = '2000-01-01' WHERE rule_set_id = 'ijsselland'").run(),
      ).toThrow(/immutable/);
      expect(() => raw.prepare("DELETE FROM rule_set_versions WHERE rule_set_id = 'zwolle'").run()).toThrow(
        /immutable/,
      );
    } finally {
      raw.close();
    }
    const doc = await (await s.request('GET', '/api/rulesets/ijsselland/versions/1')).json();
    expect(doc.validFrom).toBe('2018-01-01');
  });

  it('diffs a draft against its base version', async () => {
    const s = await server();
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3 });
    const diff = await (await s.request('GET', `/api/rulesets/apeldoorn/diff?from=2&to=draft:${draft.draftId}`)).json();
    expect(diff.changes).toEqual([
      { path: "$.parameters['admission.minClientsPerYear']", op: 'changed', before: 5, after: 3 },
    ]);
  });

  it('tells which versions are in force for a municipality on a date', async () => {
    const s = await server();
    const effective = await (await s.request('GET', '/api/municipalities/deventer/effective?date=2021-06-01')).json();
    expect(await effective.ruleSets.map((r: { id: string; version: number }) => `${r.id}@${r.version}`)).toEqual([
      'ijsselland@1',
      'deventer@1',
    ]);
  });

  it('exports a version in the rules/ layout and imports it again as a draft', async () => {
    const s = await server();
    const exported = await s.request('GET', '/api/rulesets/zwolle/versions/1/export');
    expect(exported.headers.get('content-disposition')).toContain('zwolle.v1.json');
    const imported = await s.request('POST', '/api/rulesets/zwolle/import', await exported.text());
    expect(imported.status).toBe(201);
  });
});

describe('the evaluation answer', () => {
  it('is the logged decision with its id, byte for byte', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/evaluate', mijovAllocation({ municipality: 'apeldoorn' }));
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    const { id } = JSON.parse(text) as { id: string };
    const logged = (await (await s.request('GET', `/api/decisions/${id}`)).json()) as Record<string, unknown>;
    const { decidedAt: _at, decidedBy: _by, case: _case, hash: _hash, id: _id, ...decision } = logged;
    expect(text).toBe(JSON.stringify({ id, ...decision }));
    expect(decision.trace).toBeInstanceOf(Array);

    const dry = await (
      await s.request('POST', '/api/evaluate?dryRun=true', mijovAllocation({ municipality: 'apeldoorn' }))
    ).text();
    expect(dry).toBe(JSON.stringify({ id: null, ...decision }));
  });
});

describe('the audit chain', () => {
  it('verifies an intact log and finds the first tampered entry', async () => {
    const s = await server();
    const ids: string[] = [];
    for (const clients of [1, 5, 9])
      ids.push((await (await s.request('POST', '/api/evaluate', renewal(clients))).json()).id);
    expect(await (await s.request('GET', '/api/audit/verify')).json()).toMatchObject({ ok: true, checked: 3 });

    const raw = new Database(s.file);
    try {
      expect(() => raw.prepare("UPDATE decisions SET outcome = 'granted'").run()).toThrow(/append-only/);
      // an attacker with full access drops the trigger first; the chain still tells
      raw.exec('DROP TRIGGER decisions_no_update');
      raw.prepare("UPDATE decisions SET outcome = 'rejected' WHERE id = ?").run(ids[1]);
    } finally {
      raw.close();
    }
    const verify = await (await s.request('GET', '/api/audit/verify')).json();
    expect(verify).toMatchObject({ ok: false, checked: 3, firstBroken: { id: ids[1] } });
  });
});

describe('impact analysis', () => {
  it('counts the decisions a draft would change, with tariffs before and after', async () => {
    const s = await server();
    for (const clients of [2, 4, 6]) await s.request('POST', '/api/evaluate', renewal(clients));
    await s.request('POST', '/api/evaluate', mijovAllocation({ municipality: 'epe' }));
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3 });

    const start = await s.request('POST', '/api/impact', {
      candidate: { ruleSet: 'apeldoorn', draftId: draft.draftId },
    });
    expect(start.status).toBe(202);
    const { id } = await start.json();
    let job;
    for (let i = 0; i < 100; i++) {
      job = await (await s.request('GET', `/api/impact/${id}`)).json();
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(job).toMatchObject({
      status: 'done',
      total: 3,
      processed: 3,
      outcomes: { before: { review: 2, granted: 1, rejected: 0 }, after: { review: 1, granted: 2, rejected: 0 } },
      changedCount: 1,
    });
    expect(job.changed[0]).toMatchObject({
      before: { outcome: 'review', codes: ['TOO_FEW_CLIENTS'] },
      after: { outcome: 'granted', codes: [] },
    });
  });
});

describe('a restart', () => {
  it('keeps drafts, versions and decisions in the same data folder', async () => {
    const first = await server();
    const { id } = await (await first.request('POST', '/api/evaluate', renewal(4))).json();
    const draft = await apeldoornDraft(first, { 'admission.minClientsPerYear': 3 });
    await first.request('POST', `/api/rulesets/apeldoorn/drafts/${draft.draftId}/publish`, { validFrom: '2026-03-01' });
    const other = await apeldoornDraft(first, { 'admission.minClientsPerYear': 2 });
    // stopped as a server stops; the pool closes it again after the test, which does nothing
    await first.service.close();
    await first.store.close();

    const second = await server(first.dataDir);
    expect((await second.request('GET', `/api/decisions/${id}`)).status).toBe(200);
    expect(
      (await (await second.request('GET', '/api/rulesets/apeldoorn/versions/3')).json()).parameters[
        'admission.minClientsPerYear'
      ],
    ).toBe(3);
    expect((await second.request('GET', `/api/rulesets/apeldoorn/drafts/${other.draftId}`)).status).toBe(200);
    // the seed did not run again over the user's versions
    const sets = (await (await second.request('GET', '/api/rulesets')).json()).ruleSets;
    expect(
      sets.find((r: { id: string }) => r.id === 'apeldoorn').versions.map((v: { version: number }) => v.version),
    ).toEqual([1, 2, 3]);
  });
});

describe('the API description', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const s = await server();
    const doc = await (await s.request('GET', '/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/evaluate',
        '/api/decisions/{id}/replay',
        '/api/rulesets/{id}/drafts/{draftId}/publish',
      ]),
    );
    expect(doc.components.schemas.Case).toBeDefined();
    expect((await s.request('GET', '/api/docs')).headers.get('content-type')).toContain('text/html');
  });
});

describe('backup', () => {
  it('copies the live database into a file that opens with everything in it', async () => {
    const s = await server();
    const { id } = await (await s.request('POST', '/api/evaluate', renewal(4))).json();
    const copyDir = (await import('node:fs')).mkdtempSync(`${s.dataDir}-copy-`);
    await s.store.backup(`${copyDir}/rules.sqlite`);
    const restored = await server(copyDir);
    expect((await restored.request('GET', `/api/decisions/${id}`)).status).toBe(200);
    expect(await (await restored.request('GET', '/api/audit/verify')).json()).toMatchObject({ ok: true, checked: 1 });
  });
});

describe('impact analysis jobs', () => {
  it('skips, and counts, decisions the candidate cannot be combined with', async () => {
    const s = await server();
    // 2025: decided under the predecessor contract, which does not open the tariff differentiation
    await s.request('POST', '/api/evaluate', { ...renewal(4), referenceDate: '2025-06-01', entryDate: '2025-06-01' });
    await s.request('POST', '/api/evaluate', renewal(4));
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3, 'tariff.differentiationPercentage': 1 });
    const { done } = await s.service.impact.start({
      candidate: { ruleSet: 'apeldoorn', draftId: draft.draftId },
      filter: {},
    });
    const job = await done;
    expect(job).toMatchObject({ status: 'done', processed: 2, skipped: 1, changedCount: 1 });
    expect(job.skippedReason).toContain('midden-ijssel-oost-veluwe versie 1');
  });

  it('splits a log over worker threads and finds exactly what one thread finds, in log order', async () => {
    const s = await server();
    // 2025 (skipped: the overlay does not fit that regional version), renewals that the draft's
    // lower threshold changes, and product allocations whose tariff the draft changes
    for (let i = 0; i < 40; i++) {
      if (i % 10 === 0)
        await s.request('POST', '/api/evaluate', {
          ...renewal(4),
          referenceDate: '2025-06-01',
          entryDate: '2025-06-01',
        });
      else if (i % 3 === 0) await s.request('POST', '/api/evaluate', mijovAllocation({ municipality: 'apeldoorn' }));
      else await s.request('POST', '/api/evaluate', renewal(i % 8));
    }
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3, 'tariff.differentiationPercentage': 3 });
    const request = { candidate: { ruleSet: 'apeldoorn', draftId: draft.draftId }, filter: {} };
    const alone = await (await s.service.impact.start(request, { workers: 1, batchSize: 7 })).done;
    const split = await (await s.service.impact.start(request, { workers: 3, batchSize: 7 })).done;
    expect(alone.status).toBe('done');
    expect(split).toMatchObject({ status: 'done', workers: 3, processed: 40, total: 40 });
    expect(alone.changedCount).toBeGreaterThan(10);
    expect(alone.skipped).toBe(4);
    const { id: _a, workers: _w1, startedAt: _s1, finishedAt: _f1, ...expected } = alone;
    const { id: _b, workers: _w2, startedAt: _s2, finishedAt: _f2, ...actual } = split;
    expect(actual).toEqual(expected);
  });

  it('cancels the workers of a split job', async () => {
    const s = await server();
    for (let i = 0; i < 20; i++) await s.request('POST', '/api/evaluate', renewal(i % 8));
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3 });
    const { job, done } = await s.service.impact.start(
      { candidate: { ruleSet: 'apeldoorn', draftId: draft.draftId }, filter: {} },
      { workers: 2, batchSize: 1 },
    );
    s.service.impact.cancel(job.id);
    const finished = await done;
    expect(finished.status).toBe('cancelled');
    expect(finished.processed).toBeLessThan(20);
  });

  it('reads the tariff of entries logged before the tariff copy existed from the decision itself', async () => {
    const s = await server();
    await s.request('POST', '/api/evaluate', mijovAllocation({ municipality: 'apeldoorn' }));
    await s.request('POST', '/api/evaluate', renewal(4));
    // an entry as an older version wrote it: the same row without the tariff copy
    const raw = new Database(s.file);
    const columns = (raw.prepare('PRAGMA table_info(decisions)').all() as { name: string }[])
      .map((c) => c.name)
      .filter((n) => n !== 'seq' && n !== 'id' && n !== 'tariff_json');
    raw
      .prepare(
        `INSERT INTO decisions (id, ${columns.join(', ')}) SELECT id || '-old', ${columns.join(', ')} FROM decisions ORDER BY seq`,
      )
      .run();
    raw.close();
    const rows = (await collect(s.store.log.summaries({}, 10))).flat();
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.tariffJson)).toEqual([rows[0]!.tariffJson, 'null', rows[0]!.tariffJson, 'null']);
    expect(JSON.parse(rows[0]!.tariffJson)).toMatchObject({ model: 'effort' });
  });

  it('can be cancelled while running', async () => {
    const s = await server();
    for (let i = 0; i < 30; i++) await s.request('POST', '/api/evaluate', renewal(i % 8));
    const draft = await apeldoornDraft(s, { 'admission.minClientsPerYear': 3 });
    // batches of 5, so the cancel lands between batches
    const { job, done } = await s.service.impact.start(
      { candidate: { ruleSet: 'apeldoorn', draftId: draft.draftId }, filter: {} },
      { batchSize: 5 },
    );
    const res = await s.request('DELETE', `/api/impact/${job.id}`);
    expect(res.status).toBe(200);
    const finished = await done;
    expect(finished.status).toBe('cancelled');
    expect(finished.processed).toBe(5);
    expect(finished.total).toBe(30);
    expect((await (await s.request('GET', `/api/impact/${job.id}`)).json()).status).toBe('cancelled');
  });
});
