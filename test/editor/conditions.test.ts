/** The condition tree operations the editor's tree component is built on. */
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../engine/schema.js';
import { appendAt, at, removeAt, replaceAt, setGroupKind } from '../../editor/lib/conditions.js';

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
