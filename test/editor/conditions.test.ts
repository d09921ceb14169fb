/** The condition tree operations the editor's tree component is built on. */
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../engine/schema.js';
import {
  appendAt,
  at,
  conditionSentence,
  decisionColumns,
  decisionRow,
  defaultLiteral,
  literalFits,
  removeAt,
  replaceAt,
  setGroupKind,
} from '../../editor/lib/conditions.js';

const tree: Condition = {
  all: [
    { fact: 'profile', operator: 'equal', value: 12 },
    { any: [{ fact: 'ageYears', operator: 'lessThan', value: { fact: 'param:dyslexia.minAge' } }] },
  ],
};

describe('condition tree operations', () => {
  it('reads and replaces a node by its path without touching the original', () => {
    const next = replaceAt(tree, [1, 0], { fact: 'ageYears', operator: 'greaterThan', value: 3 });
    expect(at(next, [1, 0])).toEqual({ fact: 'ageYears', operator: 'greaterThan', value: 3 });
    expect(at(tree, [1, 0])).toMatchObject({ operator: 'lessThan' });
  });

  it('appends to a group and removes again', () => {
    const added = appendAt(tree, [1], { fact: 'profile', operator: 'equal', value: 10 });
    expect((at(added, [1]) as { any: Condition[] }).any).toHaveLength(2);
    expect(removeAt(added, [1, 1])).toEqual(tree);
  });

  it('never empties a group: json-rules-engine needs one condition', () => {
    expect(removeAt(tree, [1, 0])).toEqual(tree);
  });

  it('switches a group between all, any and not', () => {
    expect(at(setGroupKind(tree, [1], 'all'), [1])).toEqual({
      all: (tree as { all: Condition[] }).all[1] && [
        { fact: 'ageYears', operator: 'lessThan', value: { fact: 'param:dyslexia.minAge' } },
      ],
    });
    expect(setGroupKind(tree, [], 'not')).toEqual({ not: { fact: 'profile', operator: 'equal', value: 12 } });
  });
});

describe('conditions in Dutch', () => {
  const label = (name: string) => (name === 'dyslexia.minAge' ? 'minimumleeftijd dyslexie (7)' : name);

  it('reads a tree as a sentence with Dutch facts, operators and parameters', () => {
    expect(conditionSentence(tree, label)).toBe(
      'profiel is gelijk aan 12 en leeftijd in jaren is kleiner dan minimumleeftijd dyslexie (7)',
    );
    expect(
      conditionSentence(
        { all: [{ not: { fact: 'openEnded', operator: 'equal', value: true } }, { any: [tree, tree] }] },
        label,
      ),
    ).toMatch(/^niet \(zonder einddatum is gelijk aan ja\) en \(\(profiel/);
  });

  it('turns rules into decision table rows: a column per fact, alternatives marked', () => {
    const other: Condition = { all: [{ fact: 'referrer', operator: 'in', value: ['huisarts', 'jeugdarts'] }] };
    expect(decisionColumns([tree, other])).toEqual(['profile', 'ageYears', 'referrer']);
    const row = decisionRow(
      { all: [{ fact: 'profile', operator: 'equal', value: 12 }, { any: [at(tree, [1, 0]), at(tree, [1, 0])] }] },
      label,
    );
    expect(row.get('profile')).toEqual([{ text: '= 12', context: 'all' }]);
    expect(row.get('ageYears')![0]).toEqual({ text: '< minimumleeftijd dyslexie (7)', context: 'any' });
    expect(decisionRow(other, label).get('referrer')).toEqual([
      { text: 'een van huisarts, jeugdarts', context: 'all' },
    ]);
    // the engine's symbols, less the "is" of a sentence: the fact stands in the column's header
    const more = decisionRow(
      {
        all: [
          { fact: 'ageYears', operator: 'greaterThanInclusive', value: 7 },
          { fact: 'referrer', operator: 'notIn', value: ['huisarts'] },
        ],
      },
      label,
    );
    expect(more.get('ageYears')).toEqual([{ text: '≥ 7', context: 'all' }]);
    expect(more.get('referrer')).toEqual([{ text: 'geen van huisarts', context: 'all' }]);
  });

  it('keeps a value that fits a new fact or operator and resets one that does not', () => {
    expect(literalFits('ageYears', 'lessThan', 7)).toBe(true);
    expect(literalFits('referrer', 'equal', 7)).toBe(false);
    expect(literalFits('referrer', 'in', ['huisarts'])).toBe(true);
    expect(defaultLiteral('referrer', 'equal')).toBe('gemeentelijke-toegang');
    expect(defaultLiteral('openEnded', 'equal')).toBe(true);
    expect(defaultLiteral('ageYears', 'notIn')).toEqual([]);
  });
});
