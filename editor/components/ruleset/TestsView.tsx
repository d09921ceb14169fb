/** The rule set's saved test cases, run against the draft: each one passed or failed. */
import { For, Show } from 'solid-js';
import { api } from '../../lib/api.js';
import { t } from '../../lib/i18n.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';
import { createTestRun } from '../../lib/test-run.js';
import { ProblemMessage } from '../Problem.js';

export function TestsView(props: { store: RuleSetStore; ruleSetId: string }) {
  const tests = createTestRun(api, props.ruleSetId);
  async function runAll() {
    // the server runs the saved draft; a failed save shows in the editor's toolbar
    await props.store.saveIfDirty();
    await tests.run({ draftId: props.store.draft()!.draftId });
  }
  return (
    <section>
      <h3>{t('tests.heading')}</h3>
      <Show when={(tests.testCases() ?? []).length > 0} fallback={<p>{t('tests.none')}</p>}>
        <button type="button" onClick={runAll} data-testid="run-tests">
          {t('tests.runAll')}
        </button>
        <Show when={tests.result()}>
          {(r) => <p data-testid="test-summary">{t('tests.summary', { passed: r().passed, failed: r().failed })}</p>}
        </Show>
        <ul class="tests" data-testid="test-results">
          <For each={tests.rows()}>
            {(r) => (
              <li class={r.pass === undefined ? '' : r.pass ? 'pass' : 'fail'}>
                <span aria-hidden="true">{r.pass === undefined ? '•' : r.pass ? '✔' : '✘'}</span> {r.name} —{' '}
                {t('tests.expected', { outcome: t(`decision.${r.expected.outcome as 'review'}`) })}
                <Show when={r.actual}>
                  {(a) => <>, {t('tests.actual', { outcome: t(`decision.${a().outcome as 'review'}`) })}</>}
                </Show>
                <Show when={r.pass !== undefined}>
                  {' '}
                  <strong>{r.pass ? t('tests.pass') : t('tests.fail')}</strong>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={tests.error()}>
        <ProblemMessage error={tests.error()} />
      </Show>
    </section>
  );
}
