/**
 * One draft being edited: the document both views edit, its JSON text, the ETag it was loaded
 * with, and saving with If-Match. The form and the JSON view never hold copies of their own, so
 * switching views never loses an edit.
 */
import { createSignal } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { ApiProblem, read, readWithEtag, type ApiClient, type Issue, type OkOf } from './api.js';
import { pathSegments } from './json-path.js';
import { fetchVersion } from './ruleset-versions.js';

type DraftEndpoint = ApiClient['api']['rulesets'][':id']['drafts'][':draftId'];
/** A draft with its document, as the API answers it. */
type Draft = OkOf<DraftEndpoint['$get']>;
/** A draft's document: a rule set that may still lack its version and valid-from date. */
export type DraftDocument = Draft['document'];
/** The saved draft being edited: what saving with If-Match needs, and who saved it last. */
export type DraftInfo = Pick<Draft, 'draftId' | 'etag' | 'baseVersion' | 'updatedBy'>;

/**
 * A plain, deep copy of a document that may hold store proxies anywhere (an edit builds its next
 * document from pieces of the store). `structuredClone` refuses proxies; JSON does not, and a
 * rule set is JSON by definition.
 */
export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createRuleSetStore(client: ApiClient, ruleSetId: string) {
  const [doc, setDoc] = createStore<{ value: DraftDocument | null }>({ value: null });
  const [jsonText, setJsonTextSignal] = createSignal('');
  const [jsonError, setJsonError] = createSignal<string | null>(null);
  const [draft, setDraft] = createSignal<DraftInfo | null>(null);
  const [dirty, setDirty] = createSignal(false);
  const [issues, setIssues] = createSignal<Issue[]>([]);
  const [conflict, setConflict] = createSignal<{ who: string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  /** A published version shown read-only: nothing edits it and nothing saves it. */
  const [readOnly, setReadOnly] = createSignal(false);

  function show(document: DraftDocument, markDirty: boolean) {
    setDoc('value', reconcile(plainCopy(document)));
    setJsonTextSignal(JSON.stringify(document, null, 2));
    setJsonError(null);
    setDirty(markDirty);
  }

  /** A change made in the form: the JSON view follows. */
  function update(fn: (d: DraftDocument) => DraftDocument) {
    const current = doc.value;
    if (!current || readOnly()) return;
    // the edit works on a plain copy (the store's proxies cannot be mutated outside the store);
    // `show` copies its result again, since the edit may have put pieces of the store into it
    show(fn(plainCopy(unwrap(current)) as DraftDocument), true);
  }

  /** A change typed in the JSON view: the form follows whenever the text is valid JSON. */
  function setJsonText(text: string) {
    if (text === jsonText() || readOnly()) return;
    setJsonTextSignal(text);
    setDirty(true);
    try {
      setDoc('value', reconcile(JSON.parse(text) as DraftDocument));
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
      // a problem's issues are shown at their fields and listed with their place; the title heads them
      setError(e instanceof ApiProblem ? e.title : e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function load(draftId: string) {
    await run(async () => {
      const d = await read(client.api.rulesets[':id'].drafts[':draftId'].$get({ param: { id: ruleSetId, draftId } }));
      setDraft({ draftId: d.draftId, etag: d.etag, baseVersion: d.baseVersion, updatedBy: d.updatedBy });
      setConflict(null);
      setIssues([]);
      show(d.document, false);
    });
  }

  /** Shows a published version, read-only, without creating a draft. */
  async function loadVersion(version: number) {
    await run(async () => {
      setReadOnly(true);
      setDraft(null);
      show(await fetchVersion(client, ruleSetId, version), false);
    });
  }

  async function startFrom(version: number) {
    return run(async () => {
      const document = await fetchVersion(client, ruleSetId, version);
      const created = await read(client.api.rulesets[':id'].drafts.$post({ param: { id: ruleSetId }, json: document }));
      setDraft({ draftId: created.draftId, etag: created.etag, baseVersion: version, updatedBy: 'editor' });
      show(document, false);
      return created.draftId;
    });
  }

  async function save() {
    const d = draft();
    if (!d) return false;
    let body: DraftDocument;
    try {
      // the server checks the text against the draft schema and answers each issue with its path
      body = JSON.parse(jsonText()) as DraftDocument;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
    const ok = await run(async () => {
      try {
        const res = await readWithEtag(
          client.api.rulesets[':id'].drafts[':draftId'].$put({
            param: { id: ruleSetId, draftId: d.draftId },
            header: { 'if-match': d.etag },
            json: body,
          }),
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

  /**
   * The server's problems with the value at `path` or inside it, for the field that edits it:
   * `issuesAt(jsonPath(['parameters', 'crisis.maxDays']))` holds `$.parameters['crisis.maxDays'].value`.
   */
  function issuesAt(path: string): Issue[] {
    const want = pathSegments(path);
    return issues().filter((i) => {
      const have = pathSegments(i.path);
      return want.length <= have.length && want.every((s, n) => s === have[n]);
    });
  }

  return {
    doc,
    readOnly,
    loadVersion,
    issuesAt,
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
