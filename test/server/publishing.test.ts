/**
 * What publishing keeps right now that it checks before its transaction and builds the engine
 * from versions read and hashed before: a version published by someone else between an
 * approval's check and its transaction is checked against; a version changed behind the service's
 * back is still refused after a rebuild; the engine rebuilt after publishes decides as one built
 * afresh over the same versions.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompositionError,
  DecisionEngine,
  defaultBackend,
  RuleSetRepository,
  type RuleSetDocument,
} from '../../engine/index.js';
import type { Store } from '../../server/db/store.js';
import { RulesService } from '../../server/service.js';
import { anyValidCase } from '../support/arbitraries.js';
import { apeldoornRenewal } from '../support/factories.js';
import { changeStoredVersion, serverPool, TEST_SIGNER } from './harness.js';

const server = serverPool();
const AT = '2026-01-01T00:00:00.000Z';

const renewal = (clientsLastYear: number) =>
  apeldoornRenewal(clientsLastYear, { referenceDate: '2026-07-01', entryDate: '2026-07-01' });

/** Publishes the latest version of `id` again from `validFrom`, with `change` applied. */
async function republish(
  service: RulesService,
  id: string,
  validFrom: string,
  change: (d: RuleSetDocument) => void = () => {},
) {
  const latest = (await service.store.ruleSets.versionsOf(id)).at(-1)!.document;
  const document = structuredClone(latest);
  change(document);
  const draft = await service.createDraft(id, document, 'anna');
  return service.publish(id, draft.id, validFrom, 'anna', `opnieuw vanaf ${validFrom}`);
}

/**
 * The store with `before` run once, just before the next transaction begins: what another node
 * publishing between an approval's check and its transaction looks like to this one.
 */
function racing(store: Store) {
  let before: (() => Promise<unknown>) | undefined;
  const raced: Store = Object.create(store) as Store;
  Object.defineProperty(raced, 'transaction', {
    value: async <T>(fn: Parameters<Store['transaction']>[0]) => {
      const run = before;
      before = undefined;
      await run?.();
      return store.transaction(fn) as Promise<T>;
    },
  });
  return { store: raced, beforeNextTransaction: (fn: () => Promise<unknown>) => (before = fn) };
}

describe('an approval', () => {
  async function submitted(validFrom: string) {
    const s = await server();
    const race = racing(s.store);
    const service = new RulesService(race.store, undefined, { signer: TEST_SIGNER, fourEyes: true });
    const latest = (await s.store.ruleSets.versionsOf('apeldoorn')).at(-1)!;
    const draft = await service.createDraft('apeldoorn', latest.document, 'anna');
    await service.submit('apeldoorn', draft.id, validFrom, 'opnieuw', 'anna');
    /** Another node publishes `validFrom` of apeldoorn after the approval's check. */
    const publishedMeanwhile = (other: string) =>
      race.beforeNextTransaction(() =>
        s.store.ruleSets.insertVersion(
          { ...latest.document, version: latest.version + 1, validFrom: other },
          'bert',
          AT,
        ),
      );
    return { s, service, draft, latest, publishedMeanwhile };
  }

  it('is checked again when a version was published between its check and its transaction', async () => {
    const { s, service, draft, latest, publishedMeanwhile } = await submitted('2027-01-10');
    publishedMeanwhile('2027-02-01');
    const approving = service.approve('apeldoorn', draft.id, 'bas', { fourEyes: true });
    await expect(approving).rejects.toThrow(CompositionError);
    await expect(approving).rejects.toMatchObject({ code: 'VALID_FROM_TOO_EARLY' });
    // nothing published after the other node's version, the draft still waits
    const versions = await s.store.ruleSets.versionsOf('apeldoorn');
    expect(versions.at(-1)).toMatchObject({
      version: latest.version + 1,
      validFrom: '2027-02-01',
      publishedBy: 'bert',
    });
    expect(await s.store.ruleSets.draft(draft.id)).toMatchObject({ status: 'submitted' });
  });

  it('publishes as the version after the one published meanwhile, when it still fits after it', async () => {
    const { s, service, draft, latest, publishedMeanwhile } = await submitted('2027-03-01');
    publishedMeanwhile('2027-02-01');
    const row = await service.approve('apeldoorn', draft.id, 'bas', { fourEyes: true });
    expect(row).toMatchObject({ version: latest.version + 2, validFrom: '2027-03-01', approvedBy: 'bas' });
    expect((await s.store.ruleSets.latestVersions()).apeldoorn).toBe(latest.version + 2);
    expect(await s.store.ruleSets.draft(draft.id)).toBeUndefined();
  });
});

