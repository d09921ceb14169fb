/**
 * Compact log entries: an entry keeps the case and what a reader relies on, not the trace; reading
 * it rebuilds the trace by deciding again with the recorded versions, byte for byte the decision
 * answered when it was made. A rebuilt decision that differs is an integrity error with the same
 * engine version, and the stored decision with its trace marked not reproducible with another.
 * Entries logged before (a data folder written by the code before compact entries) still read,
 * replay, motivate and verify.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createPrivateKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { LoggedDecision, Replay } from '../../server/api-schemas.js';
import { LogSigner } from '../../server/integrity.js';
import type { LoggedDecisionRow } from '../../server/service.js';
import { admission, dyslexiaCase, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { serverPool, type Server } from './harness.js';

const server = serverPool();

const FIXTURE = 'test/fixtures/legacy-log';

/** The decision of a response body as text: everything from `"outcome"` to its trace's end. */
function decisionText(body: string): string {
  const from = body.indexOf('"outcome":');
  // the trace is the decision's last field; where it ends is found by parsing, not by searching
  const trace = `"trace":${JSON.stringify((JSON.parse(body) as { trace: unknown }).trace)}`;
  const at = body.indexOf(trace, from);
  expect(from).toBeGreaterThan(0);
  expect(at).toBeGreaterThan(from);
  return body.slice(from, at + trace.length);
}

async function verified(s: Server) {
  const res = await s.request('GET', '/api/audit/verify');
  expect(res.status).toBe(200);
  return (await res.json()) as { ok: boolean; checked: number; problems: unknown[] };
}

/** Opens the database file without the append-only triggers, as an attacker with the file could. */
function tamper(s: Server, fn: (raw: Database.Database) => void) {
  const raw = new Database(s.file);
  try {
    raw.exec('DROP TRIGGER IF EXISTS decisions_no_update');
    fn(raw);
  } finally {
    raw.close();
  }
}

const CASES = [
  dyslexiaCase(),
  dyslexiaCase({ referral: { referrer: 'huisarts' } }),
  ijsselAllocation({ municipality: 'deventer' }),
  mijovAllocation(),
  mijovAllocation({ municipality: 'zutphen' }),
  admission(),
  admission({ provider: { registrations: [] } }),
];

describe('a compact log entry', () => {
  it('stores no trace, its reasons as the rules that gave them, and no second copy of the tariff or the rule sets', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/evaluate', mijovAllocation());
    const answered = (await res.json()) as { id: string; trace: unknown[] };
    expect(answered.trace.length).toBeGreaterThan(0);
    const raw = new Database(s.file, { readonly: true });
    const row = raw.prepare('SELECT decision_json, tariff_json FROM decisions WHERE id = ?').get(answered.id) as {
      decision_json: string;
      tariff_json: string | null;
    };
    raw.close();
    expect(row.tariff_json).toBeNull();
    expect(Object.keys(JSON.parse(row.decision_json) as object)).toEqual([
      'outcome',
      'reasonRules',
      'tariff',
      'municipalityCode',
      'engine',
      'illustrative',
    ]);
  });

  it.each(CASES.map((c, i) => [i, c] as const))(
    'reads back byte for byte the decision answered when it was made (case %i)',
    async (_i, c) => {
      const s = await server();
      const posted = await s.request('POST', '/api/evaluate', c);
      expect(posted.status).toBe(200);
      const postedText = await posted.text();
      const { id } = JSON.parse(postedText) as { id: string };
      const got = await s.request('GET', `/api/decisions/${id}`);
      expect(got.status).toBe(200);
      const gotText = await got.text();
      expect(decisionText(gotText)).toBe(decisionText(postedText));
      // the answer is `{ id, …decision }`: the decision's bytes are all of it but the id
      expect(postedText).toBe(`{"id":${JSON.stringify(id)},${decisionText(postedText)}}`);
      const replay = (await (
        await s.request('POST', `/api/decisions/${id}/replay`, { against: 'recorded' })
      ).json()) as { identical: boolean };
      expect(replay.identical).toBe(true);
      expect((await s.request('GET', `/api/decisions/${id}/motivation`)).status).toBe(200);
    },
  );

  it('is an integrity error when the same engine version decides otherwise than the log says', async () => {
    const s = await server();
    const { id } = (await (await s.request('POST', '/api/evaluate', dyslexiaCase())).json()) as { id: string };
    tamper(s, (raw) =>
      raw
        .prepare(`UPDATE decisions SET decision_json = replace(decision_json, '"granted"', '"rejected"') WHERE id = ?`)
        .run(id),
    );
    for (const [method, path] of [
      ['GET', `/api/decisions/${id}`],
      ['GET', `/api/decisions/${id}/motivation`],
      ['POST', `/api/decisions/${id}/replay`],
    ] as const) {
      const res = await s.request(method, path, method === 'POST' ? { against: 'recorded' } : undefined);
      expect(res.status).toBe(500);
      const problem = (await res.json()) as { code: string; title: string };
      expect(problem.code).toBe('DECISION_NOT_REPRODUCIBLE');
      expect(problem.title).toMatch(/komt niet overeen met het logboek/);
    }
  });

  it('is an integrity error when its reasons name other rules than its hashed reason codes', async () => {
    const s = await server();
    const c = dyslexiaCase({ referral: { referrer: 'huisarts' } });
    const { id } = (await (await s.request('POST', '/api/evaluate', c)).json()) as { id: string };
    tamper(s, (raw) =>
      raw
        .prepare(
          `UPDATE decisions SET decision_json = json_set(decision_json, '$.reasonRules', json('[]')) WHERE id = ?`,
        )
        .run(id),
    );
    const res = await s.request('GET', `/api/decisions/${id}`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe('DECISION_NOT_REPRODUCIBLE');
  });

  it('is the stored decision with its trace marked not reproducible when another engine version decides otherwise', async () => {
    const s = await server();
    const { id } = (await (await s.request('POST', '/api/evaluate', dyslexiaCase())).json()) as { id: string };
    tamper(s, (raw) =>
      raw
        .prepare(
          `UPDATE decisions SET decision_json = replace(replace(decision_json, '"granted"', '"review"'), '"engine":{"version":"', '"engine":{"version":"0.0.0-old')
           WHERE id = ?`,
        )
        .run(id),
    );
    const got = (await (await s.request('GET', `/api/decisions/${id}`)).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ outcome: 'review', trace: [], traceReproducible: false });
    expect((got.engine as { version: string }).version).toMatch(/^0\.0\.0-old/);
    const replay = (await (
      await s.request('POST', `/api/decisions/${id}/replay`, { against: 'recorded' })
    ).json()) as Record<string, unknown>;
    expect(replay).toMatchObject({ identical: false, engineChanged: true, traceReproducible: false });
  });

  it('carries the mark as the API declares it, for the log entry and its replay alike', () => {
    type Mark = LoggedDecisionRow['traceReproducible'];
    expectTypeOf<Mark>().toEqualTypeOf<z.infer<typeof LoggedDecision>['traceReproducible']>();
    expectTypeOf<Mark>().toEqualTypeOf<z.infer<typeof Replay>['traceReproducible']>();
    expectTypeOf<Mark>().toEqualTypeOf<false | undefined>();
    expect(LoggedDecision.shape.traceReproducible.safeParse(true).success).toBe(false);
    expect(Replay.shape.traceReproducible.safeParse(false).success).toBe(true);
  });

  it('rebuilds the trace when another engine version decides the same', async () => {
    const s = await server();
    const posted = await (await s.request('POST', '/api/evaluate', mijovAllocation())).text();
    const { id } = JSON.parse(posted) as { id: string };
    tamper(s, (raw) =>
      raw
        .prepare(
          `UPDATE decisions SET decision_json = replace(decision_json, '"engine":{"version":"', '"engine":{"version":"0.0.0-old') WHERE id = ?`,
        )
        .run(id),
    );
    const got = (await (await s.request('GET', `/api/decisions/${id}`)).json()) as Record<string, unknown>;
    expect(got.traceReproducible).toBeUndefined();
    expect(got.trace).toEqual((JSON.parse(posted) as { trace: unknown }).trace);
  });
});

