/**
 * `npm run loadtest:nodes`: two API nodes (`server/main.ts`, each a process of its own) on one
 * fresh PostgreSQL database, with logged evaluations at a fixed offered rate split over both (a
 * load generator process per node, test/load/generator.ts), and a publish on node A in the
 * middle; besides, each node logs a case of the published overlay dated from its valid-from date
 * every 100 ms (counted apart), so that the log shows when each node switched. Then, for comparison measured in the same run, the single-node SQLite load test
 * (`npm run loadtest`) at the same total rate. Prints one JSON object.
 *
 * Fails (exit 1) on any error, on a log that does not hold exactly the answered evaluations, on a
 * `verify` that does not hold on either node, and when a node still decides with the old version
 * more than a second after the publish answered 201, by the log: every decision of the published
 * overlay with a reference date from its valid-from date, logged more than a second after the
 * 201, must name the new version. Each node is also probed right after the 201 (a dry run dated
 * from the valid-from date, back to back) and the time until it answers with the new version is
 * reported; that includes the wait for an answer at all, which an overloaded node makes long.
 *
 *   TEST_DATABASE_URL=postgres://… npm run loadtest:nodes -- [--seconds=60] [--rate=200] [--no-sqlite]
 *
 * TEST_DATABASE_URL names a server whose user may create databases (one is made and dropped).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { admission } from '../support/factories.js';
import { createTestDatabase } from '../support/postgres.js';
import { child, runChild } from './child.js';
import { serverRoot, startServer, type RunningServer } from './server.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 60);
/** Requests per second offered in total, half to each node. */
const rate = arg('rate', 200);
const connections = arg('connections', 32);
const withSqlite = !process.argv.includes('--no-sqlite');

if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write(
    'Zet TEST_DATABASE_URL op een PostgreSQL-server waarvan de gebruiker databases mag aanmaken, bijvoorbeeld postgres://jz:jz@localhost:5432/jz_test.\n',
  );
  process.exit(2);
}

type GeneratorResult = {
  requests: number;
  throughputPerSecond: number;
  offeredPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  statuses: Record<string, number>;
};

const startedAt = new Date().toISOString();
const load = { cpus: cpus().length, loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100) };
const database = await createTestDatabase();
const admin = `nodes-admin-${randomBytes(8).toString('hex')}`;
const env = { DATABASE_URL: database.url, LOG_SIGNING_KEY: randomBytes(32).toString('hex'), FOUR_EYES: 'off' };
const nodes: RunningServer[] = [];
let failed = false;
let result: Record<string, unknown> = {};

