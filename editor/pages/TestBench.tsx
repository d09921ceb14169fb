/**
 * The test bench: build a case with a form or paste JSON, decide it with the rules in force, a
 * draft or any version, read the decision, and save the case as a test case of a rule set.
 */
import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { type Decision, MUNICIPALITY_IDS, REFERRERS, INTENSITIES } from '../../engine/browser.js';
import { DecisionView } from '../components/DecisionView.js';
import { LetterPreview } from '../components/Letter.js';
import { ProblemMessage } from '../components/Problem.js';
import { api, ApiProblem, asDomain, read, type OkOf } from '../lib/api.js';
import { formatDateTime, t } from '../lib/i18n.js';
import { createJsonEditor } from '../lib/monaco.js';
import { listRuleSets } from '../lib/ruleset-versions.js';

type Evaluate = typeof api.api.evaluate.$post;
/** A decision as the bench shows it: from the log (with its id) or from a draft or version. */
type Decided = OkOf<Evaluate> | OkOf<(typeof api.api.rulesets)[':id']['versions'][':n']['evaluate']['$post']>;
/** The case as the routes take it; the server checks what was typed and answers each issue with its path. */
type CaseBody = Parameters<Evaluate>[0]['json'];

const EXAMPLE = {
  type: 'allocation',
  municipality: 'zwolle',
  referenceDate: new Date().toISOString().slice(0, 10),
  youth: { birthDate: '2017-05-12' },
  referral: { referrer: 'gemeentelijke-toegang' },
  request: { profile: 12, intensity: 'perspectief', startDate: new Date().toISOString().slice(0, 10) },
  dyslexia: {
    readingPercentile: 8,
    spellingPercentile: 30,
    comorbidity: false,
    schoolDossier: { measurements: 3, schoolSupport: true },
  },
};