describe('a log written before compact entries', () => {
  /** The fixture's data folder copied (opening applies migrations), with its key and checkpoints. */
  async function legacy() {
    const dir = mkdtempSync(join(tmpdir(), 'legacy-log-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'rules.sqlite'), gunzipSync(readFileSync(join(FIXTURE, 'rules.sqlite.gz'))));
    cpSync(join(FIXTURE, 'checkpoints.jsonl'), `${dataDir}.checkpoints.jsonl`);
    const signer = new LogSigner(createPrivateKey(readFileSync(join(FIXTURE, 'signing.key'), 'utf8')));
    return server(dataDir, { service: { signer } });
  }
  const answers = JSON.parse(gunzipSync(readFileSync(join(FIXTURE, 'answers.json.gz'))).toString('utf8')) as ({
    id: string;
  } & Record<string, unknown>)[];

  it('holds decisions of every outcome, both regions, tariffs and a later published version', () => {
    expect(answers.length).toBeGreaterThanOrEqual(30);
    expect(new Set(answers.map((a) => a.outcome))).toEqual(new Set(['granted', 'rejected', 'review']));
    const versions = new Set(
      answers.flatMap((a) => (a.ruleSets as { id: string; version: number }[]).map((r) => `${r.id}@${r.version}`)),
    );
    expect(versions).toContain('ijsselland@2');
    expect(versions).toContain('midden-ijssel-oost-veluwe@2');
    expect(versions).toContain('zwolle@2');
  });

  it('reads every decision as it was answered, replays it identically and writes its letter', async () => {
    const s = await legacy();
    for (const answer of answers) {
      const got = await s.request('GET', `/api/decisions/${answer.id}`);
      expect(got.status).toBe(200);
      const text = await got.text();
      expect(decisionText(text)).toBe(decisionText(JSON.stringify(answer)));
      const replay = (await (
        await s.request('POST', `/api/decisions/${answer.id}/replay`, { against: 'recorded' })
      ).json()) as { identical: boolean };
      expect(replay.identical).toBe(true);
      const letter = await s.request('GET', `/api/decisions/${answer.id}/motivation`);
      expect(letter.status).toBe(200);
      expect(await letter.text()).toContain(answer.id);
    }
  });

  it('verifies, against its signed checkpoint, and goes on with compact entries that verify too', async () => {
    const s = await legacy();
    expect(await verified(s)).toMatchObject({ ok: true, checked: answers.length, problems: [] });
    const added: string[] = [];
    for (const c of CASES) {
      const res = await s.request('POST', '/api/evaluate', c);
      expect(res.status).toBe(200);
      added.push(((await res.json()) as { id: string }).id);
    }
    expect(await verified(s)).toMatchObject({ ok: true, checked: answers.length + CASES.length, problems: [] });
    const job = await s.request('POST', '/api/audit/verify');
    expect(job.status).toBe(202);
    for (const id of added) expect((await s.request('GET', `/api/decisions/${id}`)).status).toBe(200);
  });
});
