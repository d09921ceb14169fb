/**
 * A log rewritten with full file access (triggers dropped) is still found out: deleted last
 * entries and a recomputed chain no longer match a signed checkpoint, a changed tariff copy no
 * longer matches the hashed decision, and a published version whose document was changed is
 * reported and not decided with. Verification runs as a job in a worker thread with progress.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { entryHash, type StoredDecision } from '../../server/db/log.js';
import { signedCheckpoints } from '../../server/audit.js';
import { CheckpointVerifier, checkpointText, LogCheckpointer } from '../../server/integrity.js';
import { apeldoornRenewal, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { RulesService } from '../../server/service.js';
import { changeStoredVersion, serverPool, TEST_SIGNER, type Server } from './harness.js';

const server = serverPool();

const renewal = (clientsLastYear: number) => apeldoornRenewal(clientsLastYear);

interface Verification {
  ok: boolean;
  checked: number;
  problems: { kind: string; seq?: number; message: string }[];
  firstBroken?: { id: string; reason: string };
  versions: { tampered: { ruleSet: string; version: number }[] };
}

async function verify(s: Server): Promise<Verification> {
  const res = await s.request('GET', '/api/audit/verify');
  expect(res.status).toBe(200);
  return (await res.json()) as Verification;
}

/** Logs `n` decisions and verifies them, which signs a checkpoint of the head. */
async function loggedAndCheckpointed(n: number, make: (i: number) => unknown = (i) => renewal(i + 1)) {
  const s = await server();
  for (let i = 0; i < n; i++) expect((await s.request('POST', '/api/evaluate', make(i))).status).toBe(200);
  expect(await verify(s)).toMatchObject({ ok: true, checked: n });
  expect((await s.store.checkpoints.latest())?.seq).toBe(n);
  return s;
}

/** Opens the database file as an attacker would, without the append-only triggers. */
function tamper(s: Server, fn: (raw: Database.Database) => void) {
  const raw = new Database(s.file);
  try {
    for (const t of ['decisions_no_update', 'decisions_no_delete', 'rule_set_versions_no_update'])
      raw.exec(`DROP TRIGGER IF EXISTS ${t}`);
    raw.exec('DROP TRIGGER IF EXISTS log_checkpoints_no_delete');
    fn(raw);
  } finally {
    raw.close();
  }
}

const kinds = (v: Verification) => [...new Set(v.problems.map((p) => p.kind))].sort();

