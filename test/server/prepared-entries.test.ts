/**
 * Prepared log entries (`prepareEntry`, made by a batch's workers): the appending side only adds
 * id, time, author and chain, and what it stores and hashes is exactly what a compact entry has
 * always stored — `compactRow` below is the row as the log built it before entries were prepared,
 * and `entryHash` the hash every entry keeps (existing logs must go on verifying). Both stores.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionOf } from '../../engine/compose.js';
import { decisionMembers } from '../../engine/index.js';
import type { Case, Decision, RuleSetRef } from '../../engine/schema.js';
import {
  encodeReasonCodes,
  entryHash,
  GENESIS_HASH,
  insertValues,
  preparedHash,
  prepareEntry,
  type NewDecision,
  type StoredDecision,
} from '../../server/db/log.js';
import { anyValidCase } from '../support/arbitraries.js';
import { collect } from '../support/collect.js';
import { engine } from '../support/factories.js';
import { freshStores, storeFactories } from './stores.js';

const AT = '2026-07-01T00:00:00.000Z';

/** The row of a compact entry as the log built it before prepared entries: the reference. */
function compactRow(
  entry: NewDecision,
  c: { id: string; decidedAt: string; prevHash: string },
): Omit<StoredDecision, 'seq' | 'hash'> {
  return {
    id: c.id,
    municipality: entry.municipality,
    region: entry.region,
    caseType: entry.case.type,
    referenceDate: entry.case.referenceDate,
    outcome: entry.decision.outcome,
    reasonCodes: encodeReasonCodes(entry.decision.reasons.map((r) => r.code)),
    totalCents: entry.decision.tariff?.totalCents ?? null,
    caseJson: JSON.stringify(entry.case),
    // the compact decision text as it has always been written, not through the log's own function
    decisionJson: JSON.stringify({
      outcome: entry.decision.outcome,
      reasonRules: entry.decision.reasons.map((r) => r.ruleId),
      tariff: entry.decision.tariff,
      municipalityCode: entry.decision.municipalityCode,
      engine: entry.decision.engine,
      illustrative: entry.decision.illustrative,
    }),
    tariffJson: null,
    ruleSets: entry.decision.ruleSets as RuleSetRef[],
    decidedAt: c.decidedAt,
    decidedBy: entry.decidedBy,
    prevHash: c.prevHash,
  };
}

/** Random valid cases decided with the compiled backend (as the server decides), without trace. */
let decided: { case: Case; decision: Decision }[];
beforeAll(async () => {
  const e = engine('compiled');
  decided = [];
  for (const c of fc.sample(anyValidCase, { numRuns: 300, seed: 18 })) {
    const decision = await e.decide(c);
    decided.push({ case: c, decision: { ...decision, trace: [] } });
  }
  // the sample must hold what makes rows differ: tariffs and none, reasons and none
  expect(decided.some((d) => d.decision.tariff === null)).toBe(true);
  expect(decided.some((d) => d.decision.tariff !== null)).toBe(true);
  expect(decided.some((d) => d.decision.reasons.length === 0)).toBe(true);
  expect(decided.some((d) => d.decision.reasons.length > 1)).toBe(true);
});

const newDecision = (i: number, decidedBy = 'prepared-test', municipality?: string): NewDecision => {
  const d = decided[i % decided.length]!;
  return {
    municipality: municipality ?? d.case.municipality,
    region: regionOf(d.case.municipality),
    case: d.case,
    decision: d.decision,
    decidedBy,
  };
};

