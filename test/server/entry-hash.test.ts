/**
 * The hash of a log entry is fixed: every log ever written must verify. `entryHash` now writes the
 * canonical JSON of an entry's fields by concatenation (`entryFieldsText`) and hashes one string
 * (`hashOfEntry`), and verify takes the rule sets' canonical JSON from a cache by stored text
 * (`CanonicalRuleSets`). Over random rows — odd strings, missing and null fields, rule sets with
 * keys in any order — each gives exactly what the definition gives: `canonicalJson` of the fields,
 * then the case and decision texts, fed to SHA-256 one after the other.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../engine/index.js';
import {
  CanonicalRuleSets,
  entryFieldsText,
  entryHash,
  hashOfEntry,
  type StoredDecision,
} from '../../server/db/log.js';

type Row = Omit<StoredDecision, 'seq' | 'hash'>;

/** The definition, as `entryHash` was written before: generic canonical JSON, then the texts. */
function definedHash(row: Row): string {
  const fields = canonicalJson({
    id: row.id,
    municipality: row.municipality,
    region: row.region,
    caseType: row.caseType,
    referenceDate: row.referenceDate,
    outcome: row.outcome,
    reasonCodes: row.reasonCodes,
    totalCents: row.totalCents,
    ruleSets: row.ruleSets,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    prevHash: row.prevHash,
  });
  const digest = createHash('sha256')
    .update(fields)
    .update('\n')
    .update(row.caseJson)
    .update('\n')
    .update(row.decisionJson)
    .digest('hex');
  return `sha256:${digest}`;
}

/**
 * Characters `JSON.stringify` escapes (quote, backslash, control characters, lone surrogates) or
 * leaves as they are although they look like it might not (DEL, line separators, a surrogate pair,
 * non-ASCII): the field writer quotes a string itself only when it holds none of the first kind.
 */
const edgy = fc.constantFrom(
  '"',
  '\\',
  '\u0000',
  '\b',
  '\n',
  '\u001f',
  ' ',
  '\u007f',
  '\u2028',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'é',
);
// any text, including quotes, backslashes, control characters, lone surrogates and astral ones,
// also in the middle of otherwise plain text
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\u2028', '\ud800'),
  fc.array(fc.oneof(fc.string({ unit: 'grapheme-ascii' }), edgy), { maxLength: 6 }).map((parts) => parts.join('')),
);
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.constant(undefined) });
const ruleSet = fc.record(
  {
    id: text,
    version: fc.integer(),
    contentHash: text,
    extra: fc.oneof(fc.constant(undefined), fc.jsonValue()),
  },
  { requiredKeys: ['id', 'version'] },
);
const row: fc.Arbitrary<Row> = fc.record({
  id: maybe(text),
  municipality: maybe(text),
  region: maybe(text),
  caseType: maybe(text),
  referenceDate: maybe(text),
  outcome: maybe(fc.constantFrom('granted', 'rejected', 'review')),
  reasonCodes: maybe(text),
  totalCents: fc.oneof(fc.integer(), fc.constant(null), fc.double(), fc.constant(undefined)),
  caseJson: text,
  decisionJson: text,
  tariffJson: fc.oneof(text, fc.constant(null)),
  ruleSets: fc.oneof(
    { weight: 5, arbitrary: fc.array(ruleSet, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
  decidedAt: maybe(text),
  decidedBy: maybe(text),
  prevHash: maybe(text),
}) as fc.Arbitrary<Row>;

describe('the hash of a log entry', () => {
  it('writes the fields exactly as canonicalJson does', () => {
    fc.assert(
      fc.property(row, (r) => {
        const { caseJson: _c, decisionJson: _d, tariffJson: _t, ruleSets, ...fields } = r;
        const canonical = canonicalJson({ ...fields, ruleSets });
        expect(entryFieldsText(r, canonicalJson(ruleSets))).toBe(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes each field as JSON.stringify does, whatever characters it holds', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        // one field alone, and two around the rule sets, so that every separator is exercised
        const only = { id: a } as Row;
        expect(entryFieldsText(only, undefined)).toBe(canonicalJson(only));
        const two = { caseType: a, totalCents: null, region: b } as Row;
        expect(entryFieldsText(two, '[]')).toBe(canonicalJson({ ...two, ruleSets: [] }));
      }),
      { numRuns: 5000 },
    );
  });

  it('is the hash the definition gives, from the entry and from its stored rule-set text', () => {
    const cache = new CanonicalRuleSets();
    fc.assert(
      fc.property(row, (r) => {
        const expected = definedHash(r);
        expect(entryHash(r)).toBe(expected);
        if (r.ruleSets !== undefined) {
          // as verify reads it: the column's text, in whatever key order it was written
          const stored = JSON.stringify(r.ruleSets);
          expect(hashOfEntry(entryFieldsText(r, cache.of(stored)), r)).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the canonical JSON of stored rule sets however often and in whatever order they come', () => {
    const cache = new CanonicalRuleSets();
    const texts = ['[{"version":1,"id":"a"}]', '[{"id":"a","version":1}]', '[]', 'null', '[{"id":"b","version":2}]'];
    for (let round = 0; round < 3; round++)
      for (const t of [...texts, ...texts.reverse()]) expect(cache.of(t)).toBe(canonicalJson(JSON.parse(t)));
    // text that is not JSON throws every time, also right after a text that is
    expect(() => cache.of('[{"id":')).toThrow();
    expect(cache.of(texts[0]!)).toBe(canonicalJson(JSON.parse(texts[0]!)));
    expect(() => cache.of('')).toThrow();
  });
});
