/**
 * The draft's changes as a list of Dutch sentences, grouped by rule and parameter, with its
 * findings; one click away, Monaco's JSON diff: any version (left) against the draft or another
 * version (right).
 */
import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import { api } from '../../lib/api.js';
import { t } from '../../lib/i18n.js';
import { createDiffEditor } from '../../lib/monaco.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';
import { createVersionDiff } from '../../lib/version-diff.js';
import type { Governance } from '../../lib/governance.js';
import { ChangeList, FindingsList } from './ChangeList.js';

export function DiffView(props: {
  store: RuleSetStore;
  ruleSetId: string;
  versions: number[];
  governance: Governance;
}) {
  const [json, setJson] = createSignal(false);
  return (
    <>
      <ChangeList changes={props.governance.changes()} />
      <FindingsList analysis={props.governance.analysis()} />
      <p>
        <button type="button" onClick={() => setJson(!json())} aria-expanded={json()} data-testid="toggle-json-diff">
          {t(json() ? 'gov.hideJson' : 'gov.showJson')}
        </button>
      </p>
      <Show when={json()}>
        <JsonDiff store={props.store} ruleSetId={props.ruleSetId} versions={props.versions} />
      </Show>
    </>
  );
}

function JsonDiff(props: { store: RuleSetStore; ruleSetId: string; versions: number[] }) {
  let el!: HTMLDivElement;
  const diff = createVersionDiff(api, props.ruleSetId, {
    left: props.store.draft()?.baseVersion ?? props.versions.at(-1) ?? 1,
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
          <option value="draft">{t('common.draft')}</option>
          <For each={props.versions}>{(v) => <option value={v}>v{v}</option>}</For>
        </select>
      </div>
      <div class="monaco" ref={el} data-testid="diff-editor" />
    </>
  );
}