describe('a prepared entry', () => {
  it('is the same from the member texts a batch worker wrote for its answer, with the trace or without', () => {
    decided.forEach((_, i) => {
      const entry = newDecision(i);
      const reference = compactRow(entry, { id: '', decidedAt: AT, prevHash: GENESIS_HASH });
      for (const trace of [true, false]) {
        const p = prepareEntry(entry, decisionMembers(entry.decision, trace));
        expect(p).toEqual(prepareEntry(entry));
        expect(p.decisionJson).toBe(reference.decisionJson);
      }
    });
  });

  it('hashes and stores exactly what a compact entry of the same decision stored', () => {
    // any text where the appending side's fields go, quotes, backslashes and lone surrogates included
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.nat(),
        fc.record({ id: fc.uuid(), decidedAt: text, decidedBy: text, prevHash: text }),
        fc.option(text, { nil: undefined }),
        (i, c, municipality) => {
          const entry = newDecision(i, c.decidedBy, municipality);
          const reference = compactRow(entry, c);
          const p = prepareEntry(entry);
          const hash = preparedHash(p, c);
          expect(hash).toBe(entryHash(reference));
          expect(insertValues(p, c, hash)).toEqual([
            reference.id,
            reference.municipality,
            reference.region,
            reference.caseType,
            reference.referenceDate,
            reference.outcome,
            reference.reasonCodes,
            reference.totalCents,
            reference.caseJson,
            reference.decisionJson,
            reference.tariffJson,
            JSON.stringify(reference.ruleSets),
            reference.decidedAt,
            reference.decidedBy,
            reference.prevHash,
            hash,
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the key order of the rule sets as stored, and sorts them only for the hash', () => {
    const entry = newDecision(0);
    const refs = entry.decision.ruleSets.map((r) => ({ version: r.version, contentHash: r.contentHash, id: r.id }));
    const p = prepareEntry({ ...entry, decision: { ...entry.decision, ruleSets: refs } });
    expect(p.ruleSets).toBe(JSON.stringify(refs));
    expect(p.ruleSets.startsWith('[{"version":')).toBe(true);
    expect(p.hashed[2]).toContain('"ruleSets":[{"contentHash":');
  });
});

describe.each(storeFactories)('prepared entries on $name', (factory) => {
  const store = freshStores(factory);

  it('are stored byte for byte as compact entries, chained to those appended before and after', async () => {
    const s = await store();
    // a chunk of a batch's size or so, not a handful
    const N = 140;
    const first = await s.log.appendMany([newDecision(0), newDecision(1)], AT);
    const entries = Array.from({ length: N }, (_, i) => newDecision(i + 2, 'batch-client'));
    const { ids, head } = await s.log.appendPrepared(
      entries.map((e) => prepareEntry(e)),
      'batch-client',
      AT,
    );
    const last = await s.log.append(newDecision(N + 2), AT);

    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    expect(head.seq).toBe(N + 2);
    const stored = (await collect(s.log.storedText())).flat();
    expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: N + 3 }, (_, i) => i + 1));
    expect(stored.slice(2, N + 2).map((r) => r.id)).toEqual(ids);
    expect(head.hash).toBe(stored[N + 1]!.hash);
    expect(last.prevHash).toBe(head.hash);
    expect(stored[2]!.prevHash).toBe(first[1]!.hash);
    stored.slice(2, N + 2).forEach((row, i) => {
      // chained to the entry stored before it, not to what the row says of itself
      const reference = compactRow(entries[i]!, { id: ids[i]!, decidedAt: AT, prevHash: stored[i + 1]!.hash });
      expect(row).toEqual({
        ...reference,
        ruleSets: JSON.stringify(reference.ruleSets),
        seq: i + 3,
        hash: entryHash(reference),
      });
    });
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: N + 3 });
    // and read back as any compact entry
    const one = (await s.log.get(ids[7]!))!;
    expect(one.caseJson).toEqual(entries[7]!.case);
    expect(one.decidedBy).toBe('batch-client');
  });

  it('give each entry appended in one transaction the seq it is stored under', async () => {
    const s = await store();
    await s.log.append(newDecision(0), AT);
    const rows = await s.log.appendMany(
      Array.from({ length: 120 }, (_, i) => newDecision(i + 1)),
      AT,
    );
    const stored = (await collect(s.log.storedText())).flat();
    expect(rows.map((r) => [r.id, r.seq, r.hash])).toEqual(stored.slice(1).map((r) => [r.id, r.seq, r.hash]));
  });

  it('start the chain at the genesis hash on an empty log', async () => {
    const s = await store();
    const { ids, head } = await s.log.appendPrepared([prepareEntry(newDecision(3))], 'batch-client', AT);
    const [row] = (await collect(s.log.storedText())).flat();
    expect(row).toMatchObject({ id: ids[0], seq: 1, prevHash: GENESIS_HASH, hash: head.hash });
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
  });

  it('append nothing of a chunk that fails', async () => {
    const s = await store();
    await s.log.append(newDecision(0), AT);
    const broken = { ...prepareEntry(newDecision(1)), referenceDate: null as unknown as string };
    await expect(s.log.appendPrepared([prepareEntry(newDecision(2)), broken], 'batch-client', AT)).rejects.toThrow();
    expect(await s.log.count({})).toBe(1);
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
  });
});