export function TestBench() {
  const [text, setText] = createSignal(JSON.stringify(EXAMPLE, null, 2));
  const [against, setAgainst] = createSignal('in-force');
  const [decision, setDecision] = createSignal<Decided | null>(null);
  // the case as it was decided, for the letter preview (the JSON may change after)
  const [decidedCase, setDecidedCase] = createSignal<unknown>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [saved, setSaved] = createSignal(false);
  const [testName, setTestName] = createSignal('');
  const [saveTo, setSaveTo] = createSignal('');
  const [sets] = createResource(() => listRuleSets(api));
  // form fields for the common case; they write into the JSON
  const [form, setForm] = createSignal({
    municipality: 'zwolle',
    referenceDate: EXAMPLE.referenceDate,
    birthDate: '2017-05-12',
    referrer: 'gemeentelijke-toegang',
    profile: 12,
    intensity: 'perspectief',
    startDate: EXAMPLE.referenceDate,
    endDate: '',
  });

  let el!: HTMLDivElement;
  let editor: ReturnType<typeof createJsonEditor> | undefined;
  onMount(() => {
    editor = createJsonEditor(el, { value: text(), kind: 'case', onChange: setText, ariaLabel: t('bench.case') });
  });
  onCleanup(() => editor?.dispose());
  const setCase = (value: unknown) => {
    const next = JSON.stringify(value, null, 2);
    setText(next);
    editor?.setValue(next);
  };

  function parsed(): CaseBody {
    try {
      return JSON.parse(text()) as CaseBody;
    } catch (e) {
      throw new ApiProblem(400, 'INVALID_JSON', `${t('bench.case')}: ${(e as Error).message}`, [], {});
    }
  }

  async function decide(live: boolean) {
    setError(null);
    setSaved(false);
    try {
      const json = parsed();
      const target = against();
      let d: Decided;
      if (target === 'in-force')
        d = await read(api.api.evaluate.$post({ query: live ? {} : { dryRun: 'true' }, json }));
      else {
        const [kind = '', id = '', ref = ''] = target.split(':');
        const rulesets = api.api.rulesets[':id'];
        d = await read(
          kind === 'draft'
            ? rulesets.drafts[':draftId'].evaluate.$post({ param: { id, draftId: ref }, json })
            : rulesets.versions[':n'].evaluate.$post({ param: { id, n: ref }, json }),
        );
      }
      setDecision(d);
      setDecidedCase(json);
      editor?.setProblems([]);
    } catch (e) {
      setDecision(null);
      setError(e);
      if (e instanceof ApiProblem) editor?.setProblems(e.issues);
    }
  }

  async function saveTest() {
    setError(null);
    const d = decision();
    if (!d || !saveTo() || !testName()) return;
    try {
      await read(
        api.api.rulesets[':id'].tests.$post({
          param: { id: saveTo() },
          json: {
            name: testName(),
            case: parsed(),
            expected: { outcome: d.outcome, codes: d.reasons.map((r) => r.code) },
          },
        }),
      );
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  }

  const field = (name: keyof ReturnType<typeof form>, label: string, input: (id: string) => unknown) => (
    <div class="field">
      <label for={`bench-${name}`}>{label}</label>
      {input(`bench-${name}`) as never}
    </div>
  );
  const setField = (name: string, value: string | number) => setForm({ ...form(), [name]: value });
  function applyForm() {
    const f = form();
    let c: Record<string, unknown> = {};
    try {
      c = JSON.parse(text()) as Record<string, unknown>;
    } catch {
      c = structuredClone(EXAMPLE);
    }
    const request = (c.request ?? {}) as Record<string, unknown>;
    const { endDate: _previousEnd, ...rest } = request;
    setCase({
      ...c,
      municipality: f.municipality,
      referenceDate: f.referenceDate,
      youth: { birthDate: f.birthDate },
      referral: { referrer: f.referrer },
      request: {
        ...rest,
        profile: Number(f.profile),
        intensity: f.intensity,
        startDate: f.startDate,
        ...(f.endDate ? { endDate: f.endDate } : {}),
      },
    });
  }

  return (
    <section>
      <h1>{t('bench.heading')}</h1>
      <div class="bench">
        <div>
          <fieldset class="case-form">
            {field('municipality', t('bench.form.municipality'), (id) => (
              <select
                id={id}
                value={form().municipality}
                onChange={(e) => setField('municipality', e.currentTarget.value)}
              >
                <For each={[...MUNICIPALITY_IDS]}>{(m) => <option value={m}>{m}</option>}</For>
              </select>
            ))}
            {field('referenceDate', t('bench.form.referenceDate'), (id) => (
              <input
                id={id}
                type="date"
                value={form().referenceDate}
                onInput={(e) => setField('referenceDate', e.currentTarget.value)}
              />
            ))}
            {field('birthDate', t('bench.form.birthDate'), (id) => (
              <input
                id={id}
                type="date"
                value={form().birthDate}
                onInput={(e) => setField('birthDate', e.currentTarget.value)}
              />
            ))}
            {field('referrer', t('bench.form.referrer'), (id) => (
              <select id={id} value={form().referrer} onChange={(e) => setField('referrer', e.currentTarget.value)}>
                <For each={[...REFERRERS]}>{(r) => <option value={r}>{r}</option>}</For>
              </select>
            ))}
            {field('profile', t('bench.form.profile'), (id) => (
              <input
                id={id}
                type="number"
                min="1"
                max="12"
                value={form().profile}
                onInput={(e) => setField('profile', Number(e.currentTarget.value))}
              />
            ))}
            {field('intensity', t('bench.form.intensity'), (id) => (
              <select id={id} value={form().intensity} onChange={(e) => setField('intensity', e.currentTarget.value)}>
                <For each={[...INTENSITIES]}>{(i) => <option value={i}>{i}</option>}</For>
              </select>
            ))}
            {field('startDate', t('bench.form.startDate'), (id) => (
              <input
                id={id}
                type="date"
                value={form().startDate}
                onInput={(e) => setField('startDate', e.currentTarget.value)}
              />
            ))}
            {field('endDate', t('bench.form.endDate'), (id) => (
              <input
                id={id}
                type="date"
                value={form().endDate}
                onInput={(e) => setField('endDate', e.currentTarget.value)}
              />
            ))}
            <button type="button" onClick={applyForm} data-testid="apply-form">
              {t('bench.form.apply')}
            </button>
          </fieldset>
          <label for="bench-json">{t('bench.case')}</label>
          <div class="monaco small" ref={el} id="bench-json" data-testid="case-editor" />
          <div class="toolbar">
            <label for="bench-against">{t('bench.against')}</label>
            <select
              id="bench-against"
              value={against()}
              onChange={(e) => setAgainst(e.currentTarget.value)}
              data-testid="bench-against"
            >
              <option value="in-force">{t('bench.inForce')}</option>
              <For each={sets() ?? []}>
                {(s) => (
                  <>
                    <For each={s.drafts}>
                      {(d) => (
                        <option value={`draft:${s.id}:${d.draftId}`}>
                          {s.id} — {t('common.draft')} {formatDateTime(d.updatedAt)}
                        </option>
                      )}
                    </For>
                    <For each={s.versions}>
                      {(v) => (
                        <option value={`version:${s.id}:${v.version}`}>
                          {s.id} v{v.version}
                        </option>
                      )}
                    </For>
                  </>
                )}
              </For>
            </select>
            <button type="button" class="primary" onClick={() => void decide(false)} data-testid="decide">
              {t('bench.run')}
            </button>
            <button type="button" onClick={() => void decide(true)} data-testid="decide-live">
              {t('bench.evaluateLive')}
            </button>
          </div>
        </div>
        <div>
          <Show when={error()}>
            <ProblemMessage error={error()} />
          </Show>
          <Show when={decision()}>
            {(d) => (
              <>
                <DecisionView decision={asDomain<Decision>(d())} />
                <LetterPreview decision={asDomain<Decision>(d())} case={decidedCase()} />
                <fieldset class="save-test">
                  <legend>{t('bench.saveAsTest')}</legend>
                  <label for="test-name">{t('bench.testName')}</label>{' '}
                  <input id="test-name" value={testName()} onInput={(e) => setTestName(e.currentTarget.value)} />{' '}
                  <label for="test-ruleset">{t('bench.ruleSet')}</label>{' '}
                  <select id="test-ruleset" value={saveTo()} onChange={(e) => setSaveTo(e.currentTarget.value)}>
                    <option value="" />
                    <For each={sets() ?? []}>{(s) => <option value={s.id}>{s.id}</option>}</For>
                  </select>{' '}
                  <button type="button" onClick={saveTest} data-testid="save-test">
                    {t('bench.saveAsTest')}
                  </button>
                  <Show when={saved()}>
                    <span class="ok" role="status">
                      {' '}
                      {t('bench.savedTest')}
                    </span>
                  </Show>
                </fieldset>
              </>
            )}
          </Show>
        </div>
      </div>
    </section>
  );
}
