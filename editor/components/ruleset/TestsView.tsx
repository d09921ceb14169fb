/**
 * The rule set's saved test cases, run against the draft (as if in force from its valid-from
 * date): each one passed or failed, expected beside actual; one opened to change its name, case
 * and expectation, run alone or delete; and per rule how many test cases make it fire.
 */
import { createSignal, For, Index, Show } from 'solid-js';
import { OUTCOMES, type Outcome } from '../../../engine/browser.js';
import { api } from '../../lib/api.js';
import { t } from '../../lib/i18n.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';
import { createTestRun, parseCodes, type TestRow } from '../../lib/test-run.js';
import { ProblemMessage } from '../Problem.js';

const outcomeText = (o: string) => t(`decision.${o as Outcome}`);
const codesText = (codes: readonly string[]) => (codes.length > 0 ? codes.join(', ') : t('tests.noCodes'));

export function TestsView(props: { store: RuleSetStore; ruleSetId: string }) {
  const tests = createTestRun(api, props.ruleSetId);
  const [validFrom, setValidFrom] = createSignal('');
  const [openId, setOpenId] = createSignal<string | null>(null);

  /** The draft to run against, saved first (a failed save shows in the editor's toolbar). */
  async function candidate() {
    if (!(await props.store.saveIfDirty())) return null;
    const draft = props.store.draft();
    return draft ? { draftId: draft.draftId, ...(validFrom() ? { validFrom: validFrom() } : {}) } : null;
  }
  async function runAll() {
    const c = await candidate();
    if (c) await tests.run(c);
  }
  /** The rules of a regional rule set (an overlay only switches the region's rules). */
  const ruleIds = () => {
    const doc = props.store.doc.value as { rules?: unknown };
    return Array.isArray(doc?.rules) ? (doc.rules as { id: string }[]).map((r) => r.id) : [];
  };
  const ruleCodes = () => {
    const doc = props.store.doc.value as { rules?: unknown };
    return Array.isArray(doc?.rules) ? [...new Set((doc.rules as { code: string }[]).map((r) => r.code))] : [];
  };

  return (
    <section>
      <h3>{t('tests.heading')}</h3>
      <Show when={(tests.testCases() ?? []).length > 0} fallback={<p>{t('tests.none')}</p>}>
        <div class="toolbar">
          <label for="tests-valid-from">{t('tests.validFrom')}</label>
          <input
            id="tests-valid-from"
            type="date"
            value={validFrom()}
            onInput={(e) => setValidFrom(e.currentTarget.value)}
          />
          <button type="button" onClick={runAll} data-testid="run-tests">
            {t('tests.runAll')}
          </button>
        </div>
        <Show when={tests.result()}>
          {(r) => (
            <p data-testid="test-summary">
              {t('tests.summary', { passed: r().passed, failed: r().failed })}
              <Show when={r().validFrom}>{(d) => <> {t('tests.asOf', { date: d() })}</>}</Show>
            </p>
          )}
        </Show>
        <ul class="tests" data-testid="test-results">
          <Index each={tests.rows()}>
            {(r) => (
              <li
                class={r().pass === undefined ? '' : r().pass ? 'pass' : 'fail'}
                data-testid="test-row"
                data-status={r().pass === undefined ? 'not-run' : r().pass ? 'pass' : 'fail'}
              >
                <span aria-hidden="true">{r().pass === undefined ? '•' : r().pass ? '✔' : '✘'}</span>{' '}
                <button
                  type="button"
                  class="link"
                  aria-expanded={openId() === r().id}
                  onClick={() => setOpenId(openId() === r().id ? null : r().id)}
                >
                  {r().name}
                </button>{' '}
                — {t('tests.expected', { outcome: outcomeText(r().expected.outcome) })} ({codesText(r().expected.codes)}
                )
                <Show when={r().actual}>
                  {(a) => (
                    <>
                      , {t('tests.actual', { outcome: outcomeText(a().outcome) })} ({codesText(a().codes)})
                    </>
                  )}
                </Show>
                <Show when={r().pass !== undefined}>
                  {' '}
                  <strong>{r().pass ? t('tests.pass') : t('tests.fail')}</strong>
                </Show>
                <Show when={r().error}>
                  {(e) => (
                    <div class="problem" role="alert">
                      {e()}
                    </div>
                  )}
                </Show>
                <Show when={openId() === r().id}>
                  <TestCaseEditor
                    row={r()}
                    codes={ruleCodes()}
                    tests={tests}
                    candidate={candidate}
                    onClose={() => setOpenId(null)}
                  />
                </Show>
              </li>
            )}
          </Index>
        </ul>
        <Coverage tests={tests} ruleIds={ruleIds()} />
      </Show>
      <Show when={tests.error()}>
        <ProblemMessage error={tests.error()} />
      </Show>
    </section>
  );
}

