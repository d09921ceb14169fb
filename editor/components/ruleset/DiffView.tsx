/**
 * A draft's changes as a list of Dutch sentences, grouped by rule and parameter, with its
 * findings; one click away, Monaco's JSON diff: any version (left) against the draft or another
 * version (right). A published version shown read-only goes straight to the JSON diff.
 */
import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import { api } from '../../lib/api.js';
import { t } from '../../lib/i18n.js';
import { createDiffEditor } from '../../lib/monaco.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';
import { createVersionDiff } from '../../lib/version-diff.js';
import type { Governance } from '../../lib/governance.js';
import { ChangeList, FindingsList } from './ChangeList.js';

interface DiffProps {
  store: RuleSetStore;
  ruleSetId: string;
  versions: number[];
  /** A published version shown read-only: compared with the version before it, no draft side. */
  version?: number | undefined;
}

export function DiffView(props: DiffProps & { governance?: Governance | undefined }) {
  const [json, setJson] = createSignal(false);
  return (
    <Show when={props.version === undefined && props.governance} fallback={<JsonDiff {...props} />}>
      {(g) => (
        <>
          <ChangeList changes={g().changes()} />
          <FindingsList analysis={g().analysis()} />
          <p>
            <button
              type="button"
              onClick={() => setJson(!json())}
              aria-expanded={json()}
              data-testid="toggle-json-diff"
            >
              {t(json() ? 'gov.hideJson' : 'gov.showJson')}
            </button>
          </p>
          <Show when={json()}>
            <JsonDiff {...props} />
          </Show>
        </>
      )}
    </Show>
  );
}

function JsonDiff(props: DiffProps) {
  let el!: HTMLDivElement;
  const diff = createVersionDiff(api, props.ruleSetId, {
    left:
      props.version !== undefined
        ? Math.max(1, props.version - 1)
        : (props.store.draft()?.baseVersion ?? props.versions.at(-1) ?? 1),
    right: props.version ?? 'draft',
    draftText: () => props.store.jsonText(),
  });
  let editor: { dispose(): void } | undefined;
  createEffect(() => {
    const texts = diff.texts();
    if (!texts) return;
    editor?.dispose();
    editor = createDiffEditor(el, texts.original, texts.modified);
  });
  onCleanup(() => editor?.dispose());
  return (
    <>
      <div class="toolbar">
        <label for="diff-left">{t('diff.against')}</label>
        <select id="diff-left" value={diff.left()} onChange={(e) => diff.setLeft(Number(e.currentTarget.value))}>
          <For each={props.versions}>{(v) => <option value={v}>v{v}</option>}</For>
        </select>
        <label for="diff-right">↔</label>
        <select
          id="diff-right"
          value={String(diff.right())}
          onChange={(e) => diff.setRight(e.currentTarget.value === 'draft' ? 'draft' : Number(e.currentTarget.value))}
        >
          <Show when={props.version === undefined}>
            <option value="draft">{t('common.draft')}</option>
          </Show>
          <For each={props.versions}>{(v) => <option value={v}>v{v}</option>}</For>
        </select>
      </div>
      <div class="monaco" ref={el} data-testid="diff-editor" />
    </>
  );
}
