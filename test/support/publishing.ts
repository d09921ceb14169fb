/**
 * Publishing the next version of Apeldoorn's overlay through the API, as its officer does (a
 * draft of the latest version, published from the day after it), or straight into a store, and
 * asking a server which version it decides with: the steps the tests of several processes share
 * (two nodes, two workers, one process), whatever client reaches the server.
 */
import { expect } from 'vitest';
import { addDays, type RuleSetDocument } from '../../engine/index.js';
import type { Store } from '../../server/db/store.js';
import { apeldoornRenewal } from './factories.js';

type Json = Record<string, unknown>;

/** One request to one server as a caller with write rights on Apeldoorn: its status and JSON body. */
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Json }>;

/** A version of Apeldoorn's overlay as the API lists it, with its document. */
export interface ApeldoornVersion {
  version: number;
  validFrom: string;
  document: Json;
}

/**
 * Apeldoorn's latest version on `on`, and the day after it: the first date a next version may
 * be valid from.
 */
export async function latestApeldoorn(on: ApiCall): Promise<{ latest: ApeldoornVersion; nextValidFrom: string }> {
  const listed = await on('GET', '/api/rulesets/apeldoorn/versions');
  const { version, validFrom } = (listed.body.versions as { version: number; validFrom: string }[]).at(-1)!;
  const document = (await on('GET', `/api/rulesets/apeldoorn/versions/${version}`)).body;
  return { latest: { version, validFrom, document }, nextValidFrom: addDays(validFrom, 1) };
}

/**
 * Publishes `document` as Apeldoorn's next version from `validFrom` through `on` (a draft, then
 * its publish) and gives the publish's status: 201, or a refusal such as 409 or 422 for a date
 * another publish took first. Four eyes must be off on the server (`FOUR_EYES=off`).
 */
export async function publishApeldoorn(on: ApiCall, document: Json, validFrom: string, changes: string) {
  const draft = await on('POST', '/api/rulesets/apeldoorn/drafts', document);
  if (draft.status !== 201) throw new Error(`concept niet gemaakt: ${draft.status} ${JSON.stringify(draft.body)}`);
  const published = await on('POST', `/api/rulesets/apeldoorn/drafts/${draft.body.draftId as string}/publish`, {
    validFrom,
    changes,
  });
  return published.status;
}

/** The version of Apeldoorn's overlay `on` decides an Apeldoorn renewal dated `date` with (a dry run). */
async function apeldoornVersionOn(on: ApiCall, date: string): Promise<number> {
  const renewal = apeldoornRenewal(12, { referenceDate: date, entryDate: date });
  const res = await on('POST', '/api/evaluate?dryRun=true', renewal);
  if (res.status !== 200) throw new Error(`niet beslist: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.ruleSets as { id: string; version: number }[]).find((r) => r.id === 'apeldoorn')!.version;
}

/**
 * Asks `on` back to back, for `withinMs` at most, until it decides a case dated `date` with
 * `version`: the version it last decided with, and how long after the call that was.
 */
async function untilDecidedWith(on: ApiCall, date: string, version: number, withinMs = 5_000) {
  const at = performance.now();
  let seen = await apeldoornVersionOn(on, date);
  while (seen !== version && performance.now() - at < withinMs) seen = await apeldoornVersionOn(on, date);
  return { seen, ms: performance.now() - at };
}

/**
 * Publishes Apeldoorn's next version through `publishOn` and expects `decideOn` (another node or
 * worker), which decides with the latest version before, to decide with the new one within a
 * second of the 201: how soon a server of several processes takes up a publish. Gives the version
 * published upon and the new version's valid-from date.
 */
export async function expectPublishTakenUp(publishOn: ApiCall, decideOn: ApiCall, changes: string) {
  const { latest, nextValidFrom } = await latestApeldoorn(publishOn);
  // the other has built its engine before the publish
  expect(await apeldoornVersionOn(decideOn, nextValidFrom)).toBe(latest.version);
  expect(await publishApeldoorn(publishOn, latest.document, nextValidFrom, changes)).toBe(201);
  const { seen, ms } = await untilDecidedWith(decideOn, nextValidFrom, latest.version + 1);
  expect(seen).toBe(latest.version + 1);
  expect(ms, `decided with the new version ${Math.round(ms)} ms after the 201`).toBeLessThan(1_000);
  return { latest, nextValidFrom };
}

/**
 * Inserts the next version of Apeldoorn's overlay (the latest's document, from the day after it)
 * straight into `store`, in a transaction of its own, as another process publishing does; with
 * `rollBack` the transaction fails after the insert (`teruggedraaid`) and nothing is published.
 */
export async function insertNextApeldoorn(store: Store, { rollBack = false } = {}): Promise<void> {
  await store.transaction(async (tx) => {
    const latest = (await tx.ruleSets.versionsOf('apeldoorn')).at(-1)!;
    const validFrom = addDays(latest.validFrom, 1);
    const document = { ...latest.document, version: latest.version + 1, validFrom } as RuleSetDocument;
    await tx.ruleSets.insertVersion(document, 'test', new Date().toISOString());
    if (rollBack) throw new Error('teruggedraaid');
  });
}
