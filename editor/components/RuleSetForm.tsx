/**
 * The low-code view of a rule set: parameters as a form, the rule families that are tables as
 * tables (limits, profile × intensity, the rules of one kind), tariffs as a grid and each rule as
 * a card with its Dutch sentence, its fields and its condition tree. Every edit goes through
 * `store.update`, so the JSON view follows.
 */
import { createSignal, For, Index, Show } from 'solid-js';
import { jsonPath, type Parameter, type RegionRuleSet, type Rule } from '../../engine/browser.js';
import { boundsInWords } from '../lib/bounds.js';
import { newLeaf, parameterOptionLabel } from '../lib/conditions.js';
import { t } from '../lib/i18n.js';
import type { RuleSetStore } from '../lib/ruleset-store.js';
import { parseNumber } from './ConditionTree.js';
import { DecisionTables } from './DecisionTables.js';
import { EuroInput } from './EuroInput.js';
import { FieldIssues } from './Problem.js';
import { ReasonCodeList, RuleEditor, ruleCardId, slug } from './RuleEditor.js';

function sourceText(source: Parameter['source']) {
  return source === 'illustratief' ? t('param.illustrative') : `${source.document}, ${source.section}`;
}

function ParameterRow(props: { name: string; store: RuleSetStore }) {
  const id = `param-${slug(props.name)}`;
  const region = () => props.store.doc.value as RegionRuleSet;
  const p = () => region().parameters[props.name];
  const [error, setError] = createSignal<string | null>(null);
  const issues = () => props.store.issuesAt(jsonPath(['parameters', props.name]));
  const commit = (value: Parameter['value']) => {
    setError(null);
    props.store.update((d) => {
      const r = d as RegionRuleSet;
      r.parameters[props.name] = { ...r.parameters[props.name]!, value } as Parameter;
      return r;
    });
  };
  const setValue = (raw: string) => {
    const current = p();
    if (!current) return;
    if (Array.isArray(current.value))
      return commit(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    // an emptied number field is a mistake to point at, never 0
    const n = parseNumber(raw);
    const whole = current.type !== 'percentage' && n !== null && !Number.isInteger(n);
    if (n === null || whole) return setError(t(whole ? 'field.integer' : 'field.number'));
    commit(n);
  };
  return (
    <Show when={p()}>
      {(x) => (
        <tr>
          <th scope="row">
            <label for={id}>{x().label}</label>
            <div class="muted">
              <code>{props.name}</code>
            </div>
          </th>
          <td>
            <Show
              when={x().type === 'cents'}
              fallback={
                <>
                  <input
                    id={id}
                    data-testid={id}
                    value={Array.isArray(x().value) ? (x().value as string[]).join(', ') : String(x().value)}
                    inputMode={Array.isArray(x().value) ? 'text' : 'numeric'}
                    aria-invalid={error() || issues().length > 0 ? 'true' : undefined}
                    aria-describedby={error() || issues().length > 0 ? `${id}-error` : undefined}
                    onChange={(e) => setValue(e.currentTarget.value)}
                  />
                  <span class="muted"> {'unit' in x() ? (x() as { unit: string }).unit : ''}</span>
                  <Show when={error()} fallback={<FieldIssues id={`${id}-error`} issues={issues()} />}>
                    <div class="field-error" id={`${id}-error`} role="alert">
                      {error()}
                    </div>
                  </Show>
                </>
              }
            >
              <EuroInput id={id} testId={id} cents={x().value as number} onChange={commit} issues={issues()} />
            </Show>
          </td>
          <td class="explain">{x().explanation}</td>
          <td>{sourceText(x().source)}</td>
          <td>
            {x().municipalOverride.allowed ? t('common.yes') : t('common.no')}
            <Show when={x().municipalOverride.allowed}>
              <div class="muted">{boundsInWords(x())}</div>
            </Show>
          </td>
        </tr>
      )}
    </Show>
  );
}

/** A new rule with every field a rule needs, and an id no other rule of this rule set has. */
export function newRule(region: RegionRuleSet): Rule {
  const ids = new Set(region.rules.map((r) => r.id));
  let n = 1;
  while (ids.has(`${region.id}.nieuw.regel-${n}`)) n++;
  return {
    id: `${region.id}.nieuw.regel-${n}`,
    kind: 'eligibility',
    code: 'NIEUWE_REGEL',
    effect: 'review',
    message: '',
    source: { document: '', section: '' },
    conditions: { all: [newLeaf()] },
  };
}

export function RuleSetForm(props: { store: RuleSetStore }) {
  const doc = () => props.store.doc.value;
  const region = () => (doc()?.kind === 'region' ? (doc() as RegionRuleSet) : null);
  const parameterLabel = (name: string) => parameterOptionLabel(name, region()?.parameters[name]);
  const parameterNames = () => Object.keys(region()?.parameters ?? {});
  const addRule = () => {
    const r = region();
    if (!r) return;
    const index = r.rules.length;
    props.store.update((d) => {
      const next = d as RegionRuleSet;
      next.rules.push(newRule(next));
      return next;
    });
    // the new card is rendered by now: bring it into view with its first field ready to type
    queueMicrotask(() => {
      document.getElementById(ruleCardId(index))?.scrollIntoView({ block: 'start' });
      (document.getElementById(`rule-${index}-id`) as HTMLInputElement | null)?.focus();
    });
  };
  return (
    <div class="form-view">
      <Show when={region()} fallback={<p class="muted">{t('municipality.none')}</p>}>
        {(r) => (
          <>
            <nav class="form-sections" aria-label={t('editor.sections')}>
              <a href="#" onClick={(e) => jump(e, 'form-parameters')}>
                {t('editor.parameters')}
              </a>
              <a href="#" onClick={(e) => jump(e, 'form-tables')}>
                {t('editor.tables')}
              </a>
              <a href="#" onClick={(e) => jump(e, 'form-tariffs')}>
                {t('editor.tariffs')}
              </a>
              <a href="#" onClick={(e) => jump(e, 'form-rules')}>
                {t('editor.rules')} ({r().rules.length})
              </a>
            </nav>
            <h3 id="form-parameters">{t('editor.parameters')}</h3>
            {/* a published version is read-only: a disabled fieldset disables every field in it */}
            <fieldset class="plain" disabled={props.store.readOnly()}>
              <div class="scroll-x">
                <table class="grid">
                  <thead>
                    <tr>
                      <th>{t('municipality.parameter')}</th>
                      <th>{t('param.value')}</th>
                      <th />
                      <th>{t('param.source')}</th>
                      <th>{t('param.overridable')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={parameterNames()}>{(name) => <ParameterRow name={name} store={props.store} />}</For>
                  </tbody>
                </table>
              </div>
            </fieldset>
            <h3 id="form-tables">{t('editor.tables')}</h3>
            <DecisionTables store={props.store} parameterLabel={parameterLabel} />
            <h3 id="form-tariffs">{t('editor.tariffs')}</h3>
            <fieldset class="plain" disabled={props.store.readOnly()}>
              <TariffGrid store={props.store} />
            </fieldset>
            <div class="rules-heading">
              <h3 id="form-rules">{t('editor.rules')}</h3>
              <Show when={!props.store.readOnly()}>
                <button type="button" class="primary" onClick={addRule} data-testid="add-rule">
                  {t('rule.add')}
                </button>
              </Show>
            </div>
            <ReasonCodeList />
            {/* by position: a card stays (and keeps the focus) while its rule's id is edited */}
            <fieldset class="plain" disabled={props.store.readOnly()}>
              <Index each={r().rules}>
                {(rule, i) => (
                  <RuleEditor
                    rule={rule()}
                    index={i}
                    parameters={parameterNames()}
                    parameterLabel={parameterLabel}
                    store={props.store}
                  />
                )}
              </Index>
            </fieldset>
          </>
        )}
      </Show>
    </div>
  );
}

/** In-page links without touching the hash, which the router owns. */
function jump(e: MouseEvent, id: string) {
  e.preventDefault();
  document.getElementById(id)?.scrollIntoView({ block: 'start' });
}

function TariffGrid(props: { store: RuleSetStore }) {
  const region = () => props.store.doc.value as RegionRuleSet;
  const setPrice = (index: number, cents: number) =>
    props.store.update((d) => {
      const r = d as RegionRuleSet;
      if (r.tariffs.model === 'output')
        r.tariffs.middleSegment[index] = { ...r.tariffs.middleSegment[index]!, priceCents: cents };
      else r.tariffs.products[index] = { ...r.tariffs.products[index]!, priceCents: cents };
      return r;
    });
  return (
    <div class="scroll-x">
      <table class="grid tariffs">
        <Show
          when={region().tariffs.model === 'output'}
          fallback={
            <>
              <thead>
                <tr>
                  <th>{t('tariff.product')}</th>
                  <th>{t('tariff.level')}</th>
                  <th>{t('tariff.unit')}</th>
                  <th>{t('tariff.priceEuro')}</th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={
                    region().tariffs.model === 'effort'
                      ? (region().tariffs as Extract<RegionRuleSet['tariffs'], { model: 'effort' }>).products
                      : []
                  }
                >
                  {(row, i) => (
                    <tr>
                      <td>{row.product}</td>
                      <td>{row.level ?? '—'}</td>
                      <td>{row.unit}</td>
                      <td>
                        <PriceInput
                          id={`tariff-product-${i()}`}
                          label={`${t('tariff.priceEuro')} ${row.product} ${row.level ?? ''}`}
                          cents={row.priceCents}
                          path={jsonPath(['tariffs', 'products', i(), 'priceCents'])}
                          store={props.store}
                          onChange={(cents) => setPrice(i(), cents)}
                        />
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </>
          }
        >
          <thead>
            <tr>
              <th>{t('tariff.profile')}</th>
              <th>perspectief</th>
              <th>intensief</th>
              <th>duurzaam</th>
              <th>crisis</th>
            </tr>
          </thead>
          <tbody>
            <For each={[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}>
              {(profile) => (
                <tr>
                  <th scope="row">{profile}</th>
                  <For each={['perspectief', 'intensief', 'duurzaam', 'crisis'] as const}>
                    {(intensity) => {
                      const rows = () =>
                        (region().tariffs as Extract<RegionRuleSet['tariffs'], { model: 'output' }>).middleSegment;
                      const index = () => rows().findIndex((x) => x.profile === profile && x.intensity === intensity);
                      return (
                        <td>
                          <Show when={index() >= 0} fallback={<span class="muted">—</span>}>
                            <PriceInput
                              id={`tariff-${profile}-${intensity}`}
                              label={`${t('tariff.priceEuro')} ${profile} ${intensity}`}
                              cents={rows()[index()]!.priceCents}
                              path={jsonPath(['tariffs', 'middleSegment', index(), 'priceCents'])}
                              store={props.store}
                              onChange={(cents) => setPrice(index(), cents)}
                            />
                          </Show>
                        </td>
                      );
                    }}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </Show>
      </table>
    </div>
  );
}

/** A price in euros, beside the server's problems with it. */
function PriceInput(props: {
  id: string;
  label: string;
  cents: number;
  path: string;
  store: RuleSetStore;
  onChange: (cents: number) => void;
}) {
  return (
    <EuroInput
      id={props.id}
      label={props.label}
      cents={props.cents}
      issues={props.store.issuesAt(props.path)}
      onChange={(cents) => props.onChange(cents)}
    />
  );
}
