/**
 * Verify's column check (`EntryColumns`) remembers what a decision text says by its text. Over
 * random entries whose decision texts repeat — whole and compact ones, texts that are not JSON,
 * columns that agree and that do not — it reports exactly what parsing both texts of every entry
 * reports (`definedProblems`, the check as it was written before), also once more distinct texts
 * came than it remembers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, regionOf, type Case, type Decision } from '../../engine/index.js';
import { encodeReasonCodes, type StoredText } from '../../server/db/log.js';
import { EntryColumns, NOT_JSON } from '../../server/entry-columns.js';

/** The check as defined: both texts parsed for every entry. */
function definedProblems(row: StoredText, ruleSets: string | undefined): string[] {
  let c: Case;
  let d: Partial<Decision>;
  try {
    c = JSON.parse(row.caseJson) as Case;
    d = JSON.parse(row.decisionJson) as Partial<Decision>;
  } catch {
    return [NOT_JSON];
  }
  const wrong: string[] = [];
  const expectSame = (column: string, stored: unknown, said: unknown) => {
    if (stored !== said) wrong.push(column);
  };
  expectSame('municipality', row.municipality, c.municipality);
  let region: string | undefined;
  try {
    region = regionOf(c.municipality);
  } catch {
    region = undefined;
  }
  expectSame('region', row.region, region);
  expectSame('case_type', row.caseType, c.type);
  expectSame('reference_date', row.referenceDate, c.referenceDate);
  expectSame('outcome', row.outcome, d.outcome);
  if (d.reasons !== undefined)
    expectSame('reason_codes', row.reasonCodes, encodeReasonCodes(d.reasons.map((r) => r.code)));
  expectSame('total_cents', row.totalCents, d.tariff?.totalCents ?? null);
  if (row.tariffJson !== null) expectSame('tariff_json', row.tariffJson, JSON.stringify(d.tariff));
  if (d.ruleSets !== undefined) expectSame('rule_sets', ruleSets ?? 'null', canonicalJson(d.ruleSets));
  return wrong;
}

const ruleSets = [{ id: 'midden-ijssel-oost-veluwe', version: 2, contentHash: 'sha256:ab' }];
const tariff = fc.oneof(
  fc.constant(null),
  fc.record({ totalCents: fc.integer({ min: 0, max: 5 }), lines: fc.constant([]) }),
);
/** A compact decision text, a whole (older) one with reasons and rule sets, or no JSON at all. */
const decisionText = fc.oneof(
  fc
    .record({ outcome: fc.constantFrom('granted', 'rejected'), reasonRules: fc.constant(['r1']), tariff })
    .map((d) => JSON.stringify(d)),
  fc
    .record({
      outcome: fc.constantFrom('granted', 'review'),
      reasons: fc.array(fc.record({ code: fc.constantFrom('A', 'B') }), { maxLength: 2 }),
      tariff,
      ruleSets: fc.constantFrom(ruleSets, []),
      // a trace of any length: long texts are parsed every time instead of remembered
      trace: fc.oneof(fc.constant([]), fc.constant(['x'.repeat(1_100)])),
    })
    .map((d) => JSON.stringify(d)),
  fc.constantFrom('{"outcome":', ''),
);
const caseText = fc
  .record({
    type: fc.constantFrom('admission', 'allocation'),
    municipality: fc.constantFrom('apeldoorn', 'zwolle', 'atlantis'),
    referenceDate: fc.constantFrom('2026-01-01', '2026-06-01'),
  })
  .map((c) => JSON.stringify(c));

/** Entries whose decision texts come from a small pool (as in a log), with columns that may differ. */
const entries = fc.array(decisionText, { minLength: 1, maxLength: 4 }).chain((pool) =>
  fc.array(
    fc.record({
      caseJson: fc.oneof({ weight: 9, arbitrary: caseText }, { weight: 1, arbitrary: fc.constant('{') }),
      decisionJson: fc.constantFrom(...pool),
      municipality: fc.constantFrom('apeldoorn', 'zwolle'),
      region: fc.constantFrom(regionOf('apeldoorn'), regionOf('zwolle')),
      caseType: fc.constantFrom('admission', 'allocation'),
      referenceDate: fc.constantFrom('2026-01-01', '2026-06-01'),
      outcome: fc.constantFrom('granted', 'rejected', 'review'),
      reasonCodes: fc.constantFrom(' A ', '  ', ' A B '),
      totalCents: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5 })),
      tariffJson: fc.oneof(
        fc.constant(null),
        tariff.map((t) => JSON.stringify(t)),
      ),
      ruleSets: fc.constantFrom(canonicalJson(ruleSets), '[]', undefined),
    }),
    { maxLength: 30 },
  ),
);

describe("verify's column check", () => {
  it('reports what parsing both texts of every entry reports, when decision texts repeat', () => {
    fc.assert(
      fc.property(entries, (rows) => {
        const columns = new EntryColumns();
        for (const r of rows) {
          const row = r as unknown as StoredText;
          expect(columns.problems(row, r.ruleSets)).toEqual(definedProblems(row, r.ruleSets));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('still checks every entry once more distinct decision texts came than it remembers', () => {
    const columns = new EntryColumns();
    const row = (totalCents: number, stored: number) =>
      ({
        caseJson: JSON.stringify({ type: 'admission', municipality: 'apeldoorn', referenceDate: '2026-01-01' }),
        decisionJson: JSON.stringify({ outcome: 'granted', reasonRules: [], tariff: { totalCents } }),
        municipality: 'apeldoorn',
        region: regionOf('apeldoorn'),
        caseType: 'admission',
        referenceDate: '2026-01-01',
        outcome: 'granted',
        reasonCodes: '  ',
        totalCents: stored,
        tariffJson: null,
      }) as unknown as StoredText;
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 25_000; i += 1) {
        // every seventh entry's total column differs from its (remembered or new) decision text
        const wrong = i % 7 === 0;
        expect(columns.problems(row(i, wrong ? i + 1 : i), undefined)).toEqual(wrong ? ['total_cents'] : []);
      }
  });
});