describe('verifying the log against signed checkpoints', () => {
  it('finds deleted last entries (truncation)', async () => {
    const s = await loggedAndCheckpointed(3);
    tamper(s, (raw) => raw.prepare('DELETE FROM decisions WHERE seq = 3').run());
    const v = await verify(s);
    expect(v.ok).toBe(false);
    expect(v.checked).toBe(2);
    expect(kinds(v)).toEqual(['truncated']);
    expect(v.firstBroken!.reason).toMatch(/eindigt bij regel 2/);
  });

  it('finds the truncation through the checkpoint file when the checkpoints in the database are gone too', async () => {
    const s = await loggedAndCheckpointed(3);
    tamper(s, (raw) => {
      raw.prepare('DELETE FROM decisions WHERE seq >= 2').run();
      raw.prepare('DELETE FROM log_checkpoints').run();
    });
    const v = await verify(s);
    expect(v.ok).toBe(false);
    expect(kinds(v)).toEqual(['checkpoint-missing', 'truncated']);
  });

  it('finds a changed entry whose hash and every later hash were recomputed', async () => {
    const s = await loggedAndCheckpointed(3);
    tamper(s, (raw) => {
      // change who decided entry 2 and rebuild the chain from there: every link and hash holds
      const rows = raw.prepare('SELECT * FROM decisions ORDER BY seq').all() as Record<string, unknown>[];
      let prev = rows[0]!.hash as string;
      for (const row of rows.slice(1)) {
        const stored = {
          id: row.id,
          municipality: row.municipality,
          region: row.region,
          caseType: row.case_type,
          referenceDate: row.reference_date,
          outcome: row.outcome,
          reasonCodes: row.reason_codes,
          totalCents: row.total_cents,
          caseJson: row.case_json,
          decisionJson: row.decision_json,
          tariffJson: row.tariff_json,
          ruleSets: JSON.parse(row.rule_sets as string),
          decidedAt: row.decided_at,
          decidedBy: row.seq === 2 ? 'iemand anders' : row.decided_by,
          prevHash: prev,
        } as Omit<StoredDecision, 'seq' | 'hash'>;
        const hash = entryHash(stored);
        raw
          .prepare('UPDATE decisions SET decided_by = ?, prev_hash = ?, hash = ? WHERE seq = ?')
          .run(stored.decidedBy, prev, hash, row.seq);
        prev = hash;
      }
    });
    const v = await verify(s);
    expect(v.ok).toBe(false);
    // the chain itself is consistent again: only the signed head gives it away
    expect(kinds(v)).toEqual(['rewritten']);
    expect(v.problems[0]!.seq).toBe(3);
  });

  it('finds a tariff copy put beside the hashed decision that disagrees with it', async () => {
    const s = await loggedAndCheckpointed(2, () => mijovAllocation({ municipality: 'apeldoorn' }));
    tamper(s, (raw) => {
      // compact entries keep no copy (the column stays empty); older entries have one
      const { decision_json } = raw.prepare('SELECT decision_json FROM decisions WHERE seq = 1').get() as {
        decision_json: string;
      };
      const { tariff } = JSON.parse(decision_json) as { tariff: { totalCents: number } };
      raw
        .prepare('UPDATE decisions SET tariff_json = ? WHERE seq = 1')
        .run(JSON.stringify({ ...tariff, totalCents: tariff.totalCents * 250 }));
    });
    const v = await verify(s);
    expect(v.ok).toBe(false);
    expect(kinds(v)).toEqual(['column']);
    expect(v.problems[0]).toMatchObject({ seq: 1, message: expect.stringContaining('tariff_json') });
  });

  it('reports an entry whose rule sets are no longer JSON, and goes on with the rest', async () => {
    const s = await loggedAndCheckpointed(3);
    tamper(s, (raw) => raw.prepare('UPDATE decisions SET rule_sets = \'[{"id":\' WHERE seq = 2').run());
    const v = await verify(s);
    expect(v).toMatchObject({ ok: false, checked: 3 });
    expect(kinds(v)).toEqual(['entry-hash']);
    expect(v.problems.map((p) => p.seq)).toEqual([2]);
  });

  it('finds a rule-sets column that disagrees with the rule sets a whole (older) entry names', async () => {
    const s = await loggedAndCheckpointed(2);
    tamper(s, (raw) => {
      // an entry as logged before compact entries: the decision text names its rule sets too
      const row = raw.prepare('SELECT decision_json, rule_sets FROM decisions WHERE seq = 1').get() as {
        decision_json: string;
        rule_sets: string;
      };
      const whole = { ...JSON.parse(row.decision_json), ruleSets: JSON.parse(row.rule_sets), trace: [] };
      const other = (JSON.parse(row.rule_sets) as { version: number }[]).map((r) => ({ ...r, version: r.version + 1 }));
      raw
        .prepare('UPDATE decisions SET decision_json = ?, rule_sets = ? WHERE seq = 1')
        .run(JSON.stringify(whole), JSON.stringify(other));
    });
    const v = await verify(s);
    expect(v.ok).toBe(false);
    expect(kinds(v)).toEqual(['column', 'entry-hash']);
    expect(v.problems.find((p) => p.kind === 'column')).toMatchObject({
      seq: 1,
      message: expect.stringContaining('rule_sets'),
    });
  });

  it('does not take a checkpoint signed while it reads for one missing from the database', async () => {
    // the server goes on logging and signing during a verification: a checkpoint signed between
    // reading the database's checkpoints and reading the file is in both, not deleted
    const s = await loggedAndCheckpointed(2);
    expect((await s.request('POST', '/api/evaluate', renewal(3))).status).toBe(200);
    const signer = new LogCheckpointer(
      s.store,
      TEST_SIGNER,
      { now: () => new Date().toISOString() },
      {
        file: s.checkpointFile,
      },
    );
    const racing = {
      checkpoints: {
        all: async () => {
          const before = await s.store.checkpoints.all();
          expect(await signer.checkpoint(await s.store.log.head())).toBeDefined();
          return before;
        },
      },
    };
    const problems: unknown[] = [];
    const signed = await signedCheckpoints(
      racing as never,
      { verifier: TEST_SIGNER, checkpointFile: s.checkpointFile },
      (p) => problems.push(p),
    );
    expect(problems).toEqual([]);
    // the one signed meanwhile counts at the next verification
    expect(signed.map((c) => c.seq)).toEqual([2]);
  });

  it('finds a checkpoint whose signature does not hold', async () => {
    const s = await loggedAndCheckpointed(1);
    tamper(s, (raw) => {
      raw.exec('DROP TRIGGER IF EXISTS log_checkpoints_no_update');
      raw.prepare("UPDATE log_checkpoints SET head_hash = 'sha256:forged'").run();
    });
    const v = await verify(s);
    expect(v.ok).toBe(false);
    expect(kinds(v)).toContain('checkpoint-signature');
  });
});

