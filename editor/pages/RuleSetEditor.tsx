/**
 * The rule set editor: one draft, edited in a form or as JSON (Monaco with the generated JSON
 * Schema), a diff against its base or any version, the rule set's test cases, and publishing
 * with validation and impact analysis.
 */
import { createEffect, createResource, createSignal, For, Match, on, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { RuleSetDocument } from '../../engine/browser.js';
import type { ImpactJob as ServerImpactJob } from '../../server/impact.js';
import { ProblemMessage, ErrorText } from '../components/Problem.js';
import { RuleSetForm } from '../components/RuleSetForm.js';
import { api } from '../lib/api.js';
import { formatCents, t } from '../lib/i18n.js';
import { createDiffEditor, createJsonEditor } from '../lib/monaco.js';
import { createRuleSetStore, type RuleSetStore } from '../lib/ruleset-store.js';
import type { RuleSetSummary } from './Overview.js';

type Tab = 'form' | 'json' | 'diff' | 'tests' | 'publish';

function JsonView(props: { store: RuleSetStore }) {
  let el!: HTMLDivElement;
  onMount(() => {
    const ed = createJsonEditor(el, {
      value: props.store.jsonText(),
      kind: 'ruleset',
      onChange: (text) => props.store.setJsonText(text),
      ariaLabel: 'JSON',
    });
    createEffect(() => ed.setValue(props.store.jsonText()));
    createEffect(() => ed.setProblems(props.store.issues()));
    onCleanup(() => ed.dispose());
  });
  return (
    <>
      <Show when={props.store.jsonError()}>
        <p class="warning" role="status">
          {t('editor.jsonInvalid')}
        </p>
      </Show>
      <div class="monaco" ref={el} data-testid="json-editor" />
    </>
  );
}

/** Monaco's diff: any version (left) against the draft or another version (right). */
function DiffView(props: { store: RuleSetStore; versions: number[] }) {
  let el!: HTMLDivElement;
  const id = () => props.store.doc.value!.id;
  const [left, setLeft] = createSignal<number>(props.store.draft()?.baseVersion ?? props.versions.at(-1) ?? 1);
  const [right, setRight] = createSignal<'draft' | number>('draft');
  const [leftDoc] = createResource(left, (v) => api.get<RuleSetDocument>(`/api/rulesets/${id()}/versions/${v}`));
  const [rightDoc] = createResource(right, (v) =>
    v === 'draft' ? Promise.resolve(null) : api.get<RuleSetDocument>(`/api/rulesets/${id()}/versions/${v}`),
  );
  let diff: { dispose(): void } | undefined;
  createEffect(
    on([leftDoc, rightDoc, () => props.store.jsonText()], ([a, b, text]) => {
      if (!a || (right() !== 'draft' && !b)) return;
      diff?.dispose();
      diff = createDiffEditor(el, JSON.stringify(a, null, 2), b ? JSON.stringify(b, null, 2) : text);
    }),
  );
  onCleanup(() => diff?.dispose());
  return (
    <>
      <div class="toolbar">
        <label for="diff-left">{t('diff.against')}</label>
        <select id="diff-left" value={left()} onChange={(e) => setLeft(Number(e.currentTarget.value))}>
          <For each={props.versions}>{(v) => <option value={v}>v{v}</option>}</For>
        </select>
        <label for="diff-right">↔</label>
        <select
          id="diff-right"
          value={String(right())}
          onChange={(e) => setRight(e.currentTarget.value === 'draft' ? 'draft' : Number(e.currentTarget.value))}
        >
          <option value="draft">{t('common.draft')}</option>
          <For each={props.versions}>{(v) => <option value={v}>v{v}</option>}</For>
        </select>
      </div>
      <div class="monaco" ref={el} data-testid="diff-editor" />
    </>
  );
}

interface TestRun {
  passed: number;
  failed: number;
  results: {
    id: string;
    name: string;
    expected: { outcome: string; codes: string[] };
    actual: { outcome: string; codes: string[] } | null;
    pass: boolean;
    error?: string;
  }[];
}

function TestsView(props: { store: RuleSetStore; ruleSetId: string }) {
  const [tests, { refetch }] = createResource(() =>
    api
      .get<{ testCases: { id: string; name: string; expected: { outcome: string } }[] }>(
        `/api/rulesets/${props.ruleSetId}/tests`,
      )
      .then((r) => r.testCases),
  );
  const [run, setRun] = createSignal<TestRun | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  async function runAll() {
    setError(null);
    try {
      if (props.store.dirty()) await props.store.save();
      setRun(
        (
          await api.send<TestRun>(
            'POST',
            `/api/rulesets/${props.ruleSetId}/tests/run?draftId=${props.store.draft()!.draftId}`,
          )
        ).data,
      );
      void refetch();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section>
      <h3>{t('tests.heading')}</h3>
      <Show when={(tests() ?? []).length > 0} fallback={<p>{t('tests.none')}</p>}>
        <button type="button" onClick={runAll} data-testid="run-tests">
          {t('tests.runAll')}
        </button>
        <Show when={run()}>
          {(r) => <p data-testid="test-summary">{t('tests.summary', { passed: r().passed, failed: r().failed })}</p>}
        </Show>
        <ul class="tests" data-testid="test-results">
          <For each={run()?.results ?? (tests() ?? []).map((x) => ({ ...x, pass: undefined, actual: null }))}>
            {(r) => (
              <li class={r.pass === undefined ? '' : r.pass ? 'pass' : 'fail'}>
                <span aria-hidden="true">{r.pass === undefined ? '•' : r.pass ? '✔' : '✘'}</span> {r.name} —{' '}
                {t('tests.expected', { outcome: r.expected.outcome })}
                <Show when={r.actual}>{(a) => <>, {t('tests.actual', { outcome: a().outcome })}</>}</Show>
                <Show when={r.pass !== undefined}>
                  {' '}
                  <strong>{r.pass ? t('tests.pass') : t('tests.fail')}</strong>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={error()}>
        <ProblemMessage error={error()} />
      </Show>
    </section>
  );
}

/** The job as the API shows it: the server's own type (a type-only import), plus its progress. */
type ImpactJob = ServerImpactJob & { progress: number };

export function ImpactChart(props: { job: ImpactJob }) {
  const outcomes = ['granted', 'review', 'rejected'] as const;
  const max = () =>
    Math.max(1, ...outcomes.flatMap((o) => [props.job.outcomes.before[o] ?? 0, props.job.outcomes.after[o] ?? 0]));
  return (
    <figure class="chart" data-testid="impact-chart">
      <svg viewBox="0 0 360 150" role="img" aria-label={t('publish.impact')}>
        <For each={outcomes}>
          {(o, i) => {
            const x = 20 + i() * 115;
            const h = (n: number) => (n / max()) * 100;
            return (
              <g>
                <rect
                  x={x}
                  y={110 - h(props.job.outcomes.before[o] ?? 0)}
                  width="40"
                  height={h(props.job.outcomes.before[o] ?? 0)}
                  class="bar-before"
                />
                <rect
                  x={x + 45}
                  y={110 - h(props.job.outcomes.after[o] ?? 0)}
                  width="40"
                  height={h(props.job.outcomes.after[o] ?? 0)}
                  class="bar-after"
                />
                <text x={x + 42} y="128" text-anchor="middle">
                  {t(`decision.${o}`)}
                </text>
                <text x={x + 20} y={105 - h(props.job.outcomes.before[o] ?? 0)} text-anchor="middle">
                  {props.job.outcomes.before[o] ?? 0}
                </text>
                <text x={x + 65} y={105 - h(props.job.outcomes.after[o] ?? 0)} text-anchor="middle">
                  {props.job.outcomes.after[o] ?? 0}
                </text>
              </g>
            );
          }}
        </For>
      </svg>
      <figcaption>
        <span class="legend bar-before" /> {t('impact.before')} <span class="legend bar-after" /> {t('impact.after')} ·{' '}
        {t('impact.tariff')}: {formatCents(props.job.tariffCents.before)} → {formatCents(props.job.tariffCents.after)}
      </figcaption>
    </figure>
  );
}

export function ImpactPanel(props: { ruleSetId: string; draftId: string }) {
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [job, setJob] = createSignal<ImpactJob | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  async function poll(id: string) {
    const j = await api.get<ImpactJob>(`/api/impact/${id}?limit=50`);
    setJob(j);
    if (j.status === 'running') timer = setTimeout(() => void poll(id), 250);
  }
  async function start() {
    setError(null);
    try {
      const filter = { ...(from() ? { from: from() } : {}), ...(to() ? { to: to() } : {}) };
      const res = await api.send<ImpactJob>('POST', '/api/impact', {
        candidate: { ruleSet: props.ruleSetId, draftId: props.draftId },
        filter,
      });
      setJob(res.data);
      await poll(res.data.id);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section class="impact">
      <h3>{t('publish.impact')}</h3>
      <label for="impact-from">{t('publish.impactFrom')}</label>{' '}
      <input id="impact-from" type="date" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} />{' '}
      <label for="impact-to">{t('publish.impactTo')}</label>{' '}
      <input id="impact-to" type="date" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />{' '}
      <button type="button" onClick={start} data-testid="run-impact">
        {t('publish.runImpact')}
      </button>
      <Show when={job()}>
        {(j) => (
          <>
            <progress
              max="1"
              value={j().progress}
              aria-label={t('impact.progress', { done: j().processed, total: j().total })}
            />{' '}
            <span>{t('impact.progress', { done: j().processed, total: j().total })}</span>
            <Show when={j().status === 'running'}>
              <button type="button" onClick={() => void api.send('DELETE', `/api/impact/${j().id}`)}>
                {t('impact.cancel')}
              </button>
            </Show>
            <ImpactChart job={j()} />
            <p data-testid="impact-changed">{t('impact.changed', { n: j().changedCount })}</p>
            <Show when={j().skipped > 0}>
              <p class="muted">{t('impact.skipped', { n: j().skipped, reason: j().skippedReason ?? '' })}</p>
            </Show>
            <ul>
              <For each={j().changed}>
                {(c) => (
                  <li>
                    <a href={`#/audit/${c.decisionId}`}>
                      {c.municipality} {c.referenceDate}
                    </a>
                    : {t(`decision.${c.before.outcome as 'granted'}`)} → {t(`decision.${c.after.outcome as 'granted'}`)}
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
      <Show when={error()}>
        <ProblemMessage error={error()} />
      </Show>
    </section>
  );
}

function PublishView(props: { store: RuleSetStore; ruleSetId: string; onPublished: (v: number) => void }) {
  const [validFrom, setValidFrom] = createSignal('');
  const [valid, setValid] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const draftId = () => props.store.draft()!.draftId;
  async function validate() {
    setError(null);
    setValid(false);
    try {
      if (props.store.dirty() && !(await props.store.save())) return;
      await api.send(
        'POST',
        `/api/rulesets/${props.ruleSetId}/drafts/${draftId()}/validate${validFrom() ? `?validFrom=${validFrom()}` : ''}`,
      );
      setValid(true);
    } catch (e) {
      setError(e);
    }
  }
  async function publish() {
    setError(null);
    try {
      if (props.store.dirty() && !(await props.store.save())) return;
      const res = await api.send<{ version: number }>(
        'POST',
        `/api/rulesets/${props.ruleSetId}/drafts/${draftId()}/publish`,
        { validFrom: validFrom() },
      );
      props.onPublished(res.data.version);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section>
      <label for="publish-valid-from">{t('publish.validFrom')}</label>{' '}
      <input
        id="publish-valid-from"
        type="date"
        required
        value={validFrom()}
        onInput={(e) => setValidFrom(e.currentTarget.value)}
      />{' '}
      <button type="button" onClick={validate}>
        {t('publish.validate')}
      </button>
      <Show when={valid()}>
        <p class="ok" role="status">
          {t('publish.valid')}
        </p>
      </Show>
      <ImpactPanel ruleSetId={props.ruleSetId} draftId={draftId()} />
      <p>
        <button type="button" class="primary" disabled={!validFrom()} onClick={publish} data-testid="confirm-publish">
          {t('publish.confirm')}
        </button>
      </p>
      <Show when={error()}>
        <ProblemMessage error={error()} />
      </Show>
    </section>
  );
}

export function RuleSetEditor(props: { id: string; draftId?: string | undefined }) {
  const store = createRuleSetStore(api, props.id);
  const [tab, setTab] = createSignal<Tab>('form');
  const [published, setPublished] = createSignal<number | null>(null);
  const [summary, { refetch }] = createResource(() => api.get<RuleSetSummary>(`/api/rulesets/${props.id}/versions`));
  const versions = () => (summary()?.versions ?? []).map((v) => v.version);

  createEffect(
    on(
      () => props.draftId,
      (draftId) => {
        if (draftId) void store.load(draftId);
      },
    ),
  );

  async function newDraft() {
    const id = await store.startFrom(versions().at(-1)!);
    if (id) location.hash = `#/rulesets/${props.id}/drafts/${id}`;
  }
  const tabs: Tab[] = ['form', 'json', 'diff', 'tests', 'publish'];
  const tabLabel = {
    form: 'editor.tabForm',
    json: 'editor.tabJson',
    diff: 'editor.tabDiff',
    tests: 'editor.tabTests',
    publish: 'editor.tabPublish',
  } as const;
  return (
    <section>
      <h1>{t('editor.heading', { id: props.id })}</h1>
      <Show when={summary.error}>
        <ProblemMessage error={summary.error} />
      </Show>
      <Show when={published()}>
        {(v) => (
          <p class="ok" role="status" data-testid="published">
            {t('publish.done', { version: v() })}
          </p>
        )}
      </Show>
      <Show
        when={props.draftId}
        fallback={
          <div>
            <Show when={summary()} fallback={<p>{t('common.loading')}</p>}>
              <button type="button" class="primary" onClick={newDraft} data-testid="new-draft">
                {t('editor.newDraft', { version: versions().at(-1) ?? 0 })}
              </button>
              <ul>
                <For each={summary()!.drafts}>
                  {(d) => (
                    <li>
                      <a href={`#/rulesets/${props.id}/drafts/${d.draftId}`}>
                        {t('editor.openDraft')} ({d.updatedBy}, {d.updatedAt.slice(0, 16)})
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        }
      >
        <Show when={store.doc.value} fallback={<p>{store.error() ?? t('common.loading')}</p>}>
          <div class="toolbar">
            <div role="tablist" aria-label={t('editor.heading', { id: props.id })}>
              <For each={tabs}>
                {(x) => (
                  <button
                    type="button"
                    role="tab"
                    aria-selected={tab() === x}
                    class={tab() === x ? 'tab active' : 'tab'}
                    onClick={() => setTab(x)}
                    data-testid={`tab-${x}`}
                  >
                    {t(tabLabel[x])}
                  </button>
                )}
              </For>
            </div>
            <span class="spacer" />
            <Show when={store.dirty()}>
              <span class="warning" data-testid="dirty">
                {t('editor.dirty')}
              </span>
            </Show>
            <button
              type="button"
              class="primary"
              disabled={store.busy()}
              onClick={() => void store.save()}
              data-testid="save"
            >
              {t('common.save')}
            </button>
          </div>
          <Show when={store.conflict()}>
            {(c) => (
              <div class="problem" role="alert" data-testid="conflict">
                {t('editor.conflict', { who: c().who })}{' '}
                <button type="button" onClick={() => void store.load(store.draft()!.draftId)}>
                  {t('editor.reload')}
                </button>{' '}
                <button type="button" onClick={() => setTab('diff')}>
                  {t('editor.compare')}
                </button>
              </div>
            )}
          </Show>
          <ErrorText text={store.conflict() ? null : store.error()} />
          <Switch>
            <Match when={tab() === 'form'}>
              <RuleSetForm store={store} />
            </Match>
            <Match when={tab() === 'json'}>
              <JsonView store={store} />
            </Match>
            <Match when={tab() === 'diff'}>
              <DiffView store={store} versions={versions()} />
            </Match>
            <Match when={tab() === 'tests'}>
              <TestsView store={store} ruleSetId={props.id} />
            </Match>
            <Match when={tab() === 'publish'}>
              <PublishView
                store={store}
                ruleSetId={props.id}
                onPublished={(v) => {
                  setPublished(v);
                  void refetch();
                  location.hash = `#/rulesets/${props.id}`;
                }}
              />
            </Match>
          </Switch>
        </Show>
      </Show>
    </section>
  );
}
