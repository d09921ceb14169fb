/** An API problem or error, in words: the title and each issue with where it is. */
import { For, Show } from 'solid-js';
import { ApiProblem, type Issue } from '../lib/api.js';
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

/** The server's problems with one field, beside it (their messages are Dutch). */
export function FieldIssues(props: { issues: readonly Issue[]; id?: string }) {
  return (
    <Show when={props.issues.length > 0}>
      <span class="field-error" id={props.id} role="alert" data-testid="field-issue">
        <For each={props.issues}>{(i) => <span class="issue">{dutchMessage(i.message)}</span>}</For>
      </span>
    </Show>
  );
}

/**
 * A problem's issues listed with their place in words (`parameter Crisis: maximum aantal dagen`,
 * `regel ijsselland.crisis.max`), each also shown beside its field; the JSON path only as a hint.
 */
export function IssueSummary(props: {
  title: string | null;
  issues: readonly Issue[];
  place: (path: string) => string;
}) {
  return (
    <Show when={props.title || props.issues.length > 0}>
      <div class="problem" role="alert" data-testid="issue-summary">
        <p>
          <strong>{props.title}</strong>
          <Show when={props.issues.length > 0}> {t('editor.issues')}</Show>
        </p>
        <Show when={props.issues.length > 0}>
          <ul>
            <For each={props.issues}>
              {(i) => <li>{t('field.problemAt', { place: props.place(i.path), message: dutchMessage(i.message) })}</li>}
            </For>
          </ul>
        </Show>
      </div>
    </Show>
  );
}

/**
 * A check's message as the editor shows it: the engine's and the server's are Dutch; should one
 * of zod's English defaults ever come through, a Dutch sentence stands in for it.
 */
export function dutchMessage(message: string): string {
  return /^(Invalid|Too (small|big)|Unrecognized|Expected|Required)\b/.test(message) ? t('zod.generic') : message;
}
