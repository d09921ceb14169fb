/**
 * Publishing a draft: a valid-from date, a validation against it, and the publish itself. Both
 * act on the saved draft, so unsaved edits are saved first and a failed save stops them.
 */
import { createSignal } from 'solid-js';
import { read, type ApiClient } from './api.js';
import type { RuleSetStore } from './ruleset-store.js';

export function createPublish(client: ApiClient, store: RuleSetStore, ruleSetId: string) {
  const [validFrom, setValidFrom] = createSignal('');
  const [valid, setValid] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const draftId = () => store.draft()!.draftId;

  /** Validates the draft (with its valid-from date, if one is given); `valid` says whether it passed. */
  async function validate() {
    setError(null);
    setValid(false);
    try {
      if (!(await store.saveIfDirty())) return;
      await read(
        client.api.rulesets[':id'].drafts[':draftId'].validate.$post({
          param: { id: ruleSetId, draftId: draftId() },
          query: validFrom() ? { validFrom: validFrom() } : {},
        }),
      );
      setValid(true);
    } catch (e) {
      setError(e);
    }
  }

  /** Publishes the draft from the valid-from date; the new version number, or undefined if refused. */
  async function publish(): Promise<number | undefined> {
    setError(null);
    try {
      if (!(await store.saveIfDirty())) return undefined;
      const published = await read(
        client.api.rulesets[':id'].drafts[':draftId'].publish.$post({
          param: { id: ruleSetId, draftId: draftId() },
          json: { validFrom: validFrom() },
        }),
      );
      return published.version;
    } catch (e) {
      setError(e);
      return undefined;
    }
  }

  return { validFrom, setValidFrom, valid, error, draftId, validate, publish };
}
export type PublishState = ReturnType<typeof createPublish>;
