/**
 * One draft being edited: the document both views edit, its JSON text, the ETag it was loaded
 * with, and saving with If-Match. The form and the JSON view never hold copies of their own, so
 * switching views never loses an edit.
 */
import { createSignal } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import type { RuleSetDocument } from '../../engine/browser.js';
import { ApiProblem, type ApiClient, type Issue } from './api.js';

export interface DraftInfo {
  draftId: string;
  etag: string;
  baseVersion: number | null;
  updatedBy: string;
}

export function createRuleSetStore(client: ApiClient, ruleSetId: string) {
  const [doc, setDoc] = createStore<{ value: RuleSetDocument | null }>({ value: null });
  const [jsonText, setJsonTextSignal] = createSignal('');
  const [jsonError, setJsonError] = createSignal<string | null>(null);
  const [draft, setDraft] = createSignal<DraftInfo | null>(null);
  const [dirty, setDirty] = createSignal(false);
  const [issues, setIssues] = createSignal<Issue[]>([]);
  const [conflict, setConflict] = createSignal<{ who: string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  function show(document: RuleSetDocument, markDirty: boolean) {
    setDoc('value', reconcile(structuredClone(document)));
    setJsonTextSignal(JSON.stringify(document, null, 2));
    setJsonError(null);
    setDirty(markDirty);
  }

  /** A change made in the form: the JSON view follows. */
  function update(fn: (d: RuleSetDocument) => RuleSetDocument) {
    const current = doc.value;
    if (!current) return;
    // a plain copy: the store's proxies cannot be cloned or mutated outside the store
    show(fn(structuredClone(unwrap(current)) as RuleSetDocument), true);
  }

  /** A change typed in the JSON view: the form follows whenever the text is valid JSON. */
  function setJsonText(text: string) {
    if (text === jsonText()) return;
    setJsonTextSignal(text);
    setDirty(true);
    try {
      setDoc('value', reconcile(JSON.parse(text) as RuleSetDocument));
      setJsonError(null);
    } catch (e) {
      setJsonError((e as Error).message);
    }
  }

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiProblem) setIssues(e.issues);
      setError(e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function load(draftId: string) {
    await run(async () => {
      const d = await client.get<{
        draftId: string;
        etag: string;
        baseVersion: number | null;
        updatedBy: string;
        document: RuleSetDocument;
      }>(`/api/rulesets/${ruleSetId}/drafts/${draftId}`);
      setDraft({ draftId: d.draftId, etag: d.etag, baseVersion: d.baseVersion, updatedBy: d.updatedBy });
      setConflict(null);
      setIssues([]);
      show(d.document, false);
    });
  }

  async function startFrom(version: number) {
    return run(async () => {
      const document = await client.get<RuleSetDocument>(`/api/rulesets/${ruleSetId}/versions/${version}`);
      const res = await client.send<{ draftId: string; etag: string }>(
        'POST',
        `/api/rulesets/${ruleSetId}/drafts`,
        document,
      );
      setDraft({ draftId: res.data.draftId, etag: res.data.etag, baseVersion: version, updatedBy: 'editor' });
      show(document, false);
      return res.data.draftId;
    });
  }

  async function save() {
    const d = draft();
    if (!d) return false;
    let body: unknown;
    try {
      body = JSON.parse(jsonText());
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
    const ok = await run(async () => {
      try {
        const res = await client.send<{ etag: string; updatedBy: string }>(
          'PUT',
          `/api/rulesets/${ruleSetId}/drafts/${d.draftId}`,
          body,
          { 'if-match': d.etag },
        );
        setDraft({ ...d, etag: res.etag ?? res.data.etag, updatedBy: res.data.updatedBy });
        setDirty(false);
        setIssues([]);
        return true;
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 412) setConflict({ who: String(e.body.updatedBy ?? '?') });
        throw e;
      }
    });
    return ok === true;
  }

  /** Saves unsaved edits before an action on the saved draft; false if that save failed. */
  async function saveIfDirty() {
    return !dirty() || save();
  }

  return {
    doc,
    jsonText,
    jsonError,
    draft,
    dirty,
    issues,
    conflict,
    busy,
    error,
    update,
    setJsonText,
    load,
    startFrom,
    save,
    saveIfDirty,
    setIssues,
    run,
  };
}
export type RuleSetStore = ReturnType<typeof createRuleSetStore>;
