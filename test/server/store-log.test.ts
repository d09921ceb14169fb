/**
 * The decision log module on a real temporary SQLite file: reason codes stored in their encoding
 * and read back as lists, searched as whole codes, and a hash chain that verifies after appends.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { regionOf } from '../../engine/compose.js';
import { ReasonCode, type Case, type Decision } from '../../engine/schema.js';
import { decodeReasonCodes, encodeReasonCodes, type NewDecision } from '../../server/db/log.js';
import { openDatabase, openDataDir, type Store } from '../../server/db/open.js';
import { admission, decide } from '../support/factories.js';

const AT = '2026-07-01T00:00:00.000Z';
const opened: Store[] = [];
function store() {
  const s = openDataDir(mkdtempSync(join(tmpdir(), 'store-log-')));
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

// a real decision with a reason, whose reasons each test replaces with the codes it needs
let template: { case: Case; decision: Decision };
beforeAll(async () => {
  const c = admission({
    municipality: 'apeldoorn',
    purpose: 'renewal',
    requestedProductGroup: 'behandeling',
    provider: { clientsLastYear: 1 },
  }) as Case;
  template = { case: c, decision: await decide(c) };
  expect(template.decision.reasons.length).toBeGreaterThan(0);
});

function entry(codes: string[]): NewDecision {
  const reason = template.decision.reasons[0]!;
  return {
    municipality: template.case.municipality,
    region: regionOf(template.case.municipality),
    case: template.case,
    decision: { ...template.decision, reasons: codes.map((code) => ({ ...reason, code })) },
    decidedBy: 'store-log-test',
  };
}

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

  it('hands every reader lists: the appended row, one entry, a page and the summaries', () => {
    const s = store();
    const [appended] = s.log.appendMany([entry(['TOO_FEW_CLIENTS', 'NO_SKJ']), entry([])], AT);
    expect(appended!.reasonCodes).toEqual(['TOO_FEW_CLIENTS', 'NO_SKJ']);
    expect(s.log.get(appended!.id)!.reasonCodes).toEqual(['TOO_FEW_CLIENTS', 'NO_SKJ']);
    expect(s.log.page({}, { limit: 10, offset: 0 }).items.map((r) => r.reasonCodes)).toEqual([
      [],
      ['TOO_FEW_CLIENTS', 'NO_SKJ'],
    ]);
    expect([...s.log.summaries({})].flat().map((r) => r.reasonCodes)).toEqual([['TOO_FEW_CLIENTS', 'NO_SKJ'], []]);
  });

  it('finds a reason code only as a whole code', () => {
    const s = store();
    s.log.appendMany([entry(['TOO_FEW_CLIENTS']), entry(['TOO_FEW']), entry(['FEW_CLIENTS', 'OTHER'])], AT);
    expect(s.log.count({ reasonCode: 'TOO_FEW' })).toBe(1);
    expect(s.log.count({ reasonCode: 'FEW_CLIENTS' })).toBe(1);
    expect(s.log.count({ reasonCode: 'OTHER' })).toBe(1);
    expect(s.log.count({ reasonCode: 'CLIENTS' })).toBe(0);
  });
});

describe('the hash chain', () => {
  it('verifies after appends one at a time and in batches', () => {
    const s = store();
    expect(s.log.verifyChain()).toEqual({ ok: true, checked: 0 });
    const first = s.log.append(entry(['TOO_FEW_CLIENTS']), AT);
    const batch = s.log.appendMany([entry([]), entry(['NO_SKJ', 'TOO_FEW_CLIENTS'])], AT);
    const last = s.log.append(entry(['NO_SKJ']), AT, JSON.stringify(entry(['NO_SKJ']).decision));
    // each entry links to the one before it
    expect([first, ...batch, last].map((r) => r.prevHash).slice(1)).toEqual([first, ...batch].map((r) => r.hash));
    expect(s.log.verifyChain()).toEqual({ ok: true, checked: 4 });
  });

  it('appends nothing of a batch that fails', () => {
    const s = store();
    s.log.append(entry([]), AT);
    const broken = { ...entry([]), case: { ...template.case, referenceDate: null as unknown as string } };
    expect(() => s.log.appendMany([entry([]), broken], AT)).toThrow();
    expect(s.log.count({})).toBe(1);
    expect(s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
  });
});

describe('streaming the log', () => {
  it('splits it into ranges that together hold every matching entry once, readable by a read-only connection', () => {
    const s = store();
    s.log.appendMany(
      Array.from({ length: 23 }, (_, i) => entry(i % 3 === 0 ? ['TOO_FEW_CLIENTS'] : [])),
      AT,
    );
    const filter = { reasonCode: 'TOO_FEW_CLIENTS' };
    const ranges = s.log.seqRanges(filter, 3);
    expect(ranges).toHaveLength(3);
    const reader = openDatabase(s.file, { readonly: true });
    try {
      const parts = ranges.map((range) => [...reader.log.summaries(filter, 2, range)].flat().map((r) => r.seq));
      expect(parts.flat()).toEqual([...s.log.summaries(filter)].flat().map((r) => r.seq));
      expect(parts.flat()).toHaveLength(s.log.count(filter));
      expect(() => reader.log.append(entry([]), AT)).toThrow(/readonly/);
    } finally {
      reader.close();
    }
  });
});
