/**
 * The values table in README.md and rules/README.md is generated from the rule data
 * (`npm run values-table`, engine/scripts/values-table.ts); this test regenerates it and fails
 * when either file is stale, and checks what the table says about a few values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRuleSetFiles, pathFromModule } from '../engine/loader.js';
import {
  END_MARKER,
  expectedFiles,
  fullTable,
  PROVISIONAL,
  START_MARKER,
  summaryTable,
  valueGroups,
  valueInWords,
} from '../engine/scripts/values-table.js';

const ROOT = pathFromModule('..', import.meta.url);
const groups = valueGroups(loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document));
const rowsOf = (ruleSet: string) => groups.find((g) => g.ruleSet === ruleSet)?.rows ?? [];

describe('the values table', () => {
  it('is current in README.md and rules/README.md (run npm run values-table)', async () => {
    for (const { path, expected } of await expectedFiles(ROOT)) {
      const text = readFileSync(path, 'utf8');
      expect(text, `${path} has no values table markers`).toContain(START_MARKER);
      expect(text, `${path} has no values table markers`).toContain(END_MARKER);
      expect(text === expected, `${path} is stale: run npm run values-table`).toBe(true);
    }
  });

  it('writes values as policy staff do: euros, Dutch dates, units', () => {
    expect(valueInWords({ type: 'cents' }, 2_500_000)).toBe('€ 25.000');
    expect(valueInWords({ type: 'percentage' }, 70)).toBe('70%');
    expect(valueInWords({ type: 'integer', unit: 'dagen' }, 28)).toBe('28 dagen');
    expect(valueInWords({ type: 'integer', unit: 'maanden' }, 1)).toBe('1 maand');
    expect(valueInWords({ type: 'integer', unit: 'percentiel' }, 10)).toBe('percentiel 10');
    expect(valueInWords({ type: 'month-days' }, ['01-01', '07-01'])).toBe('1 januari en 1 juli');
    expect(valueInWords({ type: 'string-list' }, [])).toBe('geen');
  });

  it('has a group for every region version and every overlay version that sets a value', () => {
    expect(groups.map((g) => g.ruleSet)).toEqual([
      'ijsselland v1',
      'ijsselland v2',
      'midden-ijssel-oost-veluwe v1',
      'midden-ijssel-oost-veluwe v2',
      'deventer v2',
      'apeldoorn v2',
      'lochem v2',
      'zutphen v2',
    ]);
  });

  it("gives IJsselland 2022's components with their grounds: profile 11 from 004, the rest provisional", () => {
    const components = rowsOf('ijsselland v2').filter((r) => r.what.startsWith('onderdeel'));
    expect(components.map((r) => [r.what, r.value, r.source])).toEqual([
      ['onderdeel van profielen 1–10', 'ambulant; in het topsegment wonen-verblijf', PROVISIONAL],
      [
        'onderdeel van profiel 11',
        'crisis',
        '004 Informatienota Steenwijkerland (2021), Onderdelen jeugdhulp, Crisisfunctie',
      ],
      ['onderdeel van profiel 12', 'ambulant', PROVISIONAL],
    ]);
    expect(rowsOf('ijsselland v1').filter((r) => r.what.startsWith('onderdeel'))).toEqual([]);
  });

  it('summarises a tariff table in one row and cites a sourced threshold by document and section', () => {
    const v2 = rowsOf('ijsselland v2');
    expect(v2.find((r) => r.name === 'tarieven')).toMatchObject({
      what: 'tarieven middensegment (34 bedragen)',
      source: PROVISIONAL,
      provisional: true,
    });
    expect(v2.find((r) => r.name === '`topSegment.reviewAboveCents`')).toMatchObject({
      value: '€ 25.000',
      source: expect.stringMatching(/^002 Inkoopstrategie IJsselland \(2017\), Bijlage A Risicoanalyse/),
      provisional: false,
    });
    expect(rowsOf('deventer v2')).toEqual([
      expect.objectContaining({ value: '€ 20.000', source: PROVISIONAL, provisional: true }),
    ]);
  });

  it('renders one Markdown table each, the full one and the summary', () => {
    for (const table of [fullTable(groups), summaryTable(groups)]) {
      const lines = table.split('\n');
      expect(lines.every((l) => l.startsWith('| ') && l.endsWith(' |'))).toBe(true);
      expect(new Set(lines.map((l) => l.split(' | ').length)).size).toBe(1);
    }
    expect(summaryTable(groups).split('\n')).toHaveLength(groups.length + 2);
  });
});
