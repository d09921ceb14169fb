/**
 * 'Exporteren naar Excel' and 'Importeren uit Excel' for a regional draft: the tariffs, parameters
 * and test cases as an .xlsx file, and a file read back after showing what it would change (the
 * server's dry run); a file with errors shows each cell's problem (`Tarieven!C7: …`).
 */
import { createSignal, For, Show } from 'solid-js';
import { ErrorText } from '../Problem.js';
import { api, read, readWithEtag } from '../../lib/api.js';
import { t } from '../../lib/i18n.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Endpoint = (typeof api)['api']['rulesets'][':id']['drafts'][':draftId']['spreadsheet'];
type Preview = {
  file: File;
  changes: { path: string; text: string }[];
  added: string[];
  replaced: string[];
};

export function SpreadsheetActions(props: { store: RuleSetStore; ruleSetId: string }) {
  const [preview, setPreview] = createSignal<Preview | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal(false);
  let input!: HTMLInputElement;

  const endpoint = (): Endpoint => api.api.rulesets[':id'].drafts[':draftId'].spreadsheet;
  const param = () => ({ id: props.ruleSetId, draftId: props.store.draft()!.draftId });

  async function run(task: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await task();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const exportFile = () =>
    run(async () => {
      const res = await endpoint().$get({ param: param(), query: { format: 'xlsx' } });
      if (!res.ok) await read(res);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${props.ruleSetId}-concept.xlsx`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

  const upload = (file: File, dryRun: boolean) =>
    readWithEtag(
      endpoint().$post(
        {
          param: param(),
          query: dryRun ? { dryRun: 'true' } : {},
          header: { 'if-match': props.store.draft()!.etag },
        },
        { headers: { 'content-type': file.type || XLSX }, init: { body: file } },
      ),
    );

  const choose = (file: File | undefined) => {
    if (!file) return;
    void run(async () => {
      const { data } = await upload(file, true);
      setPreview({ file, changes: data.changes, added: data.testCases.added, replaced: data.testCases.replaced });
    });
    input.value = '';
  };

  const apply = () =>
    run(async () => {
      const p = preview()!;
      await upload(p.file, false);
      setPreview(null);
      await props.store.load(props.store.draft()!.draftId);
      setDone(true);
    });

  return (
    <Show when={props.store.doc.value?.kind === 'region' && props.store.draft()}>
      <div class="toolbar" data-testid="spreadsheet-actions">
        <button
          type="button"
          disabled={busy() || props.store.dirty()}
          onClick={() => void exportFile()}
          data-testid="export-excel"
        >
          {t('spreadsheet.export')}
        </button>
        <button
          type="button"
          disabled={busy() || props.store.dirty()}
          onClick={() => input.click()}
          data-testid="import-excel"
        >
          {t('spreadsheet.import')}
        </button>
        <input
          ref={input}
          type="file"
          accept=".xlsx,.csv,text/csv"
          hidden
          data-testid="import-file"
          onChange={(e) => choose(e.currentTarget.files?.[0])}
        />
        <Show when={props.store.dirty()}>
          <span class="muted">{t('spreadsheet.saveFirst')}</span>
        </Show>
        <Show when={done()}>
          <span class="ok" role="status">
            {t('spreadsheet.applied')}
          </span>
        </Show>
      </div>
      <ErrorText text={error()} />
      <Show when={preview()}>
        {(p) => (
          <div class="card" data-testid="import-preview">
            <Show
              when={p().changes.length + p().added.length + p().replaced.length > 0}
              fallback={<p>{t('spreadsheet.noChanges')}</p>}
            >
              <p>{t('spreadsheet.preview')}</p>
              <ul>
                <For each={p().changes}>{(c) => <li title={c.path}>{c.text}</li>}</For>
                <Show when={p().added.length + p().replaced.length > 0}>
                  <li>{t('spreadsheet.testCases', { added: p().added.length, replaced: p().replaced.length })}</li>
                </Show>
              </ul>
              <button
                type="button"
                class="primary"
                disabled={busy()}
                onClick={() => void apply()}
                data-testid="import-apply"
              >
                {t('spreadsheet.apply')}
              </button>
            </Show>{' '}
            <button type="button" onClick={() => setPreview(null)}>
              {t('common.cancel')}
            </button>
          </div>
        )}
      </Show>
    </Show>
  );
}
