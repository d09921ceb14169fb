/**
 * The rule set editor: one draft, edited in a form or as JSON (Monaco with the generated JSON
 * Schema), a diff against its base or any version, the rule set's test cases, and publishing
 * with validation and impact analysis. The page holds the layout, the tabs and the draft's
 * lifecycle (start, load, save, conflict); each tab is a component under components/ruleset/.
 */
import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import { ProblemMessage, ErrorText } from '../components/Problem.js';
import { RuleSetForm } from '../components/RuleSetForm.js';
import { DiffView } from '../components/ruleset/DiffView.js';
import { JsonView } from '../components/ruleset/JsonView.js';
import { PublishView } from '../components/ruleset/PublishView.js';
import { TestsView } from '../components/ruleset/TestsView.js';
import { api } from '../lib/api.js';
import { createGovernance, createSession } from '../lib/governance.js';
import { t } from '../lib/i18n.js';
import { createRuleSetStore } from '../lib/ruleset-store.js';
import { createRuleSetVersions } from '../lib/ruleset-versions.js';

type Tab = 'form' | 'json' | 'diff' | 'tests' | 'publish';

export function RuleSetEditor(props: { id: string; draftId?: string | undefined }) {
  const store = createRuleSetStore(api, props.id);
  const [tab, setTab] = createSignal<Tab>('form');
  const [published, setPublished] = createSignal<number | null>(null);
  const { summary, versions, latest, refetch } = createRuleSetVersions(api, props.id);
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
      () => props.draftId,
      (draftId) => {
        if (draftId) void store.load(draftId);
      },
    ),
  );

  async function newDraft() {
    const id = await store.startFrom(latest()!);
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
                {t('editor.newDraft', { version: latest() ?? 0 })}
              </button>
              <ul>
                <For each={summary()!.drafts}>
                  {(d) => (
                    <li>
                      <a href={`#/rulesets/${props.id}/drafts/${d.draftId}`}>
                        {t('editor.openDraft')} ({d.updatedBy}, {d.updatedAt.slice(0, 16)})
                      </a>
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
                            at: (d.rejectedAt ?? '').slice(0, 16),
                            comment: d.rejectionComment ?? '',
                          })}
                        </span>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
              <h2>{t('gov.versions')}</h2>
              <table data-testid="versions">
                <thead>
                  <tr>
                    <th>{t('audit.version')}</th>
                    <th>{t('publish.validFrom')}</th>
                    <th>{t('gov.changeNoteShort')}</th>
                    <th>{t('gov.submittedBy')}</th>
                    <th>{t('gov.approvedBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={[...summary()!.versions].reverse()}>
                    {(v) => (
                      <tr data-testid={`version-${v.version}`}>
                        <td>v{v.version}</td>
                        <td>{v.validFrom}</td>
                        <td>{v.changeNote ?? ''}</td>
                        <td>{v.submittedBy ?? v.publishedBy}</td>
                        <td>{v.approvedBy ?? ''}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
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
              <DiffView store={store} ruleSetId={props.id} versions={versions()} governance={governance} />
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
