// @vitest-environment jsdom
/**
 * Money and problems in the form, against a real server on a temporary database: amounts are
 * shown and typed in euros and kept in cents, an emptied or ambiguous amount is pointed at beside
 * its field and changes nothing, the server's problems appear beside the field their JSON path
 * names, and a published version is shown read-only without creating a draft.
 */
import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { afterAll, describe, expect, it } from 'vitest';
import { RuleSetForm } from '../../editor/components/RuleSetForm.js';
import { createApiClient } from '../../editor/lib/api.js';
import { EURO_MESSAGES } from '../../editor/lib/euros.js';
import { createRuleSetStore, type RuleSetStore } from '../../editor/lib/ruleset-store.js';
import type { OutputRegionRuleSet, RegionRuleSet } from '../../engine/schema.js';
import { openServer } from '../server/harness.js';

const server = await openServer();
const client = createApiClient('http://localhost', { fetch: async (input, init) => server.app.request(input, init) });
afterAll(() => server.store.close());

const flush = () => new Promise((r) => setTimeout(r, 0));

function mount(store: RuleSetStore) {
  const el = document.createElement('div');
  document.body.append(el);
  const unmount = render(() => <RuleSetForm store={store} />, el);
  return { el, unmount };
}

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const doc = (store: RuleSetStore) => store.doc.value as RegionRuleSet;

describe('money in the form', () => {
  it('shows € 25.000 as 25.000, reads 20.000 as 2,000,000 cents and never saves an emptied amount as 0', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      await store.startFrom(2);
      const { el, unmount } = mount(store);
      const input = el.querySelector('[data-testid="param-topSegment-reviewAboveCents"]') as HTMLInputElement;
      expect(input.value).toBe('25.000');
      const row = input.closest('tr')!;
      expect(row.textContent).toContain('€ 0 tot en met € 25.000 — de regio staat alleen een lagere grens toe');

      for (const text of ['20000', '20.000', '20.000,00', '€ 20.000']) {
        type(input, '1');
        type(input, text);
        expect(doc(store).parameters['topSegment.reviewAboveCents']!.value, text).toBe(2_000_000);
        expect(input.value).toBe('20.000');
      }

      type(input, '');
      expect(row.querySelector('.field-error')?.textContent).toBe(EURO_MESSAGES.empty);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(doc(store).parameters['topSegment.reviewAboveCents']!.value).toBe(2_000_000);

      type(input, '20,000.00');
      expect(row.querySelector('.field-error')?.textContent).toBe(EURO_MESSAGES.ambiguous);
      expect(doc(store).parameters['topSegment.reviewAboveCents']!.value).toBe(2_000_000);
      unmount();
      dispose();
    });
  });

  it('shows tariffs as Dutch amounts and reads them back in cents', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      await store.startFrom(2);
      const { el, unmount } = mount(store);
      const price = el.querySelector('input[aria-label="Prijs (€) 1 perspectief"]') as HTMLInputElement;
      expect(price.value).toBe('3.456');
      type(price, '4.860,50');
      const rows = (doc(store) as OutputRegionRuleSet).tariffs.middleSegment;
      expect(rows.find((r) => r.profile === 1 && r.intensity === 'perspectief')!.priceCents).toBe(486_050);
      expect(price.value).toBe('4.860,50');
      unmount();
      dispose();
    });
  });
});

describe("the server's problems beside their fields", () => {
  it('shows a refused value at the parameter it belongs to, in Dutch', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      await store.startFrom(2);
      const { el, unmount } = mount(store);
      // a value the form would refuse, typed as JSON: only the server's check catches it
      const text = JSON.parse(store.jsonText()) as RegionRuleSet;
      (text.parameters['crisis.maxDays'] as { value: unknown }).value = 3.5;
      store.setJsonText(JSON.stringify(text, null, 2));
      expect(await store.save()).toBe(false);
      expect(store.issues().map((i) => i.path)).toContain("$.parameters['crisis.maxDays'].value");
      await flush();
      const row = (el.querySelector('[data-testid="param-crisis-maxDays"]') as HTMLInputElement).closest('tr')!;
      const beside = row.querySelector('[data-testid="field-issue"]');
      expect(beside).not.toBeNull();
      expect(beside!.textContent).toMatch(/^Ongeldige invoer/);
      unmount();
      dispose();
    });
  });
});

describe('a published version, read-only', () => {
  it('shows the version in the form with every field disabled, and creates no draft', async () => {
    const drafts = async () =>
      (
        (await (await server.request('GET', '/api/rulesets/midden-ijssel-oost-veluwe/versions')).json()) as {
          drafts: unknown[];
        }
      ).drafts.length;
    const before = await drafts();
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'midden-ijssel-oost-veluwe');
      await store.loadVersion(1);
      expect(store.readOnly()).toBe(true);
      expect(store.draft()).toBeNull();
      const { el, unmount } = mount(store);
      const inputs = [...el.querySelectorAll('input')];
      expect(inputs.length).toBeGreaterThan(10);
      expect(inputs.every((i) => i.matches(':disabled'))).toBe(true);
      expect(el.querySelector('[data-testid="add-rule"]')).toBeNull();
      const version = store.jsonText();
      store.update((d) => {
        (d as RegionRuleSet).rules = [];
        return d;
      });
      store.setJsonText('{}');
      expect(store.jsonText()).toBe(version);
      expect(store.dirty()).toBe(false);
      unmount();
      dispose();
    });
    expect(await drafts()).toBe(before);
  });
});
