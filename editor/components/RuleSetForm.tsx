/**
 * The low-code view of a rule set: parameters as a form, tariffs as a grid and each rule as a
 * card with its condition tree. Every edit goes through `store.update`, so the JSON view follows.
 */
import { For, Show } from 'solid-js';
import type { Condition, Parameter, RegionRuleSet, Rule, TopLevelCondition } from '../../engine/browser.js';
import { asTopLevel } from '../lib/conditions.js';
import { t } from '../lib/i18n.js';
import type { RuleSetStore } from '../lib/ruleset-store.js';
import { ConditionTree } from './ConditionTree.js';

const slug = (s: string) => s.replace(/[^a-zA-Z0-9]+/g, '-');

function sourceText(source: Parameter['source']) {
  return source === 'illustratief' ? t('param.illustrative') : `${source.document}, ${source.section}`;
}

function ParameterRow(props: { name: string; p: Parameter; store: RuleSetStore }) {
  const id = `param-${slug(props.name)}`;
  const setValue = (raw: string) =>
    props.store.update((d) => {
      const region = d as RegionRuleSet;
      const p = region.parameters[props.name]!;
      const value = Array.isArray(p.value)
        ? raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : Number(raw);
      region.parameters[props.name] = { ...p, value } as Parameter;
      return region;
    });
  return (
    <tr>
      <th scope="row">
        <label for={id}>{props.p.label}</label>
        <div class="muted">
          <code>{props.name}</code>
        </div>
      </th>
      <td>
        <input
          id={id}
          data-testid={id}
          value={Array.isArray(props.p.value) ? props.p.value.join(', ') : String(props.p.value)}
          inputMode={Array.isArray(props.p.value) ? 'text' : 'numeric'}
          onChange={(e) => setValue(e.currentTarget.value)}
        />
        <span class="muted"> {'unit' in props.p ? props.p.unit : ''}</span>
      </td>
      <td class="explain">{props.p.explanation}</td>
      <td>{sourceText(props.p.source)}</td>
      <td>
        {props.p.municipalOverride.allowed ? t('common.yes') : t('common.no')}
        <Show when={props.p.municipalOverride.min !== undefined || props.p.municipalOverride.max !== undefined}>
          <div class="muted">
            {props.p.municipalOverride.min ?? '…'} – {props.p.municipalOverride.max ?? '…'}
          </div>
        </Show>
      </td>
    </tr>
  );
}

function RuleCard(props: { rule: Rule; index: number; parameters: string[]; store: RuleSetStore }) {
  const setConditions = (c: Condition) =>
    props.store.update((d) => {
      const region = d as RegionRuleSet;
      region.rules[props.index] = { ...region.rules[props.index]!, conditions: asTopLevel(c) as TopLevelCondition };
      return region;
    });
  const setMessage = (message: string) =>
    props.store.update((d) => {
      const region = d as RegionRuleSet;
      region.rules[props.index] = { ...region.rules[props.index]!, message };
      return region;
    });
  const id = `rule-${slug(props.rule.id)}`;
  return (
    <article class="card" data-testid={id}>
      <header>
        <h4>{props.rule.id}</h4>
        <span class="chip">
          {t('rule.code')}: {props.rule.code}
        </span>
        <span class={`chip effect-${props.rule.effect}`}>
          {t('rule.effect')}: {props.rule.effect}
        </span>
        <span class="chip">
          {t('rule.kind')}: {props.rule.kind}
        </span>
      </header>
      <label for={`${id}-message`}>{t('rule.message')}</label>
      <textarea
        id={`${id}-message`}
        rows="2"
        value={props.rule.message}
        onChange={(e) => setMessage(e.currentTarget.value)}
      />
      <p class="muted">
        {t('rule.source')}: {props.rule.source.document}, {props.rule.source.section}
      </p>
      <h5>{t('rule.conditions')}</h5>
      <ConditionTree
        condition={props.rule.conditions}
        parameters={props.parameters}
        onChange={setConditions}
        idPrefix={id}
      />
    </article>
  );
}

export function RuleSetForm(props: { store: RuleSetStore }) {
  const doc = () => props.store.doc.value;
  const region = () => (doc()?.kind === 'region' ? (doc() as RegionRuleSet) : null);
  return (
    <div class="form-view">
      <Show when={region()} fallback={<p class="muted">{t('municipality.none')}</p>}>
        {(r) => (
          <>
            <h3>{t('editor.parameters')}</h3>
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
                <For each={Object.entries(r().parameters)}>
                  {([name, p]) => <ParameterRow name={name} p={p} store={props.store} />}
                </For>
              </tbody>
            </table>
            <h3>{t('editor.tariffs')}</h3>
            <TariffGrid store={props.store} />
            <h3>{t('editor.rules')}</h3>
            <For each={r().rules}>
              {(rule, i) => (
                <RuleCard rule={rule} index={i()} parameters={Object.keys(r().parameters)} store={props.store} />
              )}
            </For>
          </>
        )}
      </Show>
    </div>
  );
}

function TariffGrid(props: { store: RuleSetStore }) {
  const region = () => props.store.doc.value as RegionRuleSet;
  const setPrice = (index: number, euros: string) =>
    props.store.update((d) => {
      const r = d as RegionRuleSet;
      const cents = Math.round(Number(euros.replace(',', '.')) * 100);
      if (r.tariffs.model === 'output')
        r.tariffs.middleSegment[index] = { ...r.tariffs.middleSegment[index]!, priceCents: cents };
      else r.tariffs.products[index] = { ...r.tariffs.products[index]!, priceCents: cents };
      return r;
    });
  return (
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
                      <input
                        aria-label={`${t('tariff.priceEuro')} ${row.product} ${row.level ?? ''}`}
                        value={(row.priceCents / 100).toFixed(2)}
                        onChange={(e) => setPrice(i(), e.currentTarget.value)}
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
                          <input
                            aria-label={`${t('tariff.priceEuro')} ${profile} ${intensity}`}
                            value={(rows()[index()]!.priceCents / 100).toFixed(2)}
                            onChange={(e) => setPrice(index(), e.currentTarget.value)}
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
  );
}
