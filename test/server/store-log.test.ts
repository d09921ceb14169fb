/**
 * The decision log on every store (see stores.ts): reason codes stored in their encoding and read
 * back as lists, searched as whole codes, a hash chain that verifies after appends (concurrent
 * ones too), and transactions that hold all of their writes or none and let no one else's in.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReasonCode } from '../../engine/schema.js';
import { decodeReasonCodes, encodeReasonCodes } from '../../server/db/log.js';
import { openDatabase, openDataDir, type SqliteStore } from '../../server/db/open.js';
import { collect } from '../support/collect.js';
import { entryTemplate, entryWithCodes, type EntryTemplate } from './log-entries.js';
import { freshStores, storeFactories } from './stores.js';

const AT = '2026-07-01T00:00:00.000Z';
const opened: SqliteStore[] = [];
function sqliteStore() {
  const s = openDataDir(mkdtempSync(join(tmpdir(), 'store-log-')));
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

let template: EntryTemplate;
beforeAll(async () => {
  template = await entryTemplate();
});
const entry = (codes: string[]) => entryWithCodes(template, codes, 'store-log-test');

describe('reason-code encoding', () => {
  it('decodes what it encodes, the empty list included', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Z][A-Z0-9_]+$/)), (codes) => {
        expect(decodeReasonCodes(encodeReasonCodes(codes))).toEqual(codes);
      }),
    );
    expect(ReasonCode.safeParse('A B').success).toBe(false); // why a space can separate codes
  });

  it('keeps the stored form its hashes cover: a space around every code', () => {
    expect(encodeReasonCodes(['TOO_FEW_CLIENTS', 'NO_SKJ'])).toBe(' TOO_FEW_CLIENTS NO_SKJ ');
    expect(encodeReasonCodes([])).toBe('  ');
  });
});

describe.each(storeFactories)('on $name', (factory) => {
  const store = freshStores(factory);

  describe('reason codes', () => {
    it('hands every reader lists: the appended row, one entry, a page and the summaries', async () => {
      const s = await store();
      const [appended] = await s.log.appendMany([entry(['TOO_FEW_CLIENTS', 'NO_SKJ']), entry([])], AT);
      expect(appended!.reasonCodes).toEqual(['TOO_FEW_CLIENTS', 'NO_SKJ']);
      expect((await s.log.get(appended!.id))!.reasonCodes).toEqual(['TOO_FEW_CLIENTS', 'NO_SKJ']);
      expect((await s.log.page({}, { limit: 10, offset: 0 })).items.map((r) => r.reasonCodes)).toEqual([
        [],
        ['TOO_FEW_CLIENTS', 'NO_SKJ'],
      ]);
      expect((await collect(s.log.summaries({}))).flat().map((r) => r.reasonCodes)).toEqual([
        ['TOO_FEW_CLIENTS', 'NO_SKJ'],
        [],
      ]);
    });

    it('finds a reason code only as a whole code', async () => {
      const s = await store();
      await s.log.appendMany([entry(['TOO_FEW_CLIENTS']), entry(['TOO_FEW']), entry(['FEW_CLIENTS', 'OTHER'])], AT);
      expect(await s.log.count({ reasonCode: 'TOO_FEW' })).toBe(1);
      expect(await s.log.count({ reasonCode: 'FEW_CLIENTS' })).toBe(1);
      expect(await s.log.count({ reasonCode: 'OTHER' })).toBe(1);
      expect(await s.log.count({ reasonCode: 'CLIENTS' })).toBe(0);
    });
  });

  describe('compact entries', () => {
    it('keep no trace, name the rules of their reasons, and read back with the rule sets of their column', async () => {
      const s = await store();
      const appended = await s.log.append(entry(['NO_SKJ']), AT);
      const { decisionJson } = (await s.log.get(appended.id))!;
      const { trace: _trace, reasons, ruleSets, ...rest } = template.decision;
      expect(decisionJson).toEqual({ ...rest, ruleSets, reasonRules: reasons.slice(0, 1).map((r) => r.ruleId) });
      expect(decisionJson.trace).toBeUndefined();
      // in the order of a decision's fields, the rule sets where a decision has them
      expect(Object.keys(decisionJson)).toEqual([
        'outcome',
        'reasonRules',
        'tariff',
        'municipalityCode',
        'engine',
        'illustrative',
        'ruleSets',
      ]);
    });
  });

  describe('the hash chain', () => {
    it('verifies after appends one at a time and in batches', async () => {
      const s = await store();
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 0 });
      const first = await s.log.append(entry(['TOO_FEW_CLIENTS']), AT);
      const batch = await s.log.appendMany([entry([]), entry(['NO_SKJ', 'TOO_FEW_CLIENTS'])], AT);
      const last = await s.log.append(entry(['NO_SKJ']), AT);
      // each entry links to the one before it
      expect([first, ...batch, last].map((r) => r.prevHash).slice(1)).toEqual([first, ...batch].map((r) => r.hash));
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 4 });
    });

    it('appends nothing of a batch that fails', async () => {
      const s = await store();
      await s.log.append(entry([]), AT);
      const broken = { ...entry([]), case: { ...template.case, referenceDate: null as unknown as string } };
      await expect(s.log.appendMany([entry([]), broken], AT)).rejects.toThrow();
      expect(await s.log.count({})).toBe(1);
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
    });
  });

  describe('transactions', () => {
    it('keep no row of a body that throws', async () => {
      const s = await store();
      await expect(
        s.transaction(async (tx) => {
          await tx.log.append(entry(['NO_SKJ']), AT);
          await tx.testCases.add({
            ruleSetId: 'zwolle',
            name: 'x',
            caseJson: template.case,
            expectedOutcome: 'granted',
            expectedCodes: [],
            createdBy: 'anna',
            createdAt: AT,
          });
          throw new Error('afgebroken');
        }),
      ).rejects.toThrow('afgebroken');
      expect(await s.log.count({})).toBe(0);
      expect(await s.testCases.list('zwolle')).toEqual([]);
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 0 });
    });

    it('keep one valid chain under appends from separate async calls', async () => {
      const s = await store();
      const appends = Array.from({ length: 20 }, (_, i) =>
        i % 4 === 0
          ? s.transaction(async (tx) => {
              await tx.log.append(entry(['NO_SKJ']), AT);
              await tx.log.append(entry([]), AT);
            })
          : s.log.append(entry(i % 2 ? ['TOO_FEW_CLIENTS'] : []), AT),
      );
      await Promise.all(appends);
      expect(await s.log.count({})).toBe(25);
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 25 });
    });

    it('make a write through the store wait until they end, and do not take it along when rolled back', async () => {
      const s = await store();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const rolledBack = s.transaction(async (tx) => {
        await tx.log.append(entry(['NO_SKJ']), AT);
        entered();
        await held;
        throw new Error('teruggedraaid');
      });
      await inside;
      let outsideDone = false;
      const outside = s.log.append(entry(['TOO_FEW_CLIENTS']), AT).then((row) => {
        outsideDone = true;
        return row;
      });
      // the transaction is open: the write outside it has to wait
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(outsideDone).toBe(false);
      release();
      await expect(rolledBack).rejects.toThrow('teruggedraaid');
      const written = await outside;
      const page = await s.log.page({}, { limit: 10, offset: 0 });
      expect(page.items.map((r) => [r.id, r.reasonCodes])).toEqual([[written.id, ['TOO_FEW_CLIENTS']]]);
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
    });

    it('report the applied schema and count every table', async () => {
      const s = await store();
      expect(await s.schemaVersion()).toMatch(/^\d{4}_/);
      await s.log.append(entry([]), AT);
      expect(await s.counts()).toMatchObject({ decisions: 1, versions: 0, drafts: 0 });
    });
  });
});

describe('streaming the SQLite log', () => {
  it('splits it into ranges that together hold every matching entry once, readable by a read-only connection', async () => {
    const s = sqliteStore();
    await s.log.appendMany(
      Array.from({ length: 23 }, (_, i) => entry(i % 3 === 0 ? ['TOO_FEW_CLIENTS'] : [])),
      AT,
    );
    const filter = { reasonCode: 'TOO_FEW_CLIENTS' };
    const ranges = await s.log.seqRanges(filter, 3);
    expect(ranges).toHaveLength(3);
    const reader = openDatabase(s.file, { readonly: true });
    try {
      const parts: number[][] = [];
      for (const range of ranges)
        parts.push((await collect(reader.log.summaries(filter, 2, range))).flat().map((r) => r.seq));
      expect(parts.flat()).toEqual((await collect(s.log.summaries(filter))).flat().map((r) => r.seq));
      expect(parts.flat()).toHaveLength(await s.log.count(filter));
      await expect(reader.log.append(entry([]), AT)).rejects.toThrow(/readonly/);
    } finally {
      await reader.close();
    }
  });
});