describe('checkpoints as decisions are logged', () => {
  it('signs the head after every so many decisions, and at shutdown', async () => {
    const s = await server(undefined, { service: { checkpoints: { everyAppends: 2, intervalMs: 60_000 } } });
    for (let i = 0; i < 2; i++) await s.request('POST', '/api/evaluate', renewal(i + 1));
    // signed after the response, not in it
    await new Promise((resolve) => setImmediate(resolve));
    expect((await s.store.checkpoints.all()).map((c) => c.seq)).toEqual([2]);
    await s.request('POST', '/api/evaluate', renewal(3));
    await new Promise((resolve) => setImmediate(resolve));
    // one decision since: not yet (the timer would sign it after intervalMs)
    expect((await s.store.checkpoints.all()).map((c) => c.seq)).toEqual([2]);
    await s.service.close();
    expect((await s.store.checkpoints.all()).map((c) => c.seq)).toEqual([2, 3]);
    const file = readFileSync(s.checkpointFile, 'utf8').trim().split('\n');
    expect(file.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([2, 3]);
  });
});

describe('a published version changed after publishing', () => {
  it('is reported by verify, and no decision is made with it after a restart', async () => {
    const s = await server();
    expect((await s.request('POST', '/api/evaluate', renewal(4))).status).toBe(200);
    tamper(s, (raw) =>
      changeStoredVersion(raw, 'apeldoorn', 2, (d) => (d.parameters['admission.minClientsPerYear'] = 1)),
    );
    const v = await verify(s);
    expect(v.ok).toBe(false);
    expect(v.versions.tampered).toEqual([{ ruleSet: 'apeldoorn', version: 2 }]);
    expect(kinds(v)).toEqual(['version-content']);

    // stopped as a server stops; the pool closes it again after the test, which does nothing
    await s.service.close();
    await s.store.close();
    const restarted = await server(s.dataDir);
    const before = await restarted.store.log.count({});
    const res = await restarted.request('POST', '/api/evaluate', renewal(2));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'VERSION_TAMPERED', ruleSet: 'apeldoorn', version: 2 });
    expect(await restarted.store.log.count({})).toBe(before);
    // a dry run and the test bench refuse it just the same; other municipalities still decide
    expect((await restarted.request('POST', '/api/evaluate?dryRun=true', renewal(2))).status).toBe(500);
    expect((await restarted.request('POST', '/api/evaluate', ijsselAllocation())).status).toBe(200);
  });
});

