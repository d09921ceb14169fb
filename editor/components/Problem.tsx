/** An API problem or error, in words: the title and each issue with where it is. */
import { For, Show } from 'solid-js';
import { ApiProblem } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function ProblemMessage(props: { error: unknown }) {
  const problem = () => (props.error instanceof ApiProblem ? props.error : null);
  return (
    <div class="problem" role="alert">
      <Show
        when={problem()}
        fallback={
          <p>
            {t('common.error')}: {props.error instanceof Error ? props.error.message : String(props.error)}
          </p>
        }
      >
        {(p) => (
          <>
            <p>
              <strong>{p().title}</strong>
            </p>
            <Show when={p().issues.length > 0}>
              <ul>
                <For each={p().issues}>
                  {(i) => <li>{t('problem.atPath', { path: i.path, message: i.message })}</li>}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}

export function ErrorText(props: { text: string | null }) {
  return (
    <Show when={props.text}>
      <p class="problem" role="alert">
        {props.text}
      </p>
    </Show>
  );
}