try {
  // one after the other: the first start of a checkout builds the editor
  nodes.push(await startServer({ root: serverRoot('jz-node-a-'), env, adminToken: admin }));
  nodes.push(await startServer({ root: serverRoot('jz-node-b-'), env, adminToken: admin }));
  const [a, b] = nodes as [RunningServer, RunningServer];
  const names = ['A', 'B'] as const;
  // one case system per node, so that the log tells which node decided
  const systems = [await a.token('load: node A', 'case-system'), await b.token('load: node B', 'case-system')];
  const officer = await a.token('load: Apeldoorn', 'municipality-officer', 'apeldoorn');
  const auditor = await a.token('load: auditor', 'auditor');
  const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  const { versions } = (await (
    await fetch(`${a.base}/api/rulesets/apeldoorn/versions`, { headers: headers(officer) })
  ).json()) as { versions: { version: number; validFrom: string }[] };
  const old = versions.at(-1)!;
  const validFrom = new Date(Date.parse(old.validFrom) + 86_400_000).toISOString().slice(0, 10);
  const probeCase = JSON.stringify(
    admission({
      municipality: 'apeldoorn',
      purpose: 'renewal',
      requestedProductGroup: 'behandeling',
      referenceDate: validFrom,
      entryDate: validFrom,
    }),
  );
  const versionOn = async (node: RunningServer) => {
    const res = await fetch(`${node.base}/api/evaluate?dryRun=true`, {
      method: 'POST',
      headers: headers(officer),
      body: probeCase,
    });
    const decision = (await res.json()) as { ruleSets: { id: string; version: number }[] };
    return decision.ruleSets.find((r) => r.id === 'apeldoorn')!.version;
  };
  // both engines built before the load, so that the publish is what they rebuild for
  await Promise.all([versionOn(a), versionOn(b)]);

  // besides the mixed load, each node logs the overlay's case dated from the new valid-from
  // date every 100 ms: the log then shows to a tenth of a second when each node switched
  let tracing = true;
  const traced = { answered: 0, errors: 0 };
  const tracers = [a, b].map(async (node, i) => {
    while (tracing) {
      const next = new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${node.base}/api/evaluate`, {
        method: 'POST',
        headers: headers(systems[i]!),
        body: probeCase,
      }).catch(() => undefined);
      if (res?.status === 200) traced.answered += 1;
      else traced.errors += 1;
      await res?.text();
      await next;
    }
  });

  const generators = [a, b].map((node, i) =>
    runChild<GeneratorResult>('test/load/generator.ts', [
      `--url=${node.base}`,
      `--token=${systems[i]}`,
      `--rate=${rate / 2}`,
      `--seconds=${seconds}`,
      `--connections=${connections}`,
    ]),
  );

  // the publish, half-way
  await new Promise((r) => setTimeout(r, (seconds * 1000) / 2));
  const current = await (
    await fetch(`${a.base}/api/rulesets/apeldoorn/versions/${old.version}`, { headers: headers(officer) })
  ).json();
  const draft = (await (
    await fetch(`${a.base}/api/rulesets/apeldoorn/drafts`, {
      method: 'POST',
      headers: headers(officer),
      body: JSON.stringify(current),
    })
  ).json()) as { draftId: string };
  const published = await fetch(`${a.base}/api/rulesets/apeldoorn/drafts/${draft.draftId}/publish`, {
    method: 'POST',
    headers: headers(officer),
    body: JSON.stringify({ validFrom, changes: 'Belastingtest met twee nodes' }),
  });
  const publishedAt = Date.now();
  const publishStatus = published.status;
  const probed = performance.now();
  // how long after the 201 each node first decides with the new version (probed back to back)
  const propagationMs = await Promise.all(
    [a, b].map(async (node) => {
      while (performance.now() - probed < 10_000) {
        if ((await versionOn(node)) === old.version + 1) return Math.round(performance.now() - probed);
      }
      return null;
    }),
  );

  const runs = await Promise.all(generators.map((g) => g.result));
  tracing = false;
  await Promise.all(tracers);

  // the log: exactly the answered evaluations, and after the publish only the new version
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const logged = Number((await client.query<{ n: string }>('select count(*) as n from decisions')).rows[0]!.n);
  const after = await client.query<{ decided_by: string; decided_at: string; rule_sets: string }>(
    "select decided_by, decided_at, rule_sets from decisions where municipality = 'apeldoorn' and reference_date >= $1",
    [validFrom],
  );
  await client.end();
  const afterPublish = names.map((name, i) => {
    const rows = after.rows
      .filter((r) => r.decided_by === `load: node ${name}`)
      .map((r) => ({
        at: Date.parse(r.decided_at),
        version: (JSON.parse(r.rule_sets) as { id: string; version: number }[]).find((s) => s.id === 'apeldoorn')!
          .version,
      }));
    const later = rows.filter((r) => r.at > publishedAt + 1000);
    const lastOld = Math.max(...rows.filter((r) => r.version === old.version).map((r) => r.at));
    return {
      node: name,
      decisionsOfTheOverlayFromValidFrom: rows.length,
      moreThanOneSecondAfterThe201: later.length,
      ofThoseOnTheOldVersion: later.filter((r) => r.version !== old.version + 1).length,
      lastOnTheOldVersionMsAfterThe201: Number.isFinite(lastOld) ? lastOld - publishedAt : null,
      probedMsUntilNewVersion: propagationMs[i] ?? null,
    };
  });

  const verify = await Promise.all(
    [a, b].map(async (node) => {
      const res = await fetch(`${node.base}/api/audit/verify`, { headers: headers(auditor) });
      const body = (await res.json()) as { ok: boolean; checked: number; checkpoints: { checked: number } };
      return { ok: body.ok, checked: body.checked, checkpoints: body.checkpoints.checked };
    }),
  );
  const answered = runs.reduce((n, r) => n + r.requests - r.errors, 0) + traced.answered;

  result = {
    ...load,
    startedAt,
    postgres: {
      nodes: 2,
      seconds,
      offeredPerSecond: rate,
      connectionsPerNode: connections,
      perNode: runs.map((r, i) => ({
        node: names[i],
        requests: r.requests,
        offeredPerSecond: r.offeredPerSecond,
        throughputPerSecond: r.throughputPerSecond,
        latencyMs: r.latencyMs,
        errors: r.errors,
        statuses: r.statuses,
      })),
      errors: runs.reduce((n, r) => n + r.errors, 0) + traced.errors,
      tracedEvaluations: traced,
      publish: { status: publishStatus, version: old.version + 1, validFrom, afterPublish },
      logged,
      answered,
      verify,
    },
  };
  failed =
    publishStatus !== 201 ||
    runs.some((r) => r.errors > 0) ||
    traced.errors > 0 ||
    logged !== answered ||
    verify.some((v) => !v.ok) ||
    // the requirement is the log's: a probe also waits for an overloaded node's queue, so it
    // fails only when it never sees the new version
    afterPublish.some(
      (p) =>
        p.probedMsUntilNewVersion === null ||
        p.ofThoseOnTheOldVersion > 0 ||
        (p.lastOnTheOldVersionMsAfterThe201 ?? 0) > 1000,
    );
} finally {
  await Promise.all(nodes.map((n) => n.stop()));
  for (const n of nodes) n.remove();
  await database.drop();
}

if (withSqlite) {
  // the single node on SQLite, at the same total rate, right after on the same machine
  try {
    result.sqlite = await child('test/load/loadtest.ts', [
      '--json',
      `--seconds=${seconds}`,
      `--rate=${rate}`,
      `--connections=${connections}`,
    ]);
  } catch (error) {
    result.sqlite = { failed: (error as Error).message };
    failed = true;
  }
}
result.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
result.ok = !failed;
console.log(JSON.stringify(result, null, 2));
process.exit(failed ? 1 : 0);