describe('verification as a job', () => {
  it('starts with 202 and a Location, reports progress and its result, and signs the head it found intact', async () => {
    const s = await server();
    for (let i = 0; i < 5; i++) await s.request('POST', '/api/evaluate', renewal(i + 1));
    const start = await s.request('POST', '/api/audit/verify');
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    expect(location).toMatch(/^\/api\/audit\/verify\/.+/);
    let job;
    const deadline = Date.now() + 30_000;
    do {
      job = await (await s.request('GET', location)).json();
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    } while (Date.now() < deadline);
    expect(job).toMatchObject({
      status: 'done',
      processed: 5,
      total: 5,
      progress: 1,
      result: { ok: true, checked: 5 },
    });

    const list = await (await s.request('GET', '/api/audit/checkpoints')).json();
    expect(list.items[0]).toMatchObject({ seq: 5, headHash: job.result.head.hash });
    // an operator checks it elsewhere with the public key alone
    const verifier = new CheckpointVerifier(list.publicKey);
    expect(verifier.valid(list.items[0])).toBe(true);
    expect(list.signedText).toBe(checkpointText({ seq: '{seq}' as never, headHash: '{headHash}', at: '{at}' }));
    // and the same checkpoint is in the append-only file beside the data folder
    const lines = readFileSync(s.checkpointFile, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual(list.items[0]);
    expect((await s.request('GET', '/api/audit/verify/nope')).status).toBe(404);
  });

  it('verifies the log in ranges side by side and finds what one worker finds, across the ranges too', async () => {
    const s = await loggedAndCheckpointed(12);
    tamper(s, (raw) => {
      // gaps and broken links everywhere, so wherever the ranges meet one is at their boundary
      raw.prepare('DELETE FROM decisions WHERE seq IN (4, 8)').run();
      raw.prepare("UPDATE decisions SET prev_hash = 'sha256:kapot' WHERE seq % 2 = 1 AND seq > 1").run();
      raw.prepare("UPDATE decisions SET decided_by = 'iemand anders' WHERE seq = 10").run();
    });
    const verifyIn = async (workers: number) => {
      const service = new RulesService(s.store, undefined, {
        signer: TEST_SIGNER,
        verifyWorkers: workers,
        checkpoints: { file: s.checkpointFile },
      });
      try {
        return (await (await service.verification.start('eva')).done).result!;
      } finally {
        await service.jobs.close();
      }
    };
    const one = await verifyIn(1);
    const three = await verifyIn(3);
    expect(one.ok).toBe(false);
    expect(new Set(one.problems.map((p) => p.kind))).toEqual(new Set(['sequence-gap', 'chain-link', 'entry-hash']));
    expect(one.checked).toBe(10);
    expect(three).toEqual(one);
  });

  it('leaves the server thread free while a large log is verified', async () => {
    const s = await server();
    const template = await s.request('POST', '/api/evaluate', renewal(2));
    expect(template.status).toBe(200);
    // 30,000 entries appended straight into the store (as if logged over months)
    // the decision whole (a compact entry's trace and reasons rebuilt), as an append takes it
    const row = await s.service.decision((await template.json()).id);
    const entry = {
      municipality: row.municipality,
      region: row.region,
      case: row.caseJson,
      decision: row.decisionJson,
      decidedBy: 'bulk',
    };
    for (let i = 0; i < 30; i++) await s.store.log.appendMany(Array(1000).fill(entry), '2026-07-01T00:00:00.000Z');

    const { job, done } = await s.service.verification.start('test');
    // while it runs, evaluations are answered: no request waits for the whole log
    const started = Date.now();
    let answered = 0;
    while (job.status === 'running' && answered < 20) {
      const t = Date.now();
      expect((await s.request('POST', '/api/evaluate?dryRun=true', renewal(3))).status).toBe(200);
      // a wide margin: this catches a stall, it does not measure speed
      expect(Date.now() - t).toBeLessThan(1500);
      answered += 1;
    }
    const finished = await done;
    expect(finished.result).toMatchObject({ ok: true, checked: 30_001 });
    expect(answered).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 180_000);
});
