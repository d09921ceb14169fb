/**
 * The "voorlopige waarde" marker: next to every value a decision rests on that no source gives
 * (a threshold, a tariff, a catalogue entry, a rule marked illustrative), and on the decision.
 */
import { For, Show } from 'solid-js';
import type { IllustrativeRef } from '../../engine/browser.js';
import { t } from '../lib/i18n.js';

/** The marker itself; its title says what it means. */
export function IllustrativeMark(props: { what?: string }) {
  return (
    <span
      class="illustrative-mark"
      data-testid="illustrative-mark"
      title={props.what ? `${props.what}: ${t('illustrative.title')}` : t('illustrative.title')}
    >
      {t('illustrative.mark')}
    </span>
  );
}

/** "tarief profiel-12.perspectief (ijsselland)". */
export function describeIllustrative(ref: IllustrativeRef): string {
  return `${t(`illustrative.kind.${ref.kind}`)} ${ref.id} (${ref.ruleSet})`;
}

/** The notice on a decision that rests on illustrative values, with the list of them. */
export function IllustrativeNotice(props: { refs: readonly IllustrativeRef[] }) {
  return (
    <Show when={props.refs.length > 0}>
      <div class="illustrative-notice" data-testid="illustrative" role="note">
        <p>
          <IllustrativeMark /> {t('illustrative.decision')}
        </p>
        <ul>
          <For each={props.refs}>
            {(r) => (
              <li>
                <strong>{t(`illustrative.kind.${r.kind}`)}</strong> <code>{r.id}</code>{' '}
                <span class="muted">({r.ruleSet})</span>
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}

/** Which parts of a decision rest on which illustrative values. */
export interface IllustrativeIndex {
  all: readonly IllustrativeRef[];
  /** Parameter names (`dyslexia.minAge`) marked illustrative. */
  parameters: ReadonlySet<string>;
  rules: ReadonlySet<string>;
  /** The tariff entry, or a parameter the tariff used (`tariff.…`). */
  tariff: boolean;
  catalogue: boolean;
}

export function indexIllustrative(refs: readonly IllustrativeRef[] | undefined): IllustrativeIndex {
  const all = refs ?? [];
  const parameters = new Set(all.filter((r) => r.kind === 'parameter').map((r) => r.id));
  return {
    all,
    parameters,
    rules: new Set(all.filter((r) => r.kind === 'rule').map((r) => r.id)),
    tariff: all.some((r) => r.kind === 'tariff') || [...parameters].some((p) => p.startsWith('tariff.')),
    catalogue: all.some((r) => r.kind === 'catalogue'),
  };
}