/** One test case opened: its name, case (JSON) and expectation, to save, run alone or delete. */
function TestCaseEditor(props: {
  row: TestRow;
  codes: string[];
  tests: ReturnType<typeof createTestRun>;
  candidate: () => Promise<{ draftId: string; validFrom?: string } | null>;
  onClose: () => void;
}) {
  const [name, setName] = createSignal(props.row.name);
  const [caseText, setCaseText] = createSignal(JSON.stringify(props.row.case, null, 2));
  const [outcome, setOutcome] = createSignal<Outcome>(props.row.expected.outcome);
  const [codes, setCodes] = createSignal(props.row.expected.codes.join(', '));
  const [error, setError] = createSignal<unknown>(null);
  const [status, setStatus] = createSignal('');
  const [confirming, setConfirming] = createSignal(false);

  async function save() {
    setError(null);
    setStatus('');
    try {
      let parsedCase: unknown;
      try {
        parsedCase = JSON.parse(caseText());
      } catch (e) {
        throw new Error(`${t('bench.case')}: ${(e as Error).message}`, { cause: e });
      }
      await props.tests.save(props.row.id, {
        name: name(),
        case: parsedCase,
        expected: { outcome: outcome(), codes: parseCodes(codes()) },
      });
      setStatus(t('common.saved'));
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }
  async function runAlone() {
    setStatus('');
    const c = await props.candidate();
    if (c) await props.tests.runOne(props.row.id, c);
  }
  async function remove() {
    setError(null);
    try {
      await props.tests.remove(props.row.id);
      props.onClose();
    } catch (e) {
      setError(e);
    }
  }

  const id = (field: string) => `test-edit-${field}`;
  return (
    <fieldset class="test-editor" data-testid="test-editor">
      <legend>{t('tests.edit')}</legend>
      <div class="field">
        <label for={id('name')}>{t('tests.name')}</label>
        <input id={id('name')} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={id('case')}>{t('bench.case')}</label>
        <textarea
          id={id('case')}
          rows={12}
          spellcheck={false}
          value={caseText()}
          onInput={(e) => setCaseText(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={id('outcome')}>{t('tests.expectedOutcome')}</label>
        <select id={id('outcome')} value={outcome()} onChange={(e) => setOutcome(e.currentTarget.value as Outcome)}>
          <For each={[...OUTCOMES]}>{(o) => <option value={o}>{outcomeText(o)}</option>}</For>
        </select>
      </div>
      <div class="field">
        <label for={id('codes')}>{t('tests.expectedCodes')}</label>
        <input
          id={id('codes')}
          value={codes()}
          list={id('code-list')}
          aria-describedby={id('codes-hint')}
          onInput={(e) => setCodes(e.currentTarget.value)}
        />
        <datalist id={id('code-list')}>
          <For each={props.codes}>{(c) => <option value={c} />}</For>
        </datalist>
        <small id={id('codes-hint')}>{t('tests.codesHint')}</small>
      </div>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => void save()} data-testid="test-save">
          {t('common.save')}
        </button>
        <button type="button" onClick={() => void runAlone()} data-testid="test-run-one">
          {t('tests.runOne')}
        </button>
        <Show
          when={confirming()}
          fallback={
            <button type="button" onClick={() => setConfirming(true)} data-testid="test-delete">
              {t('common.delete')}
            </button>
          }
        >
          <span role="alert">{t('tests.confirmDelete')}</span>{' '}
          <button type="button" onClick={() => void remove()} data-testid="test-delete-confirm">
            {t('tests.deleteYes')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </Show>
        <button type="button" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
        <Show when={status()}>
          <span class="ok" role="status">
            {status()}
          </span>
        </Show>
      </div>
      <Show when={error()}>
        <ProblemMessage error={error()} />
      </Show>
    </fieldset>
  );
}

/** Per rule, how many test cases of the last run make it fire; rules that none do, as a warning. */
function Coverage(props: { tests: ReturnType<typeof createTestRun>; ruleIds: string[] }) {
  return (
    <Show when={props.ruleIds.length > 0}>
      <section data-testid="test-coverage">
        <h4>{t('tests.coverage')}</h4>
        <Show when={props.tests.result()} fallback={<p>{t('tests.coverageAfterRun')}</p>}>
          <ul class="coverage">
            <For each={props.tests.coverage(props.ruleIds)}>
              {(c) => (
                <li class={c.count === 0 ? 'warning' : ''} data-testid="coverage-row" data-rule={c.ruleId}>
                  {c.count === 0
                    ? t('tests.ruleUncovered', { rule: c.ruleId })
                    : c.count === 1
                      ? t('tests.ruleCoveredOne', { rule: c.ruleId })
                      : t('tests.ruleCovered', { rule: c.ruleId, count: c.count })}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </Show>
  );
}
