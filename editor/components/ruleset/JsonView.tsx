/** The draft as JSON in Monaco, checked against the generated JSON Schema and the server's issues. */
import { createEffect, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../lib/i18n.js';
import { createJsonEditor } from '../../lib/monaco.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';

export function JsonView(props: { store: RuleSetStore }) {
  let el!: HTMLDivElement;
  onMount(() => {
    const ed = createJsonEditor(el, {
      value: props.store.jsonText(),
      kind: 'ruleset',
      onChange: (text) => props.store.setJsonText(text),
      ariaLabel: 'JSON',
      readOnly: props.store.readOnly(),
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
