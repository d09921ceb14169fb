/**
 * The example cases of the contract (copied into `test/fixtures/examples/`): each must give the
 * outcome and reason codes its `expected.json` entry names. The format of expected.json is
 * documented in that folder's README.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaseValidationError } from '../engine/errors.js';
import { BACKEND_NAMES, codesOf, decider } from './support/factories.js';

const dir = fileURLToPath(new URL('./fixtures/examples/', import.meta.url));
interface Expected {
  outcome: 'granted' | 'rejected' | 'review' | 'invalid';
  codes: string[];
  forbid: string[];
  tariff: string | null;
}
const expected = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8')) as Record<string, Expected>;
const entries = Object.entries(expected);

// on both backends: the server decides with the compiled one, json-rules-engine is the reference
describe.each(BACKEND_NAMES)('contract examples, on %s', (backend) => {
  const { decide } = decider(backend);

  it('has examples to check', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(6);
  });

  it.each(entries)('%s decides as expected', check);

  async function check(file: string, want: Expected) {
    const input: unknown = JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
    if (want.outcome === 'invalid') {
      await expect(decide(input)).rejects.toBeInstanceOf(CaseValidationError);
      return;
    }
    const decision = await decide(input);
    expect(decision.outcome).toBe(want.outcome);
    for (const code of want.codes) expect(codesOf(decision)).toContain(code);
    for (const code of want.forbid) expect(codesOf(decision)).not.toContain(code);

    const t = decision.tariff;
    if (want.tariff === 'output' || want.tariff?.startsWith('output-top-')) {
      expect(t?.model).toBe('output');
      if (t?.model !== 'output') return;
      expect(t.totalCents).toBeGreaterThan(0);
      expect(t.advanceCents + t.remainderCents).toBe(t.totalCents);
      if (want.tariff.startsWith('output-top-'))
        expect(t.totalCents).toBe(Number(want.tariff.slice('output-top-'.length)));
    } else if (want.tariff?.startsWith('effort-')) {
      expect(t?.model).toBe('effort');
      if (t?.model !== 'effort') return;
      expect(t.units).toBe(Number(want.tariff.slice('effort-'.length)));
      expect(t.totalCents).toBe(Math.round(t.unitPriceCents * t.units));
    }
  }
});
