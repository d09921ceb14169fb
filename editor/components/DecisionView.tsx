/**
 * A decision in words: outcome, reasons with their source, tariff, versions, the values it rests
 * on that no source gives ("voorlopige waarde"), and the trace: per rule whether it applied, and
 * each condition as a Dutch sentence with the value seen and whether it was met.
 */
import { For, Show } from 'solid-js';
import {
  CATALOGUE_FACTS,
  type ConditionTrace,
  type DecisionInLog,
  describeCondition,
  formatEuros,
  type LeafTrace,
  type RuleTrace,
} from '../../engine/browser.js';
import { api } from '../lib/api.js';
import { formatCents, locale, t } from '../lib/i18n.js';
import { createParameterLabels } from '../lib/parameter-labels.js';
import { type IllustrativeIndex, IllustrativeMark, IllustrativeNotice, indexIllustrative } from './IllustrativeMark.js';

/** Money as Dutch writes it (`€ 4.860`), or in the English interface as English does. */
export const money = (cents: number) => (locale() === 'nl' ? formatEuros(cents) : formatCents(cents));

const parameterOf = (leaf: LeafTrace): string | undefined => {
  const v = leaf.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('fact' in v)) return undefined;
  const fact = String((v as { fact: unknown }).fact);
  return fact.startsWith('param:') ? fact.slice('param:'.length) : undefined;
};

const leaves = (node: ConditionTrace | null): LeafTrace[] =>
  node === null
    ? []
    : 'fact' in node
      ? [node]
      : 'all' in node
        ? node.all.flatMap(leaves)
        : 'any' in node
          ? node.any.flatMap(leaves)
          : leaves(node.not);

/** Whether a leaf compares with an illustrative value: a parameter, or a catalogue entry's fact. */
const leafIllustrative = (leaf: LeafTrace, ill: IllustrativeIndex) => {
  const p = parameterOf(leaf);
  return (p !== undefined && ill.parameters.has(p)) || (ill.catalogue && CATALOGUE_FACTS.has(leaf.fact));
};

/** Whether a rule (and so a reason it gave) rests on an illustrative value. */
const ruleIllustrative = (rule: RuleTrace | undefined, ruleId: string, ill: IllustrativeIndex) =>
  ill.rules.has(ruleId) || (rule !== undefined && leaves(rule.conditions).some((l) => leafIllustrative(l, ill)));

function TraceNode(props: {
  node: ConditionTrace;
  label: (name: string) => string | undefined;
  ill: IllustrativeIndex;
}) {
  const n = props.node;
  if ('fact' in n) {
    return (
      <li class={n.result ? 'pass' : 'fail'} data-testid="condition">
        <span aria-hidden="true">{n.result ? '✔' : '✘'}</span> {describeCondition(n, props.label)}
        <Show when={leafIllustrative(n, props.ill)}>
          {' '}
          <IllustrativeMark what={parameterOf(n) ?? n.fact} />
        </Show>
      </li>
    );
  }
  const kind = 'all' in n ? 'all' : 'any' in n ? 'any' : 'not';
  const kids = 'all' in n ? n.all : 'any' in n ? n.any : [n.not];
  return (
    <li class={n.result ? 'pass' : 'fail'}>
      <span aria-hidden="true">{n.result ? '✔' : '✘'}</span> {t(`decision.group.${kind}`)}
      <ul>
        <For each={kids}>{(k) => <TraceNode node={k} label={props.label} ill={props.ill} />}</For>
      </ul>
    </li>
  );
}

/** A decision, or a log entry (which may predate the engine version it records), with its log id. */
export function DecisionView(props: { decision: DecisionInLog & { id?: string | null }; openTrace?: boolean }) {
  const d = () => props.decision;
  const ill = () => indexIllustrative(d().illustrative);
  const traceOf = (ruleId: string) => d().trace.find((r) => r.ruleId === ruleId);
  const label = createParameterLabels(api, () => d().ruleSets);
  return (
    <section class="decision" data-testid="decision" aria-live="polite">
      <p class={`outcome outcome-${d().outcome}`} data-testid="outcome">
        {t('decision.outcome')}: <strong>{t(`decision.${d().outcome}`)}</strong>
        <Show when={ill().all.length > 0}>
          {' '}
          <IllustrativeMark />
        </Show>
      </p>
      <Show when={d().id}>
        <p class="muted" data-testid="decision-id">
          {t('decision.id', { id: d().id! })}
        </p>
      </Show>
      <IllustrativeNotice refs={ill().all} />
      <h3>{t('decision.reasons')}</h3>
      <Show when={d().reasons.length > 0} fallback={<p>{t('decision.noReasons')}</p>}>
        <ul data-testid="reasons">
          <For each={d().reasons}>
            {(r) => (
              <li>
                {r.message} <code>{r.code}</code>{' '}
                <span class="muted">
                  ({t('decision.source', { source: `${r.source.document}, ${r.source.section}` })})
                </span>
                <Show when={ruleIllustrative(traceOf(r.ruleId), r.ruleId, ill())}>
                  {' '}
                  <IllustrativeMark what={r.ruleId} />
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={d().tariff}>
        {(tar) => (
          <>
            <h3>{t('decision.tariff')}</h3>
            <p data-testid="tariff">
              {(() => {
                const x = tar();
                return x.model === 'output'
                  ? `${t('decision.total')} ${money(x.totalCents)} · ${t('decision.advance')} ${money(x.advanceCents)} (${t('decision.advancePct', { pct: x.advancePercentage })}) · ${t('decision.remainder')} ${money(x.remainderCents)} · ${t('decision.segment', { segment: x.segment })}`
                  : `${x.units} ${x.unit} × ${money(x.unitPriceCents)} = ${money(x.totalCents)}${x.differentiationPercentage ? ` (${t('decision.differentiation', { pct: x.differentiationPercentage })})` : ''}`;
              })()}
              <Show when={ill().tariff}>
                {' '}
                <IllustrativeMark what={t('decision.tariff')} />
              </Show>
            </p>
          </>
        )}
      </Show>
      <h3>{t('decision.ruleSets')}</h3>
      <p>
        <For each={d().ruleSets}>
          {(r) => (
            <span class="chip">
              {r.id} v{r.version}
            </span>
          )}
        </For>
      </p>
      <details open={props.openTrace}>
        <summary>{t('decision.trace')}</summary>
        <ul class="trace" data-testid="trace">
          <For each={d().trace}>
            {(rt) => (
              <li class={rt.fired ? 'fired' : ''}>
                <strong>{rt.ruleId}</strong> <code>{rt.code}</code> —{' '}
                {rt.enabled ? (rt.fired ? t('decision.fired') : t('decision.notFired')) : t('decision.disabled')}
                <Show when={ill().rules.has(rt.ruleId)}>
                  {' '}
                  <IllustrativeMark what={rt.ruleId} />
                </Show>
                <Show when={rt.conditions} fallback={<span class="muted"> ({t('decision.noConditions')})</span>}>
                  {(c) => (
                    <ul>
                      <TraceNode node={c()} label={label} ill={ill()} />
                    </ul>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </details>
    </section>
  );
}
