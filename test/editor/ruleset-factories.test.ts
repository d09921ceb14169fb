// @vitest-environment jsdom
/**
 * The rule set page's smaller factories against a real app: the version list, the diff's two
 * texts, and publishing a draft (saved first) with validation.
 */
import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { createPublish } from '../../editor/lib/publish.js';
import { createRuleSetStore } from '../../editor/lib/ruleset-store.js';
import { createRuleSetVersions } from '../../editor/lib/ruleset-versions.js';
import { createVersionDiff } from '../../editor/lib/version-diff.js';
import type { RegionRuleSet } from '../../engine/schema.js';
import { useAppClient } from './app-client.js';

const { server, client } = await useAppClient();

const version = async (n: number) =>
  JSON.stringify(await (await server.request('GET', `/api/rulesets/ijsselland/versions/${n}`)).json(), null, 2);

describe('createRuleSetVersions', () => {
  it('lists the published versions, the latest last', async () => {
    await createRoot(async (dispose) => {
      const list = createRuleSetVersions(client, 'ijsselland');
      await vi.waitFor(() => expect(list.summary()).toBeDefined());
      expect(list.versions()).toEqual([1, 2]);
      expect(list.latest()).toBe(2);
      dispose();
    });
  });
});

describe('createVersionDiff', () => {
  it('compares a version with the draft text, then with another version', async () => {
    await createRoot(async (dispose) => {
      const [draftText, setDraftText] = createSignal('{ "draft": 1 }');
      const diff = createVersionDiff(client, 'ijsselland', { left: 1, draftText });
      expect(diff.texts()).toBeNull();
      await vi.waitFor(() => expect(diff.texts()).not.toBeNull());
      expect(diff.texts()).toEqual({ original: await version(1), modified: '{ "draft": 1 }' });

      setDraftText('{ "draft": 2 }');
      expect(diff.texts()?.modified).toBe('{ "draft": 2 }');

      const v2 = await version(2);
      diff.setRight(2);
      await vi.waitFor(() => expect(diff.texts()?.modified).toBe(v2));
      expect(diff.texts()?.original).toBe(await version(1));
      dispose();
    });
  });
});

describe('createPublish', () => {
  it('saves unsaved edits, validates, and publishes from the valid-from date', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      expect(await store.startFrom(2)).toBeTruthy();
      store.update((d) => {
        (d as RegionRuleSet).parameters['crisis.maxDays']!.value = 35;
        return d;
      });
      const publishing = createPublish(client, store, 'ijsselland');
      publishing.setValidFrom('2026-11-01');
      await publishing.validate();
      expect(publishing.error()).toBeNull();
      expect(publishing.valid()).toBe(true);
      expect(store.dirty()).toBe(false);

      expect(await publishing.publish()).toBe(3);
      const v3 = JSON.parse(await version(3)) as RegionRuleSet;
      expect(v3.parameters['crisis.maxDays']!.value).toBe(35);
      dispose();
    });
  });

  it('refuses a valid-from date before the latest version and says why', async () => {
    await createRoot(async (dispose) => {
      const store = createRuleSetStore(client, 'ijsselland');
      await store.startFrom(2);
      const publishing = createPublish(client, store, 'ijsselland');
      publishing.setValidFrom('2020-01-01');
      await publishing.validate();
      expect(publishing.valid()).toBe(false);
      expect(publishing.error()).toMatchObject({ name: 'ApiProblem' });
      expect(await publishing.publish()).toBeUndefined();
      expect(publishing.error()).toMatchObject({ name: 'ApiProblem' });
      dispose();
    });
  });
});
