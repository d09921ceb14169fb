/**
 * The rule set editor: one draft, edited in a form or as JSON (Monaco with the generated JSON
 * Schema), a diff against its base or any version, the rule set's test cases, and publishing
 * with validation and impact analysis. The page holds the layout, the tabs and the draft's
 * lifecycle (start, load, save, conflict); each tab is a component under components/ruleset/.
 */
import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import type { RegionRuleSet } from '../../engine/browser.js';
import { ErrorText, IssueSummary, ProblemMessage } from '../components/Problem.js';
import { RuleSetForm } from '../components/RuleSetForm.js';
import { DiffView } from '../components/ruleset/DiffView.js';
import { JsonView } from '../components/ruleset/JsonView.js';
import { PublishView } from '../components/ruleset/PublishView.js';
import { SpreadsheetActions } from '../components/ruleset/SpreadsheetActions.js';
import { TestsView } from '../components/ruleset/TestsView.js';
import { api } from '../lib/api.js';
import { createGovernance, createSession } from '../lib/governance.js';
import { formatDate, formatDateTime, t } from '../lib/i18n.js';
import { pathSegments } from '../lib/json-path.js';
import { createRuleSetStore } from '../lib/ruleset-store.js';
import { createRuleSetVersions, type RuleSetSummary } from '../lib/ruleset-versions.js';
import { guardUnsaved } from '../lib/unsaved.js';
import { statusLabel, versionHref } from './Overview.js';

type Tab = 'form' | 'json' | 'diff' | 'tests' | 'publish';

