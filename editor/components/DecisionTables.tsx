/**
 * The rule families that are tables, shown and edited as tables: the numeric limits (ages,
 * maxima, percentiles) with their labels and units, which intensities each profile allows (the
 * catalogue the "intensiteit beschikbaar" rule reads), and the rules of one kind as a decision
 * table — one row per rule, one column per fact it tests — as users of GoRules, Camunda and ODM
 * know it. Every edit goes through `store.update`, so the JSON view and the form follow.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import {
  INTENSITIES,
  jsonPath,
  PARAMETER_UNITS,
  RULE_KINDS,
  type Intensity,
  type OutputRegionRuleSet,
  type Parameter,
  type RegionRuleSet,
  type Rule,
} from '../../engine/browser.js';
import { boundsInWords } from '../lib/bounds.js';
import { decisionColumns, decisionRow, factLabel, type DecisionCell } from '../lib/conditions.js';
import { t } from '../lib/i18n.js';
import type { RuleSetStore } from '../lib/ruleset-store.js';
import { parseNumber } from './ConditionTree.js';
import { EuroInput } from './EuroInput.js';
import { FieldIssues } from './Problem.js';
import { effectLabel, kindLabel, ruleCardId, slug } from './RuleEditor.js';

type NumericParameter = Extract<Parameter, { type: 'integer' | 'cents' | 'percentage' }>;
const isNumeric = (p: Parameter): p is NumericParameter =>
  p.type === 'integer' || p.type === 'cents' || p.type === 'percentage';

export function DecisionTables(props: { store: RuleSetStore; parameterLabel: (name: string) => string }) {
  const region = () => props.store.doc.value as RegionRuleSet;
  return (
    <div class="decision-tables">
      <fieldset class="plain" disabled={props.store.readOnly()}>
        <LimitsTable store={props.store} />
        <Show when={region().fundingModel === 'output'}>
          <EligibilityMatrix store={props.store} />
        </Show>
      </fieldset>
      <RulesByKind store={props.store} parameterLabel={props.parameterLabel} />
    </div>
  );
}

/** Numeric parameters: age limits, maxima, percentiles, amounts — editable in place. */
function LimitsTable(props: { store: RuleSetStore }) {
  const region = () => props.store.doc.value as RegionRuleSet;
  const names = createMemo(() =>
    Object.keys(region().parameters).filter((name) => isNumeric(region().parameters[name]!)),
  );
  const setParameter = (name: string, fn: (p: NumericParameter) => NumericParameter) =>
    props.store.update((d) => {
      const r = d as RegionRuleSet;
      r.parameters[name] = fn(r.parameters[name] as NumericParameter);
      return r;
    });
  return (
    <section aria-labelledby="limits-heading">
      <h4 id="limits-heading">{t('tables.limits')}</h4>
      <p class="muted">{t('tables.limitsHelp')}</p>
      <div class="scroll-x">
        <table class="grid limits" data-testid="limits-table">
          <thead>
            <tr>
              <th>{t('tables.topic')}</th>
              <th>{t('tables.label')}</th>
              <th>{t('param.value')}</th>
              <th>{t('param.unit')}</th>
              <th>{t('param.overridable')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={names()}>
              {(name) => {
                const p = () => region().parameters[name] as NumericParameter | undefined;
                const [error, setError] = createSignal<string | null>(null);
                const id = `limit-${slug(name)}`;
                const shown = () => String(p()?.value ?? '');
                const issues = () => props.store.issuesAt(jsonPath(['parameters', name]));
                return (
                  <Show when={p()}>
                    {(x) => (
                      <tr data-testid={id}>
                        <td>
                          <code>{name.split('.')[0]}</code>
                        </td>
                        <td>
                          <label for={`${id}-label`} class="sr-only">
                            {t('tables.label')} {name}
                          </label>
                          <input
                            id={`${id}-label`}
                            class="wide"
                            value={x().label}
                            onChange={(e) => {
                              const label = e.currentTarget.value.trim();
                              if (label) setParameter(name, (q) => ({ ...q, label }));
                            }}
                          />
                          <div class="muted">
                            <code>{name}</code>
                          </div>
                        </td>
                        <td>
                          <label for={`${id}-value`} class="sr-only">
                            {t('param.value')}: {x().label}
                          </label>
                          <Show
                            when={x().type === 'cents'}
                            fallback={
                              <>
                                <input
                                  id={`${id}-value`}
                                  data-testid={`${id}-value`}
                                  class="num"
                                  inputMode="decimal"
                                  value={shown()}
                                  aria-invalid={error() || issues().length > 0 ? 'true' : undefined}
                                  aria-describedby={error() || issues().length > 0 ? `${id}-error` : undefined}
                                  onChange={(e) => {
                                    const n = parseNumber(e.currentTarget.value);
                                    const whole = x().type === 'integer' && n !== null && !Number.isInteger(n);
                                    if (n === null || whole)
                                      return setError(t(whole ? 'field.integer' : 'field.number'));
                                    setError(null);
                                    setParameter(name, (q) => ({ ...q, value: n }) as NumericParameter);
                                  }}
                                />
                                <Show when={error()} fallback={<FieldIssues id={`${id}-error`} issues={issues()} />}>
                                  <div class="field-error" id={`${id}-error`} role="alert">
                                    {error()}
                                  </div>
                                </Show>
                              </>
                            }
                          >
                            <EuroInput
                              id={`${id}-value`}
                              testId={`${id}-value`}
                              cents={x().value}
                              issues={issues()}
                              onChange={(value) => setParameter(name, (q) => ({ ...q, value }) as NumericParameter)}
                            />
                          </Show>
                        </td>
                        <td>
                          <Show when={x().type === 'integer'} fallback={x().type === 'cents' ? 'euro' : x().unit}>
                            <label for={`${id}-unit`} class="sr-only">
                              {t('param.unit')}: {x().label}
                            </label>
                            <select
                              id={`${id}-unit`}
                              value={x().unit}
                              onChange={(e) =>
                                setParameter(name, (q) => ({ ...q, unit: e.currentTarget.value }) as NumericParameter)
                              }
                            >
                              <For each={[...PARAMETER_UNITS]}>{(u) => <option value={u}>{u}</option>}</For>
                            </select>
                          </Show>
                        </td>
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
              }}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Which intensities each profile allows: the catalogue as a profile × intensity grid of checkboxes. */
function EligibilityMatrix(props: { store: RuleSetStore }) {
  const region = () => props.store.doc.value as OutputRegionRuleSet;
  const toggle = (index: number, intensity: Intensity, on: boolean) =>
    props.store.update((d) => {
      const r = d as OutputRegionRuleSet;
      const profile = r.catalogue.profiles[index]!;
      const next = INTENSITIES.filter((i) => (i === intensity ? on : profile.intensities.includes(i)));
      if (next.length === 0) return r; // a profile allows at least one intensity
      r.catalogue.profiles[index] = { ...profile, intensities: next };
      return r;
    });
  return (
    <section aria-labelledby="eligibility-heading">
      <h4 id="eligibility-heading">{t('tables.eligibility')}</h4>
      <p class="muted">{t('tables.eligibilityHelp')}</p>
      <div class="scroll-x">
        <table class="grid matrix" data-testid="eligibility-matrix">
          <thead>
            <tr>
              <th>{t('tariff.profile')}</th>
              <For each={[...INTENSITIES]}>{(i) => <th>{i}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={region().catalogue.profiles}>
              {(profile, index) => (
                <tr>
                  <th scope="row" class="profile-title" title={profile.title}>
                    {profile.number}. {profile.title}
                  </th>
                  <For each={[...INTENSITIES]}>
                    {(intensity) => {
                      const on = () => profile.intensities.includes(intensity);
                      const last = () => on() && profile.intensities.length === 1;
                      return (
                        <td class="center">
                          <input
                            type="checkbox"
                            checked={on()}
                            disabled={last()}
                            title={last() ? t('tables.lastIntensity') : undefined}
                            aria-label={t('tables.allows', { profile: profile.number, intensity })}
                            data-testid={`allow-${profile.number}-${intensity}`}
                            onChange={(e) => toggle(index(), intensity, e.currentTarget.checked)}
                          />
                        </td>
                      );
                    }}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Cell(props: { cells: DecisionCell[] | undefined }) {
  return (
    <Show when={props.cells} fallback={<span class="muted">–</span>}>
      {(cells) => (
        <For each={cells()}>
          {(c) => (
            <div class={`dt-cell dt-${c.context}`}>
              <Show when={c.context !== 'all'}>
                <span class="dt-context">{c.context === 'any' ? t('tables.or') : t('tables.not')} </span>
              </Show>
              {c.text}
            </div>
          )}
        </For>
      )}
    </Show>
  );
}

/** The rules of one kind as a decision table: a row per rule, a column per fact any of them tests. */
function RulesByKind(props: { store: RuleSetStore; parameterLabel: (name: string) => string }) {
  const region = () => props.store.doc.value as RegionRuleSet;
  const kinds = createMemo(() => RULE_KINDS.filter((k) => region().rules.some((r) => r.kind === k)));
  const [kind, setKind] = createSignal<Rule['kind']>('eligibility');
  const current = () => (kinds().includes(kind()) ? kind() : (kinds()[0] ?? 'eligibility'));
  const rows = createMemo(() =>
    region()
      .rules.map((rule, index) => ({ rule, index }))
      .filter((x) => x.rule.kind === current()),
  );
  const columns = createMemo(() => decisionColumns(rows().map((x) => x.rule.conditions)));
  const cells = createMemo(() => rows().map((x) => decisionRow(x.rule.conditions, props.parameterLabel)));
  return (
    <section aria-labelledby="rules-table-heading">
      <h4 id="rules-table-heading">{t('tables.rules')}</h4>
      <p class="muted">{t('tables.rulesHelp')}</p>
      <label for="rules-table-kind">{t('tables.kind')}</label>{' '}
      <select id="rules-table-kind" value={current()} onChange={(e) => setKind(e.currentTarget.value as Rule['kind'])}>
        <For each={kinds()}>
          {(k) => (
            <option value={k}>
              {kindLabel(k)} ({region().rules.filter((r) => r.kind === k).length})
            </option>
          )}
        </For>
      </select>
      <div class="scroll-x">
        <table class="grid decision-table" data-testid="rules-table">
          <thead>
            <tr>
              <th>{t('tables.rule')}</th>
              <For each={columns()}>{(f) => <th>{factLabel(f)}</th>}</For>
              <th>{t('rule.effect')}</th>
              <th>{t('rule.code')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(x, i) => (
                <tr data-testid={`rules-table-${slug(x.rule.id)}`}>
                  <th scope="row">
                    <button
                      type="button"
                      class="link"
                      onClick={() => document.getElementById(ruleCardId(x.index))?.scrollIntoView({ block: 'start' })}
                    >
                      {x.rule.id}
                    </button>
                  </th>
                  <For each={columns()}>
                    {(f) => (
                      <td>
                        <Cell cells={cells()[i()]?.get(f)} />
                      </td>
                    )}
                  </For>
                  <td class={`effect-${x.rule.effect}`}>{effectLabel(x.rule.effect)}</td>
                  <td>
                    <code>{x.rule.code}</code>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
