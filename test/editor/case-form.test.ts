/**
 * The test bench's case form holds every case in the contract: each shipped test case and each
 * public example, read into the form and built back, is the same case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { caseFromForm, defaultForm, formFromCase } from '../../editor/lib/case-form.js';
import { Case, DEFAULT_RULES_DIR, loadTestSuites } from '../../engine/index.js';

const EXAMPLES = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));
const cases: [string, unknown][] = [
  ...loadTestSuites(DEFAULT_RULES_DIR).flatMap(({ suite }) =>
    suite.testCases.map((t) => [`${suite.ruleSet}: ${t.name}`, t.case] as [string, unknown]),
  ),
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json') && f !== 'expected.json')
    .map((f) => [f, JSON.parse(readFileSync(`${EXAMPLES}${f}`, 'utf8'))] as [string, unknown]),
];

describe('the case form', () => {
  it.each(cases)('holds %s without JSON', (_name, c) => {
    const form = formFromCase(c, defaultForm('2026-01-01'));
    expect(Case.parse(caseFromForm(form))).toEqual(Case.parse(c));
  });

  it('gives a valid case from its defaults, for either type', () => {
    const form = defaultForm('2026-03-02');
    expect(Case.safeParse(caseFromForm(form)).success).toBe(true);
    expect(Case.safeParse(caseFromForm({ ...form, type: 'admission' })).success).toBe(true);
    expect(Case.safeParse(caseFromForm({ ...form, requestKind: 'product', endDate: '2026-06-30' })).success).toBe(true);
    expect(Case.safeParse(caseFromForm({ ...form, requestKind: 'service' })).success).toBe(true);
  });
});
