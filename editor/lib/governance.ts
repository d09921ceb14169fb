/**
 * Release governance for one draft: its semantic changes (Dutch sentences), the static analysis
 * with its test cases, its status (editing, or submitted and waiting for approval), and
 * submitting, approving and rejecting it. Whether four eyes apply comes from the session.
 */
import { createResource, createSignal, type Resource } from 'solid-js';
import { read, type ApiClient, type OkOf } from './api.js';

type DraftEndpoint = ApiClient['api']['rulesets'][':id']['drafts'][':draftId'];
export type SemanticChanges = OkOf<DraftEndpoint['diff']['$get']>['changes'];
export type Analysis = OkOf<DraftEndpoint['analysis']['$get']>;
export type DraftStatus = OkOf<DraftEndpoint['$get']>;

/** Changes grouped by what they concern (one rule, one parameter, …), in the order they come. */
export function groupChanges(changes: SemanticChanges) {
  const groups = new Map<string, { kind: string; id: string; changes: SemanticChanges }>();
  for (const c of changes) {
    const key = `${c.group.kind}:${c.group.id}`;
    const g = groups.get(key) ?? { kind: c.group.kind, id: c.group.id, changes: [] };
    g.changes.push(c);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A resource's value, or undefined while it failed (reading a failed resource throws). */
function settled<T>(resource: Resource<T>): () => T | undefined {
  return () => (resource.error ? undefined : resource());
}

export function createSession(client: ApiClient) {
  const [session] = createResource(() => read(client.api.session.$get()));
  return settled(session);
}

export function createGovernance(client: ApiClient, ruleSetId: string, draftId: () => string | undefined) {
  const param = () => ({ id: ruleSetId, draftId: draftId()! });
  const [changes, { refetch: refetchChanges }] = createResource(draftId, () =>
    read(client.api.rulesets[':id'].drafts[':draftId'].diff.$get({ param: param() })).then((r) => r.changes),
  );
  const [analysis, { refetch: refetchAnalysis }] = createResource(draftId, () =>
    read(client.api.rulesets[':id'].drafts[':draftId'].analysis.$get({ param: param(), query: {} })),
  );
  const [status, { refetch: refetchStatus }] = createResource(draftId, () =>
    read(client.api.rulesets[':id'].drafts[':draftId'].$get({ param: param() })),
  );
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);

  async function act<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setError(null);
    setBusy(true);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  /** After an edit is saved: the changes and findings of the saved draft. */
  function refresh() {
    void refetchChanges();
    void refetchAnalysis();
    void refetchStatus();
  }

  const submit = (validFrom: string, changeNote: string) =>
    act(async () => {
      const draft = await read(
        client.api.rulesets[':id'].drafts[':draftId'].submit.$post({ param: param(), json: { validFrom, changeNote } }),
      );
      void refetchStatus();
      return draft;
    });

  const approve = (impactJobId?: string) =>
    act(async () =>
      read(
        client.api.rulesets[':id'].drafts[':draftId'].approve.$post({
          param: param(),
          json: impactJobId ? { impactJobId } : {},
        }),
      ),
    );

  const reject = (comment: string) =>
    act(async () => {
      const draft = await read(
        client.api.rulesets[':id'].drafts[':draftId'].reject.$post({ param: param(), json: { comment } }),
      );
      void refetchStatus();
      return draft;
    });

  return {
    changes: settled(changes),
    analysis: settled(analysis),
    status: settled(status),
    error,
    busy,
    refresh,
    submit,
    approve,
    reject,
  };
}
export type Governance = ReturnType<typeof createGovernance>;
