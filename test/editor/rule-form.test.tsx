// @vitest-environment jsdom
/**
 * Rules and conditions edited in the form, in Dutch, against a real server on a temporary
 * database: every edit reaches the store (and so the JSON text), the draft is dirty, and the
 * saved draft holds it. The store holds proxies; an edit built from them must still copy.
 */
import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../editor/lib/api.js';
import { createRuleSetStore, type RuleSetStore } from '../../editor/lib/ruleset-store.js';
import { RuleSetForm } from '../../editor/components/RuleSetForm.js';
import type { OutputRegionRuleSet, RegionRuleSet } from '../../engine/schema.js';
import { openServer } from '../server/harness.js';

const server = await openServer();
const client = createApiClient('http://localhost', { fetch: async (input, init) => server.app.request(input, init) });
afterAll(() => server.store.close());

// jsdom lays nothing out
Element.prototype.scrollIntoView ??= () => {};

const flush = () => new Promise((r) => setTimeout(r, 0));
const json = (store: RuleSetStore) => JSON.parse(store.jsonText()) as OutputRegionRuleSet;

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  document.body.innerHTML = '';
});

async function openForm(ruleSet = 'ijsselland') {
  return createRoot(async (dispose) => {
    const store = createRuleSetStore(client, ruleSet);
    const draftId = (await store.startFrom(2))!;
    const el = document.createElement('div');
    document.body.append(el);
    const unmount = render(() => <RuleSetForm store={store} />, el);
    cleanup = () => {
      unmount();
      dispose();
    };
    return { store, el, draftId };
  });
}

function change(el: Element | null, value: string) {
  expect(el).not.toBeNull();
  (el as HTMLSelectElement | HTMLInputElement).value = value;
  el!.dispatchEvent(new Event('change', { bubbles: true }));
}
function click(el: Element | null) {
  expect(el).not.toBeNull();
  (el as HTMLElement).click();
}
const byText = (root: Element, selector: string, text: string) =>
  [...root.querySelectorAll(selector)].find((e) => e.textContent?.trim() === text) ?? null;
const labelled = (root: Element, label: string) =>
  [...root.querySelectorAll('label')]
    .filter((l) => l.textContent?.trim() === label)
    .map((l) => document.getElementById(l.htmlFor)!);