/** A rule set's published versions, each to read with 'Bekijken', and its open drafts. */
function VersionList(props: {
  ruleSetId: string;
  summary: RuleSetSummary;
  onNewDraft: (version: number) => void;
  busy: boolean;
}) {
  const latest = () => props.summary.versions.at(-1)?.version;
  return (
    <>
      <h2>{t('editor.versionsHeading')}</h2>
      <div class="scroll-x">
        <table class="grid versions" data-testid="version-list">
          <thead>
            <tr>
              <th>{t('common.version')}</th>
              <th>{t('publish.validFrom')}</th>
              <th>{t('editor.status')}</th>
              <th>{t('editor.publishedColumn')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For each={[...props.summary.versions].reverse()}>
              {(v) => (
                <tr>
                  <th scope="row">v{v.version}</th>
                  <td>
                    {formatDate(v.validFrom)}
                    <Show when={v.validUntil}> {t('overview.until', { date: formatDate(v.validUntil!) })}</Show>
                  </td>
                  <td>
                    <span class={`chip tl-${v.status}`}>{statusLabel(v.status)}</span>
                  </td>
                  <td class="muted">
                    {t('overview.publishedBy', { who: v.publishedBy, when: formatDateTime(v.publishedAt) })}
                    <Show when={v.approvedBy}>
                      <br />
                      <span data-testid={`version-${v.version}`}>
                        {v.changeNote} · {t('gov.submittedBy')}: {v.submittedBy} · {t('gov.approvedBy')}: {v.approvedBy}
                      </span>
                    </Show>
                  </td>
                  <td class="actions">
                    <a class="button" href={versionHref(props.ruleSetId, v.version)} data-testid={`view-v${v.version}`}>
                      {t('editor.view')}
                    </a>{' '}
                    <Show when={v.version === latest()}>
                      <button
                        type="button"
                        class="primary"
                        disabled={props.busy}
                        onClick={() => props.onNewDraft(v.version)}
                        data-testid="new-draft"
                      >
                        {t('editor.newDraft', { version: v.version })}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <h2>{t('editor.draftsHeading')}</h2>
      <Show when={props.summary.drafts.length > 0} fallback={<p class="muted">{t('editor.noDrafts')}</p>}>
        <ul>
          <For each={props.summary.drafts}>
            {(d) => (
              <li>
                <a href={`#/rulesets/${props.ruleSetId}/drafts/${d.draftId}`}>{t('editor.openDraft')}</a>{' '}
                <span class="muted">
                  ({t('editor.savedBy', { who: d.updatedBy, when: formatDateTime(d.updatedAt) })})
                </span>
                <Show when={d.status === 'submitted'}>
                  {' '}
                  <span class="warning" data-testid="draft-awaiting">
                    {t('gov.awaiting')} ({d.submittedBy})
                  </span>
                </Show>
                <Show when={d.status === 'editing' && d.rejectionComment}>
                  {' '}
                  <span class="muted">
                    {t('gov.rejected', {
                      who: d.rejectedBy ?? '?',
                      at: formatDateTime(d.rejectedAt ?? ''),
                      comment: d.rejectionComment ?? '',
                    })}
                  </span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

export function RuleSetEditor(props: { id: string; draftId?: string | undefined; version?: number | undefined }) {
  const store = createRuleSetStore(api, props.id);
  guardUnsaved(() => store.dirty());
  const [tab, setTab] = createSignal<Tab>('form');
  const [published, setPublished] = createSignal<number | null>(null);
  const { summary, versions, refetch } = createRuleSetVersions(api, props.id);
  const viewing = () => props.draftId === undefined && props.version !== undefined;
  const session = createSession(api);
  const governance = createGovernance(api, props.id, () => props.draftId);
  const submitted = () => governance.status()?.status === 'submitted';
  // each save gives a new ETag: the change list and the findings follow the saved draft
  createEffect(
    on(
      () => store.draft()?.etag,
      (etag, previous) => {
        if (etag && previous) governance.refresh();
      },
    ),
  );

  createEffect(
    on(
      () => [props.draftId, props.version] as const,
      ([draftId, version]) => {
        if (draftId) void store.load(draftId);
        else if (version !== undefined) void store.loadVersion(version);
      },
    ),
  );

  async function newDraft(version: number) {
    const id = await store.startFrom(version);
    if (id) location.hash = `#/rulesets/${props.id}/drafts/${id}`;
  }
  const tabs = (): Tab[] => (viewing() ? ['form', 'json', 'diff'] : ['form', 'json', 'diff', 'tests', 'publish']);
  const tabLabel = {
    form: 'editor.tabForm',
    json: 'editor.tabJson',
    diff: 'editor.tabDiff',
    tests: 'editor.tabTests',
    publish: 'editor.tabPublish',
  } as const;
  /** Where an issue's JSON path lies, in words: a parameter by its label, a rule by its id. */
  const place = (path: string) => {
    const [head, key] = pathSegments(path);
    const doc = store.doc.value as RegionRuleSet | null;
    if (head === 'parameters' && typeof key === 'string')
      return t('place.parameter', { name: doc?.parameters?.[key]?.label ?? key });
    if (head === 'rules' && typeof key === 'number') return t('place.rule', { id: doc?.rules?.[key]?.id ?? key + 1 });
    if (head === 'tariffs') return t('place.tariffs');
    return path;
  };
  return (
    <section>
      <h1>
        {viewing()
          ? t('editor.versionHeading', { id: props.id, version: props.version! })
          : t('editor.heading', { id: props.id })}
      </h1>
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
      <Show when={!props.draftId && !viewing()}>
        <Show when={summary()} fallback={<p>{t('common.loading')}</p>}>
          {(s) => (
            <VersionList ruleSetId={props.id} summary={s()} busy={store.busy()} onNewDraft={(v) => void newDraft(v)} />
          )}
        </Show>
        <ErrorText text={store.error()} />
      </Show>
      <Show when={props.draftId || viewing()}>
        <Show when={store.doc.value} fallback={<p>{store.error() ?? t('common.loading')}</p>}>
          <Show when={viewing()}>
            <p class="read-only" role="status" data-testid="read-only">
              {t('editor.readOnly', { version: props.version! })}{' '}
              <button
                type="button"
                class="primary"
                disabled={store.busy()}
                onClick={() => void newDraft(props.version!)}
              >
                {t('editor.newDraftFromThis')}
              </button>{' '}
              <a href={`#/rulesets/${props.id}`}>{t('editor.backToVersions')}</a>
            </p>
          </Show>
          <div class="toolbar">
            <div role="tablist" class="tabs" aria-label={t('editor.heading', { id: props.id })}>
              <For each={tabs()}>
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
            <Show when={!viewing()}>
              <Show when={submitted()}>
                <span class="warning" data-testid="status-awaiting">
                  {t('gov.awaiting')}
                </span>
              </Show>
              <Show when={store.dirty()}>
                <span class="warning" data-testid="dirty">
                  {t('editor.dirty')}
                </span>
              </Show>
              <button
                type="button"
                class="primary"
                disabled={store.busy() || submitted()}
                onClick={() => void store.save()}
                data-testid="save"
              >
                {t('common.save')}
              </button>
            </Show>
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
          <Show when={!store.conflict()}>
            <IssueSummary title={store.error()} issues={store.issues()} place={place} />
          </Show>
          <SpreadsheetActions store={store} ruleSetId={props.id} />
          <Switch>
            <Match when={tab() === 'form'}>
              <RuleSetForm store={store} />
            </Match>
            <Match when={tab() === 'json'}>
              <JsonView store={store} />
            </Match>
            <Match when={tab() === 'diff'}>
              <DiffView
                store={store}
                ruleSetId={props.id}
                versions={versions()}
                version={viewing() ? props.version : undefined}
                governance={governance}
              />
            </Match>
            <Match when={tab() === 'tests'}>
              <TestsView store={store} ruleSetId={props.id} />
            </Match>
            <Match when={tab() === 'publish'}>
              <PublishView
                store={store}
                ruleSetId={props.id}
                governance={governance}
                fourEyes={session()?.fourEyes ?? false}
                me={session()?.user?.name ?? null}
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
