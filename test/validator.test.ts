/**
 * The case validator generated from the zod schema (engine/generated/case-validator.ts): the
 * committed file is what the generator writes now (run npm run schema when this fails), the
 * generator refuses a refinement it cannot write as JSON Schema, and the fast path gives zod's
 * answers on the edges that JSON Schema alone would get wrong.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isValidIsoDate } from '../engine/dates.js';
import { CASE_VALIDATOR_FILE, caseJsonSchema, caseValidatorSource } from '../engine/scripts/case-validator.js';
import { CBS_CODES, MUNICIPALITY_IDS } from '../engine/schema.js';
import { parseCase, parseCaseByZod } from '../engine/validate-case.js';
import { compareOn } from './support/validator-differential.js';
import { admission, ijsselAllocation, mijovAllocation } from './support/factories.js';

const generatedFile = fileURLToPath(new URL(`../engine/${CASE_VALIDATOR_FILE}`, import.meta.url));

describe('the generated case validator', () => {
  it('is current: the generator run now writes the committed file (run npm run schema)', () => {
    expect(readFileSync(generatedFile, 'utf8') === caseValidatorSource(), `${CASE_VALIDATOR_FILE} is stale`).toBe(true);
  });

  it('writes each refinement of Case as a JSON Schema keyword', () => {
    const text = JSON.stringify(caseJsonSchema());
    expect(text).toContain('"format":"iso-date"');
    expect(text).toContain('"uniqueItems":true');
  });

  it('refuses to generate from a schema with a refinement it does not know', () => {
    const withUnknownRefinement = z.object({ name: z.string().refine((s) => s !== 'b') });
    expect(() => caseJsonSchema(withUnknownRefinement)).toThrow(/refinement at .*name.*REFINEMENTS/);
  });

  it.each([
    ['an impossible date', ijsselAllocation({ referenceDate: '2026-02-30' })],
    ['a 29 February outside a leap year', ijsselAllocation({ youth: { birthDate: '2023-02-29' } })],
    ['a level named twice', admission({ provider: { levels: ['basis', 'basis'] } })],
    ['an unknown field', { ...ijsselAllocation(), extra: 1 }],
    ['a product slug one character too long', mijovAllocation({ request: { product: 'a'.repeat(101) } })],
    ['a name of 501 code points (in 1,002 code units)', admission({ provider: { name: '😀'.repeat(501) } })],
    ['a name of 501 lone surrogates', admission({ provider: { name: '\ud800'.repeat(501) } })],
    ['a number that is not finite', mijovAllocation({ request: { units: Infinity } })],
    ['a profile that is not an integer', ijsselAllocation({ request: { profile: 2.5 } })],
  ])('refuses %s, with zod’s issues', (_name, input) => {
    const fast = parseCase(input);
    expect(fast.ok).toBe(false);
    expect(fast).toEqual(parseCaseByZod(input));
  });

  it.each([
    ['29 February of a leap year', ijsselAllocation({ youth: { birthDate: '2012-02-29' } })],
    // zod counts a string's length in code points, a surrogate pair once
    ['a name of 500 code points in 1,000 code units', admission({ provider: { name: '😀'.repeat(500) } })],
    [
      'control characters in a provider name (the case schema allows them)',
      admission({ provider: { name: 'A\u0000B' } }),
    ],
  ])('accepts %s, as zod does', (_name, input) => {
    expect(compareOn(input)).toEqual({ accepted: true, difference: undefined });
  });

  it('gives the value zod gives: slug for a CBS code, defaults, keys in schema order', () => {
    const { municipality: _m, ...rest } = ijsselAllocation();
    const input = { request: rest.request, ...rest, municipality: 'GM0193', familyPlan: { present: true } };
    const fast = parseCase(input);
    const zod = parseCaseByZod(input);
    expect(fast.ok && fast.case.municipality).toBe('zwolle');
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
    expect(fast).toStrictEqual(zod);
  });

  it('checks dates as the calendar does, for every day of four centuries of Februaries and more', () => {
    for (let year = 1600; year <= 2400; year += 1) {
      for (const [month, day] of [
        [2, 28],
        [2, 29],
        [2, 30],
        [4, 30],
        [4, 31],
        [12, 31],
        [13, 1],
        [0, 1],
        [1, 0],
      ] as const) {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const date = new Date(Date.UTC(year, month - 1, day));
        const exists = month >= 1 && month <= 12 && day >= 1 && date.getUTCDate() === day;
        expect(isValidIsoDate(iso), iso).toBe(exists);
      }
    }
    for (const bad of ['2026-1-01', '2026-01-1x', '２０２６-01-01', '2026/01/01', ' 2026-01-01', '2026-01-011']) {
      expect(isValidIsoDate(bad), bad).toBe(false);
    }
  });
});

describe('the generated case validator: municipalities', () => {
  it('accepts every way to name a municipality and refuses near misses, as zod does', () => {
    const names = [...MUNICIPALITY_IDS, ...CBS_CODES, ...CBS_CODES.map((c) => `GM${c}`)];
    for (const municipality of names) {
      expect(compareOn(ijsselAllocation({ municipality })), municipality).toEqual({
        accepted: true,
        difference: undefined,
      });
    }
    for (const municipality of ['Zwolle', 'zwolle ', 'gm0193', '193', 'GM193', '', 'toString', '__proto__', 193]) {
      const result = compareOn(ijsselAllocation({ municipality }));
      expect(result, String(municipality)).toEqual({ accepted: false, difference: undefined });
    }
  });
});