describe('rules in the form', () => {
  it('changes, adds and removes conditions; each edit reaches the JSON and marks the draft', async () => {
    const { store, el } = await openForm();
    const card = () => el.querySelector('[data-testid="rule-ijsselland-dyslexie-leeftijd"]')!;
    const index = json(store).rules.findIndex((r) => r.id === 'ijsselland.dyslexie.leeftijd');
    const conditions = () => json(store).rules[index]!.conditions as { all: unknown[] };

    // Dutch labels for facts, operators and parameters
    expect(card().querySelector('[data-testid="rule-sentence"]')!.textContent).toContain(
      'leeftijd in jaren is kleiner dan Dyslexiezorg: minimumleeftijd (7)',
    );
    const facts = labelled(card(), 'Feit');
    expect(facts.length).toBeGreaterThanOrEqual(3);
    expect((facts[0] as HTMLSelectElement).selectedOptions[0]!.textContent).toBe('profiel');
    expect(
      labelled(card(), 'Vergelijking').map((s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent),
    ).toContain('is kleiner dan');

    // a literal value
    change(labelled(card(), 'Waarde')[0]!, '11');
    expect(store.dirty()).toBe(true);
    expect(conditions().all[0]).toEqual({ fact: 'profile', operator: 'equal', value: 11 });
    await flush();

    // an emptied number is an error at the field, never 0
    change(labelled(card(), 'Waarde')[0]!, '');
    expect(conditions().all[0]).toEqual({ fact: 'profile', operator: 'equal', value: 11 });
    expect(labelled(card(), 'Waarde')[0]!.getAttribute('aria-invalid')).toBe('true');

    // + voorwaarde on the top group, then change its fact and operator
    const topActions = () => card().querySelector('.cond-tree > .cond-group > .cond-actions')!;
    click(byText(topActions(), 'button', '+ voorwaarde'));
    expect(conditions().all).toHaveLength(3);
    await flush();
    const newFact = labelled(card(), 'Feit').at(-1)!;
    change(newFact, 'ageYears');
    change(labelled(card(), 'Vergelijking').at(-1)!, 'greaterThanInclusive');
    change(labelled(card(), 'Waarde').at(-1)!, '4');
    expect(conditions().all[2]).toEqual({ fact: 'ageYears', operator: 'greaterThanInclusive', value: 4 });

    // a parameter reference, chosen by its label and value
    await flush();
    change(labelled(card(), 'Soort waarde').at(-1)!, 'parameter');
    await flush();
    const param = labelled(card(), 'Waarde').at(-1)! as HTMLSelectElement;
    expect([...param.options].map((o) => o.textContent)).toContain('Crisiszorg: maximale duur (28)');
    change(param, 'crisis.maxDays');
    expect(conditions().all[2]).toEqual({
      fact: 'ageYears',
      operator: 'greaterThanInclusive',
      value: { fact: 'param:crisis.maxDays' },
    });

    // + groep, then remove the middle condition: the group moves up and still shows as a group
    await flush();
    click(byText(topActions(), 'button', '+ groep'));
    expect(conditions().all).toHaveLength(4);
    await flush();
    const removes = [...card().querySelectorAll('button')].filter((b) => b.textContent === 'Verwijder voorwaarde');
    click(removes.at(-2)!); // the ageYears ≥ crisis.maxDays condition, before the new group's one
    await flush();
    expect(conditions().all).toHaveLength(3);
    expect(conditions().all[2]).toEqual({ all: [{ fact: 'profile', operator: 'equal', value: 1 }] });
    expect(card().querySelectorAll('[data-testid="condition-group"]')).toHaveLength(3);
    expect(store.jsonError()).toBeNull();
  });

  it('adds a rule with every field in the form, saves it, and removes one after confirming', async () => {
    const { store, el, draftId } = await openForm();
    const before = json(store).rules.length;
    click(byText(el, 'button', 'Nieuwe regel'));
    await flush();
    expect(json(store).rules).toHaveLength(before + 1);
    const card = el.querySelectorAll('.rule-card')[before]!;
    const field = (label: string) => labelled(card, label)[0]!;
    change(field('Regel-id'), 'ijsselland.dyslexie.test');
    await flush();
    const fresh = el.querySelectorAll('.rule-card')[before]!;
    expect(fresh).toBe(card); // a new id keeps the card, and the focus in it
    const f = (label: string) => labelled(fresh, label)[0]!;
    change(f('Redencode'), 'AGE_OUT_OF_RANGE');
    change(f('Soort'), 'referral');
    change(f('Effect'), 'reject');
    change(f('Bericht aan de burger'), 'Dit kan niet.');
    change(f('Brondocument'), '002 Inkoopstrategie IJsselland (2017)');
    change(f('Paragraaf'), '§3.4');
    click(byText(fresh, 'label', 'Gemeenten mogen deze regel aan- of uitzetten')!.querySelector('input'));
    change(labelled(fresh, 'Waarde')[0]!, '12');
    expect(byText(fresh, 'span', 'verwijzing')).not.toBeNull();
    const rule = json(store).rules[before]!;
    expect(rule).toEqual({
      id: 'ijsselland.dyslexie.test',
      kind: 'referral',
      code: 'AGE_OUT_OF_RANGE',
      effect: 'reject',
      message: 'Dit kan niet.',
      source: { document: '002 Inkoopstrategie IJsselland (2017)', section: '§3.4' },
      optional: { municipalityMaySwitch: true, enabledByDefault: true },
      conditions: { all: [{ fact: 'profile', operator: 'equal', value: 12 }] },
    });
    expect(await store.save()).toBe(true);
    const saved = (await (await server.request('GET', `/api/rulesets/ijsselland/drafts/${draftId}`)).json()) as {
      document: RegionRuleSet;
    };
    expect(saved.document.rules.at(-1)).toEqual(rule);

    // remove asks first
    const first = el.querySelector('.rule-card')!;
    click(byText(first, 'button', 'Regel verwijderen'));
    await flush();
    expect(json(store).rules).toHaveLength(before + 1);
    click(byText(first, 'button', 'Ja, verwijderen'));
    await flush();
    expect(json(store).rules).toHaveLength(before);
    expect(json(store).rules.some((r) => r.id === 'ijsselland.scope.buiten-inkoopmodel')).toBe(false);
  });

  it('edits the limits and the profile × intensity matrix as tables, and shows rules of one kind as a decision table', async () => {
    const { store, el } = await openForm();
    const minAge = el.querySelector('[data-testid="limit-dyslexia-minAge-value"]')!;
    change(minAge, '6');
    expect(json(store).parameters['dyslexia.minAge']!.value).toBe(6);
    change(minAge, '');
    expect(json(store).parameters['dyslexia.minAge']!.value).toBe(6);
    expect(minAge.getAttribute('aria-invalid')).toBe('true');

    const allow = el.querySelector('[data-testid="allow-11-perspectief"]') as HTMLInputElement;
    expect(allow.checked).toBe(false);
    allow.click();
    expect(json(store).catalogue.profiles.find((p) => p.number === 11)!.intensities).toEqual(['perspectief', 'crisis']);
    await flush();
    // the last intensity of a profile cannot be unticked
    expect((el.querySelector('[data-testid="allow-11-crisis"]') as HTMLInputElement).disabled).toBe(false);

    const table = el.querySelector('[data-testid="rules-table"]')!;
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toContain('leeftijd in jaren');
    const row = table.querySelector('[data-testid="rules-table-ijsselland-dyslexie-leeftijd"]')!;
    expect(row.textContent).toContain('< Dyslexiezorg: minimumleeftijd (6)');
    expect(row.textContent).toContain('afwijzen');
    change(el.querySelector('#rules-table-kind'), 'stacking');
    await flush();
    expect(table.querySelectorAll('tbody tr')).toHaveLength(3);
  });

  it('shows an effort-funded rule set (products, no profiles) with its limits and rules as tables', async () => {
    const { store, el } = await openForm('midden-ijssel-oost-veluwe');
    expect(el.querySelector('[data-testid="eligibility-matrix"]')).toBeNull();
    expect(el.querySelectorAll('[data-testid="limits-table"] tbody tr').length).toBeGreaterThan(0);
    expect(el.querySelectorAll('[data-testid="rules-table"] tbody tr').length).toBeGreaterThan(0);
    expect(el.querySelectorAll('.rule-card')).toHaveLength(json(store).rules.length);
    for (const s of el.querySelectorAll('[data-testid="rule-sentence"]'))
      expect(s.textContent).toMatch(/^Als .+, dan /);
  });
});
