// @vitest-environment jsdom
/**
 * The form and the JSON view edit one draft: a change in the form shows in the JSON text, a
 * change in the JSON shows in the form, and a save sends exactly that document — against a real
 * server on a temporary database.
 */
import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../editor/lib/api.js';
import { createRuleSetStore } from '../../editor/lib/ruleset-store.js';
import { RuleSetForm } from '../../editor/components/RuleSetForm.js';
import type { RegionRuleSet } from '../../engine/schema.js';
import { openServer } from '../server/harness.js';

const server = await openServer();
// the editor's client over the real app, without a network socket
const client = createApiClient('http://localhost', { fetch: async (input, init) => server.app.request(input, init) });
afterAll(() => server.store.close());

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('form ↔ JSON round trip', () => {
  it('keeps one document between the form, the JSON text and the saved draft', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      const draftId = await store.startFrom(2);
      expect(draftId).toBeTruthy();

      // form → JSON
      store.update((d) => {
        (d as RegionRuleSet).parameters['crisis.maxDays']!.value = 35;
        return d;
      });
      expect(JSON.parse(store.jsonText()).parameters['crisis.maxDays'].value).toBe(35);
      expect(store.dirty()).toBe(true);

      // JSON → form: the rendered input shows what was typed in the JSON
      const el = document.createElement('div');
      document.body.append(el);
      const unmount = render(() => <RuleSetForm store={store} />, el);
      const input = () => el.querySelector('[data-testid="param-crisis-maxDays"]') as HTMLInputElement;
      expect(input().value).toBe('35');
      store.setJsonText(store.jsonText().replace('"value": 35', '"value": 21'));
      await flush();
      expect(input().value).toBe('21');

      // the form's own input writes back into the JSON
      input().value = '30';
      input().dispatchEvent(new Event('change', { bubbles: true }));
      expect(JSON.parse(store.jsonText()).parameters['crisis.maxDays'].value).toBe(30);

      // invalid JSON leaves the form on the last valid document and says so
      store.setJsonText('{ "kind": ');
      expect(store.jsonError()).not.toBeNull();
      expect(store.doc.value?.parameters['crisis.maxDays' as never]).toBeDefined();
      store.setJsonText(JSON.stringify({ ...(JSON.parse(JSON.stringify(store.doc.value)) as object) }, null, 2));

      // save, then the server holds exactly that document
      expect(await store.save()).toBe(true);
      const saved = (await (await server.request('GET', `/api/rulesets/ijsselland/drafts/${draftId}`)).json()) as {
        document: RegionRuleSet;
      };
      expect(saved.document.parameters['crisis.maxDays']!.value).toBe(30);
      unmount();
      dispose();
    });
  });

  it('reports a stale save as a conflict naming who saved first', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      const draftId = await store.startFrom(2);
      const other = await server.request('GET', `/api/rulesets/ijsselland/drafts/${draftId}`);
      const { document } = await other.json();
      await server.request('PUT', `/api/rulesets/ijsselland/drafts/${draftId}`, document, {
        'if-match': other.headers.get('etag')!,
        'x-user': 'collega',
      });
      store.update((d) => d);
      expect(await store.save()).toBe(false);
      expect(store.conflict()).toEqual({ who: 'collega' });
      dispose();
    });
  });
});
