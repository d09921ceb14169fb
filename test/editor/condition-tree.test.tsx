// @vitest-environment jsdom
/** The condition tree editor, rendered: its pickers change the tree it was given. */
import { render } from 'solid-js/web';
import { afterEach, describe, expect, it } from 'vitest';
import type { Condition } from '../../engine/schema.js';
import { ConditionTree, parseLiteral } from '../../editor/components/ConditionTree.js';

const tree: Condition = {
  all: [
    { fact: 'profile', operator: 'equal', value: 12 },
    { fact: 'ageYears', operator: 'lessThan', value: { fact: 'param:dyslexia.minAge' } },
  ],
};

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  document.body.innerHTML = '';
});

function mount(condition: Condition) {
  const changes: Condition[] = [];
  const el = document.createElement('div');
  document.body.append(el);
  dispose = render(
    () => (
      <ConditionTree
        condition={condition}
        parameters={['dyslexia.minAge', 'dyslexia.maxAgeExclusive']}
        onChange={(c) => changes.push(c)}
        idPrefix="r"
      />
    ),
    el,
  );
  return { el, changes };
}

function change(el: Element, value: string) {
  (el as HTMLSelectElement | HTMLInputElement).value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('ConditionTree', () => {
  it('shows every condition with a labelled picker for fact, operator and value', () => {
    const { el } = mount(tree);
    expect(el.querySelectorAll('[data-testid=condition]')).toHaveLength(2);
    for (const control of el.querySelectorAll('select, input')) {
      expect(el.querySelector(`label[for="${control.id}"]`), control.id).not.toBeNull();
    }
    expect((el.querySelector('#r-1-value') as HTMLSelectElement).value).toBe('dyslexia.minAge');
  });

  it('offers only known operators and parameters', () => {
    const { el } = mount(tree);
    const operators = [...el.querySelectorAll('#r-0-op option')].map((o) => o.getAttribute('value'));
    expect(operators).toContain('greaterThanInclusive');
    expect(operators).not.toContain('regex');
    expect([...el.querySelectorAll('#r-1-value option')].map((o) => o.getAttribute('value'))).toEqual([
      'dyslexia.minAge',
      'dyslexia.maxAgeExclusive',
    ]);
  });

  it('changes an operator, a parameter and a literal in the tree it reports', () => {
    const { el, changes } = mount(tree);
    change(el.querySelector('#r-0-op')!, 'notEqual');
    expect(changes.at(-1)).toEqual({
      all: [{ fact: 'profile', operator: 'notEqual', value: 12 }, (tree as { all: Condition[] }).all[1]],
    });
    change(el.querySelector('#r-1-value')!, 'dyslexia.maxAgeExclusive');
    expect(changes.at(-1)).toMatchObject({ all: [{}, { value: { fact: 'param:dyslexia.maxAgeExclusive' } }] });
    change(el.querySelector('#r-0-value')!, '10');
    expect(changes.at(-1)).toMatchObject({ all: [{ value: 10 }, {}] });
  });

  it('adds a condition to a group and switches the group to "any"', () => {
    const { el, changes } = mount(tree);
    (el.querySelector('.cond-actions button') as HTMLButtonElement).click();
    expect((changes.at(-1) as { all: Condition[] }).all).toHaveLength(3);
    change(el.querySelector('#r--group')!, 'any');
    expect(changes.at(-1)).toEqual({ any: (tree as { all: Condition[] }).all });
  });

  it('reads literals as JSON where they parse and as text otherwise', () => {
    expect(parseLiteral('12')).toBe(12);
    expect(parseLiteral('true')).toBe(true);
    expect(parseLiteral('["a","b"]')).toEqual(['a', 'b']);
    expect(parseLiteral('huisarts')).toBe('huisarts');
  });
});