describe('the stored versions', () => {
  /** Counts the full reads of every stored document (`storedDocuments`) of `store`. */
  function counting(store: Store) {
    let reads = 0;
    const counted: Store = Object.create(store) as Store;
    const ruleSets = Object.create(store.ruleSets) as Store['ruleSets'];
    ruleSets.storedDocuments = () => {
      reads += 1;
      return store.ruleSets.storedDocuments();
    };
    Object.defineProperty(counted, 'ruleSets', { value: ruleSets });
    return { store: counted, reads: () => reads };
  }

  it('are read in full once per submit and approval (the rebuild), and again when another node published', async () => {
    const s = await server();
    const read = counting(s.store);
    const service = new RulesService(read.store, undefined, { signer: TEST_SIGNER, fourEyes: true });
    await service.engine();
    expect(read.reads()).toBe(1);
    const latest = (await s.store.ruleSets.versionsOf('apeldoorn')).at(-1)!;
    const publishFrom = async (validFrom: string) => {
      const draft = await service.createDraft('apeldoorn', latest.document, 'anna');
      await service.submit('apeldoorn', draft.id, validFrom, 'opnieuw', 'anna');
      await service.approve('apeldoorn', draft.id, 'bas', { fourEyes: true });
      await service.engine();
    };
    await publishFrom('2027-01-10');
    expect(read.reads()).toBe(2);
    // published by someone else (another node): the next check reads them again, and knows it
    await s.store.ruleSets.insertVersion(
      { ...latest.document, version: latest.version + 2, validFrom: '2027-02-01' },
      'bert',
      AT,
    );
    await expect(publishFrom('2027-01-20')).rejects.toMatchObject({ code: 'VALID_FROM_TOO_EARLY' });
    expect(read.reads()).toBe(3);
    await publishFrom('2027-03-01');
    expect((await s.store.ruleSets.latestVersions()).apeldoorn).toBe(latest.version + 3);
  });
});

describe('a published version changed after publishing', () => {
  it('is refused after the next rebuild, although the versions read before are kept', async () => {
    const s = await server();
    expect((await s.request('POST', '/api/evaluate', renewal(4))).status).toBe(200);
    const raw = new Database(s.file);
    try {
      changeStoredVersion(raw, 'apeldoorn', 2, (d) => (d.parameters['admission.minClientsPerYear'] = 1));
    } finally {
      raw.close();
    }
    // a publish of another rule set: the engine is rebuilt, reading every version again
    await republish(s.service, 'zwolle', '2027-01-01');
    const res = await s.request('POST', '/api/evaluate', renewal(4));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'VERSION_TAMPERED', ruleSet: 'apeldoorn', version: 2 });
    expect(await s.service.tamperedVersions()).toEqual([{ ruleSet: 'apeldoorn', version: 2 }]);
  });
});

describe('the engine rebuilt after publishes', () => {
  it('decides random cases byte for byte as an engine built afresh over the same versions', async () => {
    const s = await server();
    const minClients = (n: number) => (d: RuleSetDocument) => {
      (d.parameters as Record<string, unknown>)['admission.minClientsPerYear'] = n;
    };
    // overlays, a region and an overlay on it, each followed by a rebuild (the next evaluation's)
    const publishes: [string, string, ((d: RuleSetDocument) => void)?][] = [
      ['apeldoorn', '2027-01-01', minClients(7)],
      ['ijsselland', '2027-06-01'],
      ['zwolle', '2027-09-01'],
      ['apeldoorn', '2028-01-01', minClients(3)],
      ['midden-ijssel-oost-veluwe', '2028-06-01'],
      ['apeldoorn', '2029-01-01', minClients(6)],
    ];
    for (const [id, validFrom, change] of publishes) {
      await republish(s.service, id, validFrom, change);
      await s.service.engine();
    }
    const rebuilt = await s.service.engine();
    const fresh = new DecisionEngine(
      new RuleSetRepository((await s.store.ruleSets.versions()).map((v) => v.document)),
      defaultBackend,
    );
    const settle = (p: Promise<unknown>) =>
      p.then(
        (d) => JSON.stringify(d),
        (e: unknown) => `threw ${(e as Error).name}: ${(e as Error).message}`,
      );
    let decided = 0;
    await fc.assert(
      fc.asyncProperty(anyValidCase, async (c) => {
        const [want, got] = await Promise.all([settle(fresh.decide(c)), settle(rebuilt.decide(c))]);
        expect(got).toBe(want);
        if (!want.startsWith('threw')) decided += 1;
      }),
      { numRuns: 400, seed: 18 },
    );
    expect(decided).toBeGreaterThan(300);
    // and the versions published are the ones it decides with
    const apeldoorn = rebuilt.repository.overlayVersions('apeldoorn').at(-1)!.document;
    expect(apeldoorn).toMatchObject({ validFrom: '2029-01-01' });
    expect(apeldoorn.parameters['admission.minClientsPerYear']).toBe(6);
  });
});
