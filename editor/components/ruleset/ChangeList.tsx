/** A draft's changes as Dutch sentences grouped by rule and parameter, and its analysis findings. */
import { For, Show } from 'solid-js';
import { groupChanges, type Analysis, type SemanticChanges } from '../../lib/governance.js';
import { t } from '../../lib/i18n.js';

export function ChangeList(props: { changes: SemanticChanges | undefined }) {
  return (
    <section class="change-list" data-testid="change-list">
      <h3>{t('gov.changes')}</h3>
      <Show when={props.changes} fallback={<p>{t('common.loading')}</p>}>
        {(changes) => (
          <Show when={changes().length > 0} fallback={<p class="muted">{t('gov.noChanges')}</p>}>
            <For each={groupChanges(changes())}>
              {(g) => (
                <div class="change-group">
                  <h4>
                    {t(`gov.group.${g.kind as 'rule'}`)}: <code>{g.id}</code>
                  </h4>
                  <ul>
                    <For each={g.changes}>
                      {(c) => (
                        <li data-testid="change" title={c.path}>
                          {c.text}
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              )}
            </For>
          </Show>
        )}
      </Show>
    </section>
  );
}

export function FindingsList(props: { analysis: Analysis | undefined }) {
  return (
    <section class="findings" data-testid="findings">
      <h3>{t('gov.findings')}</h3>
      <Show when={props.analysis} fallback={<p>{t('common.loading')}</p>}>
        {(a) => (
          <>
            <Show when={a().findings.length > 0} fallback={<p class="ok">{t('gov.noFindings')}</p>}>
              <ul>
                <For each={a().findings}>
                  {(f) => (
                    <li class={f.severity === 'error' ? 'problem' : 'warning'} data-testid={`finding-${f.code}`}>
                      <strong>{t(f.severity === 'error' ? 'gov.error' : 'gov.warning')}</strong>{' '}
                      <Show when={f.ruleId ?? f.parameter}>
                        <code>{f.ruleId ?? f.parameter}</code>:{' '}
                      </Show>
                      {f.message}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={a().tests.passed + a().tests.failed > 0}>
              <p class={a().tests.failed > 0 ? 'problem' : 'muted'}>
                {t('gov.tests', { passed: a().tests.passed, failed: a().tests.failed })}
              </p>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
