/**
 * The test bench: build a case with a form or paste JSON, decide it with the rules in force, a
 * draft or any version, read the decision, and save the case as a test case of a rule set.
 */
import { createResource, createSignal, For, Index, onCleanup, onMount, Show, type JSX } from 'solid-js';
import {
  type Decision,
  FREQUENCIES,
  IJW_UNITS,
  INTENSITIES,
  MUNICIPALITIES_BY_REGION,
  MUNICIPALITY_IDS,
  OUTCOMES,
  type Outcome,
  PRODUCT_LEVELS,
  REFERRERS,
  SERVICES,
} from '../../engine/browser.js';
import { DecisionView } from '../components/DecisionView.js';
import { LetterPreview } from '../components/Letter.js';
import { ProblemMessage } from '../components/Problem.js';
import { api, ApiProblem, asDomain, read, type OkOf } from '../lib/api.js';
import { formatDateTime, t } from '../lib/i18n.js';
import { createJsonEditor } from '../lib/monaco.js';
import { caseFromForm, defaultForm, formFromCase, type CaseForm, type ExistingForm } from '../lib/case-form.js';
import { fetchVersion, listRuleSets } from '../lib/ruleset-versions.js';
import { parseCodes } from '../lib/test-run.js';

type RegionKey = keyof typeof MUNICIPALITIES_BY_REGION;
const regionOfMunicipality = (m: string): RegionKey =>
  (Object.keys(MUNICIPALITIES_BY_REGION) as RegionKey[]).find((r) =>
    (MUNICIPALITIES_BY_REGION[r] as readonly string[]).includes(m),
  ) ?? 'ijsselland';

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
  // show only what the server lets this account do: case systems log, writers save test cases
  const [session] = createResource(() => read(api.api.session.$get()));
  const mayLog = () => session()?.demo === true || session()?.user?.role === 'case-system';
  const mayWrite = () =>
    session()?.demo === true || ['policy-advisor', 'municipality-officer'].includes(session()?.user?.role ?? '');
  const [expectedOutcome, setExpectedOutcome] = createSignal<Outcome>('granted');
  const [expectedCodes, setExpectedCodes] = createSignal('');
  // the case form; it writes into the JSON, and reads it back
  const [form, setForm] = createSignal<CaseForm>(formFromCase(EXAMPLE, defaultForm(EXAMPLE.referenceDate)));
  const region = () => regionOfMunicipality(form().municipality);
  // what the region knows: IJsselland's profiles, MIJOV's products, from the latest published version
  const [catalogue] = createResource(
    () => {
      const set = (sets() ?? []).find((s) => s.id === region());
      const latest = set?.versions.at(-1)?.version;
      return latest === undefined ? false : ([region(), latest] as const);
    },
    async ([id, version]) => {
      const doc = await fetchVersion(api, id, version);
      const c = ('catalogue' in doc ? doc.catalogue : {}) as {
        profiles?: { number: number; title: string; intensities: string[] }[];
        products?: { slug: string; title: string; unit: string; levels: string[] }[];
      };
      return { profiles: c.profiles ?? [], products: c.products ?? [] };
    },
  );
  const productGroups = () =>
    catalogue()?.profiles.length
      ? catalogue()!.profiles.map((p) => ({ value: `profiel-${p.number}`, label: `profiel-${p.number} ${p.title}` }))
      : (catalogue()?.products ?? []).map((p) => ({ value: p.slug, label: p.title }));
  const product = () => catalogue()?.products.find((p) => p.slug === form().product);
  const profile = () => catalogue()?.profiles.find((p) => p.number === Number(form().profile));

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
      // the expectation to save defaults to what was decided; the advisor may choose another
      setExpectedOutcome(d.outcome);
      setExpectedCodes(d.reasons.map((r) => r.code).join(', '));
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
            expected: { outcome: expectedOutcome(), codes: parseCodes(expectedCodes()) },
          },
        }),
      );
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  }

  const field = (name: string, label: string, input: (id: string) => unknown) => (
    <div class="field">
      <label for={`bench-${name}`}>{label}</label>
      {input(`bench-${name}`) as never}
    </div>
  );
  const setField = <K extends keyof CaseForm>(name: K, value: CaseForm[K]) => setForm({ ...form(), [name]: value });
  const date = (name: 'birthDate' | 'referenceDate' | 'startDate' | 'endDate' | 'entryDate', label: string) =>
    field(name, label, (id) => (
      <input id={id} type="date" value={form()[name]} onInput={(e) => setField(name, e.currentTarget.value)} />
    ));
  const number = (
    name: 'units' | 'clientsLastYear' | 'readingPercentile' | 'spellingPercentile' | 'measurements',
    label: string,
    attrs: JSX.InputHTMLAttributes<HTMLInputElement> = {},
  ) =>
    field(name, label, (id) => (
      <input
        id={id}
        type="number"
        {...attrs}
        value={form()[name]}
        onInput={(e) => setField(name, Number(e.currentTarget.value))}
      />
    ));
  const select = <K extends keyof CaseForm>(
    name: K,
    label: string,
    options: readonly (string | { value: string; label: string })[],
  ) =>
    field(name, label, (id) => (
      <select
        id={id}
        value={String(form()[name])}
        onChange={(e) => setField(name, e.currentTarget.value as CaseForm[K])}
      >
        <For each={[...options]}>
          {(o) => (typeof o === 'string' ? <option value={o}>{o}</option> : <option value={o.value}>{o.label}</option>)}
        </For>
      </select>
    ));
  const check = (
    name: 'durableSupport' | 'dyslexia' | 'comorbidity' | 'schoolSupport' | 'governanceCodeZorg',
    label: string,
  ) => (
    <div class="field check">
      <input
        id={`bench-${name}`}
        type="checkbox"
        checked={form()[name]}
        onChange={(e) => setField(name, e.currentTarget.checked)}
      />
      <label for={`bench-${name}`}>{label}</label>
    </div>
  );
  /** A set of values as checkboxes, each labelled. */
  const checks = (
    name: 'registrations' | 'productGroups' | 'coordinatedWith',
    legend: string,
    options: readonly (string | { value: string; label: string })[],
  ) => (
    <fieldset class="checks" data-testid={`bench-${name}`}>
      <legend>{legend}</legend>
      <For each={[...options]}>
        {(o) => {
          const value = typeof o === 'string' ? o : o.value;
          const id = `bench-${name}-${value}`;
          return (
            <span class="check">
              <input
                id={id}
                type="checkbox"
                checked={form()[name].includes(value)}
                onChange={(e) =>
                  setField(
                    name,
                    e.currentTarget.checked ? [...form()[name], value] : form()[name].filter((x) => x !== value),
                  )
                }
              />
              <label for={id}>{typeof o === 'string' ? o : o.label}</label>
            </span>
          );
        }}
      </For>
    </fieldset>
  );
  const setExisting = (i: number, patch: Partial<ExistingForm>) =>
    setField(
      'existing',
      form().existing.map((a, j) => (j === i ? { ...a, ...patch } : a)),
    );

  function applyForm() {
    setCase(caseFromForm(form()));
  }
  function formFromJson() {
    setError(null);
    try {
      setForm(formFromCase(parsed(), form()));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section>
      <h1>{t('bench.heading')}</h1>
      <div class="bench">
        <div>
          <fieldset class="case-form" data-testid="case-form" data-region={region()}>
            <legend>{t('bench.form.legend')}</legend>
            {select('type', t('bench.form.type'), [
              { value: 'allocation', label: t('bench.form.allocation') },
              { value: 'admission', label: t('bench.form.admission') },
            ])}
            {field('municipality', t('bench.form.municipality'), (id) => (
              <select
                id={id}
                value={form().municipality}
                onChange={(e) => {
                  const municipality = e.currentTarget.value;
                  const next = regionOfMunicipality(municipality);
                  // a region asks for what it procures: IJsselland profiles, MIJOV products
                  const kind =
                    form().requestKind === 'service' ? 'service' : next === 'ijsselland' ? 'profile' : 'product';
                  const group =
                    next === region()
                      ? form().requestedProductGroup
                      : next === 'ijsselland'
                        ? 'profiel-2'
                        : 'begeleiding-individueel';
                  setForm({
                    ...form(),
                    municipality,
                    requestKind: kind,
                    requestedProductGroup: group,
                    productGroups: next === region() ? form().productGroups : [],
                  });
                }}
              >
                <For each={[...MUNICIPALITY_IDS]}>{(m) => <option value={m}>{m}</option>}</For>
              </select>
            ))}
            {date('referenceDate', t('bench.form.referenceDate'))}
            <Show when={form().type === 'allocation'}>
              {date('birthDate', t('bench.form.birthDate'))}
              {select('referrer', t('bench.form.referrer'), REFERRERS)}
              {select('requestKind', t('bench.form.requestKind'), [
                ...(region() === 'ijsselland'
                  ? [{ value: 'profile', label: t('bench.form.kindProfile') }]
                  : [{ value: 'product', label: t('bench.form.kindProduct') }]),
                { value: 'service', label: t('bench.form.kindService') },
              ])}
              <Show when={form().requestKind === 'profile'}>
                {field('profile', t('bench.form.profile'), (id) => (
                  <input
                    id={id}
                    type="number"
                    min="1"
                    max="12"
                    value={form().profile}
                    aria-describedby="bench-profile-title"
                    onInput={(e) => setField('profile', Number(e.currentTarget.value))}
                  />
                ))}
                <Show when={profile()}>
                  {(p) => (
                    <small id="bench-profile-title">
                      {p().title} ({p().intensities.join(', ')})
                    </small>
                  )}
                </Show>
                {select('intensity', t('bench.form.intensity'), INTENSITIES)}
                {select('segment', t('bench.form.segment'), [
                  { value: 'midden', label: t('bench.form.segmentMiddle') },
                  { value: 'top', label: t('bench.form.segmentTop') },
                ])}
                <Show when={form().segment === 'top'}>
                  {field('trajectoryCostCents', t('bench.form.trajectoryCostCents'), (id) => (
                    <input
                      id={id}
                      type="number"
                      min="0"
                      value={form().trajectoryCostCents}
                      onInput={(e) => setField('trajectoryCostCents', e.currentTarget.value)}
                    />
                  ))}
                </Show>
              </Show>
              <Show when={form().requestKind === 'product'}>
                {select(
                  'product',
                  t('bench.form.product'),
                  (catalogue()?.products ?? []).map((p) => ({ value: p.slug, label: `${p.title} (${p.unit})` })),
                )}
                {select('level', t('bench.form.level'), [
                  { value: '', label: t('bench.form.none') },
                  ...(product()?.levels ?? PRODUCT_LEVELS),
                ])}
                {number('units', t('bench.form.units'), { min: '0', step: 'any' })}
                {select('unit', t('bench.form.unit'), IJW_UNITS)}
                {select('frequency', t('bench.form.frequency'), [
                  { value: '', label: t('bench.form.none') },
                  ...FREQUENCIES,
                ])}
              </Show>
              <Show when={form().requestKind === 'service'}>
                {select('service', t('bench.form.service'), SERVICES)}
              </Show>
              {date('startDate', t('bench.form.startDate'))}
              {date(
                'endDate',
                form().requestKind === 'product' ? t('bench.form.endDateRequired') : t('bench.form.endDate'),
              )}
              {select('familyPlan', t('bench.form.familyPlan'), [
                { value: 'none', label: t('bench.form.familyPlanNone') },
                { value: 'present', label: t('bench.form.familyPlanPresent') },
                { value: 'absent', label: t('bench.form.familyPlanAbsent') },
              ])}
              <Show when={form().familyPlan === 'present'}>
                {check('durableSupport', t('bench.form.durableSupport'))}
                {checks('coordinatedWith', t('bench.form.coordinatedWith'), [
                  { value: 'lokaal-team', label: t('bench.form.localTeam') },
                  { value: 'gecertificeerde-instelling', label: t('bench.form.gi') },
                ])}
              </Show>
              <fieldset class="existing" data-testid="bench-existing">
                <legend>{t('bench.form.existing')}</legend>
                <Index each={form().existing}>
                  {(a, i) => (
                    <div class="toolbar">
                      <label for={`bench-existing-${i}-kind`}>{t('bench.form.existingKind', { n: i + 1 })}</label>
                      <select
                        id={`bench-existing-${i}-kind`}
                        value={a().kind}
                        onChange={(e) => setExisting(i, { kind: e.currentTarget.value as ExistingForm['kind'] })}
                      >
                        <option value="profile">{t('bench.form.kindProfile')}</option>
                        <option value="product">{t('bench.form.kindProduct')}</option>
                      </select>
                      <Show
                        when={a().kind === 'profile'}
                        fallback={
                          <>
                            <label for={`bench-existing-${i}-product`}>{t('bench.form.product')}</label>
                            <select
                              id={`bench-existing-${i}-product`}
                              value={a().product}
                              onChange={(e) => setExisting(i, { product: e.currentTarget.value })}
                            >
                              <For each={catalogue()?.products ?? []}>
                                {(p) => <option value={p.slug}>{p.title}</option>}
                              </For>
                            </select>
                          </>
                        }
                      >
                        <label for={`bench-existing-${i}-profile`}>{t('bench.form.profile')}</label>
                        <input
                          id={`bench-existing-${i}-profile`}
                          type="number"
                          min="1"
                          max="12"
                          value={a().profile}
                          onInput={(e) => setExisting(i, { profile: Number(e.currentTarget.value) })}
                        />
                      </Show>
                      <label for={`bench-existing-${i}-intensity`}>{t('bench.form.intensity')}</label>
                      <select
                        id={`bench-existing-${i}-intensity`}
                        value={a().intensity}
                        onChange={(e) => setExisting(i, { intensity: e.currentTarget.value })}
                      >
                        <option value="">{t('bench.form.none')}</option>
                        <For each={[...INTENSITIES]}>{(x) => <option value={x}>{x}</option>}</For>
                      </select>
                      <label for={`bench-existing-${i}-start`}>{t('bench.form.startDate')}</label>
                      <input
                        id={`bench-existing-${i}-start`}
                        type="date"
                        value={a().startDate}
                        onInput={(e) => setExisting(i, { startDate: e.currentTarget.value })}
                      />
                      <label for={`bench-existing-${i}-end`}>{t('bench.form.endDate')}</label>
                      <input
                        id={`bench-existing-${i}-end`}
                        type="date"
                        value={a().endDate}
                        onInput={(e) => setExisting(i, { endDate: e.currentTarget.value })}
                      />
                      <button
                        type="button"
                        onClick={() =>
                          setField(
                            'existing',
                            form().existing.filter((_, j) => j !== i),
                          )
                        }
                      >
                        {t('bench.form.removeExisting', { n: i + 1 })}
                      </button>
                    </div>
                  )}
                </Index>
                <button
                  type="button"
                  data-testid="bench-add-existing"
                  onClick={() =>
                    setField('existing', [
                      ...form().existing,
                      {
                        kind: region() === 'ijsselland' ? 'profile' : 'product',
                        profile: 1,
                        product: catalogue()?.products[0]?.slug ?? '',
                        intensity: '',
                        startDate: form().startDate,
                        endDate: '',
                      },
                    ])
                  }
                >
                  {t('bench.form.addExisting')}
                </button>
              </fieldset>
              {check('dyslexia', t('bench.form.dyslexia'))}
              <Show when={form().dyslexia}>
                {number('readingPercentile', t('bench.form.readingPercentile'), { min: '0', max: '100' })}
                {number('spellingPercentile', t('bench.form.spellingPercentile'), { min: '0', max: '100' })}
                {check('comorbidity', t('bench.form.comorbidity'))}
                {number('measurements', t('bench.form.measurements'), { min: '0' })}
                {check('schoolSupport', t('bench.form.schoolSupport'))}
              </Show>
            </Show>
            <Show when={form().type === 'admission'}>
              {select('purpose', t('bench.form.purpose'), [
                { value: 'entry', label: t('bench.form.entry') },
                { value: 'renewal', label: t('bench.form.renewal') },
              ])}
              {date('entryDate', t('bench.form.entryDate'))}
              {select('requestedProductGroup', t('bench.form.requestedProductGroup'), productGroups())}
              {field('providerName', t('bench.form.providerName'), (id) => (
                <input
                  id={id}
                  value={form().providerName}
                  onInput={(e) => setField('providerName', e.currentTarget.value)}
                />
              ))}
              {checks('registrations', t('bench.form.registrations'), ['BIG', 'SKJ'])}
              {check('governanceCodeZorg', t('bench.form.governanceCodeZorg'))}
              {number('clientsLastYear', t('bench.form.clientsLastYear'), { min: '0' })}
              {checks('productGroups', t('bench.form.productGroups'), productGroups())}
              <fieldset class="checks" data-testid="bench-levels">
                <legend>{t('bench.form.levels')}</legend>
                <span class="check">
                  <input
                    id="bench-levels-stated"
                    type="checkbox"
                    checked={form().levels !== undefined}
                    onChange={(e) => setField('levels', e.currentTarget.checked ? [] : undefined)}
                  />
                  <label for="bench-levels-stated">{t('bench.form.levelsStated')}</label>
                </span>
                <For each={[...PRODUCT_LEVELS]}>
                  {(level) => (
                    <span class="check">
                      <input
                        id={`bench-levels-${level}`}
                        type="checkbox"
                        disabled={form().levels === undefined}
                        checked={form().levels?.includes(level) ?? false}
                        onChange={(e) =>
                          setField(
                            'levels',
                            e.currentTarget.checked
                              ? [...(form().levels ?? []), level]
                              : (form().levels ?? []).filter((x) => x !== level),
                          )
                        }
                      />
                      <label for={`bench-levels-${level}`}>{level}</label>
                    </span>
                  )}
                </For>
              </fieldset>
              {field('addedValue', t('bench.form.addedValue'), (id) => (
                <textarea
                  id={id}
                  rows={3}
                  maxLength={2000}
                  value={form().addedValue}
                  onInput={(e) => setField('addedValue', e.currentTarget.value)}
                />
              ))}
            </Show>
            <div class="toolbar">
              <button type="button" onClick={applyForm} data-testid="apply-form">
                {t('bench.form.apply')}
              </button>
              <button type="button" onClick={formFromJson} data-testid="form-from-json">
                {t('bench.form.fromJson')}
              </button>
            </div>
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
            <Show when={mayLog()}>
              <button type="button" onClick={() => void decide(true)} data-testid="decide-live">
                {t('bench.evaluateLive')}
              </button>
            </Show>
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
                <Show when={mayWrite()}>
                  <fieldset class="save-test">
                    <legend>{t('bench.saveAsTest')}</legend>
                    <label for="test-name">{t('bench.testName')}</label>{' '}
                    <input id="test-name" value={testName()} onInput={(e) => setTestName(e.currentTarget.value)} />{' '}
                    <label for="test-ruleset">{t('bench.ruleSet')}</label>{' '}
                    <select id="test-ruleset" value={saveTo()} onChange={(e) => setSaveTo(e.currentTarget.value)}>
                      <option value="" />
                      <For each={sets() ?? []}>{(s) => <option value={s.id}>{s.id}</option>}</For>
                    </select>{' '}
                    <label for="test-expected-outcome">{t('tests.expectedOutcome')}</label>{' '}
                    <select
                      id="test-expected-outcome"
                      value={expectedOutcome()}
                      onChange={(e) => setExpectedOutcome(e.currentTarget.value as Outcome)}
                    >
                      <For each={[...OUTCOMES]}>{(o) => <option value={o}>{t(`decision.${o}`)}</option>}</For>
                    </select>{' '}
                    <label for="test-expected-codes">{t('tests.expectedCodes')}</label>{' '}
                    <input
                      id="test-expected-codes"
                      value={expectedCodes()}
                      title={t('tests.codesHint')}
                      onInput={(e) => setExpectedCodes(e.currentTarget.value)}
                    />{' '}
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
                </Show>
              </>
            )}
          </Show>
        </div>
      </div>
    </section>
  );
}
