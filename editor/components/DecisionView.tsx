/** A decision in words: outcome, reasons with their source, tariff, versions and the trace. */
import { For, Show } from 'solid-js';
import type { ConditionTrace, Decision, DecisionInLog } from '../../engine/browser.js';
import { formatCents, t } from '../lib/i18n.js';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function TraceNode(props: { node: ConditionTrace }) {
  const n = props.node;
  if ('fact' in n) {
    return (
      <li class={n.result ? 'pass' : 'fail'}>
        <span aria-hidden="true">{n.result ? '✔' : '✘'}</span> <code>{n.fact}</code> {n.operator}{' '}
        <code>{show(n.comparedWith)}</code>{' '}
        <span class="muted">({t('decision.saw', { value: show(n.factValue) })})</span>
      </li>
    );
  }
  const kind = 'all' in n ? 'all' : 'any' in n ? 'any' : 'not';
  const kids = 'all' in n ? n.all : 'any' in n ? n.any : [n.not];
  return (
    <li class={n.result ? 'pass' : 'fail'}>
      <span aria-hidden="true">{n.result ? '✔' : '✘'}</span> {t(`cond.${kind}`)}
      <ul>
        <For each={kids}>{(k) => <TraceNode node={k} />}</For>
      </ul>
    </li>
  );
}

/** A decision, or a log entry (which may predate the engine version it records), with its log id. */
export function DecisionView(props: { decision: DecisionInLog & { id?: string | null } }) {
  const d = () => props.decision;
  return (
    <section class="decision" data-testid="decision" aria-live="polite">
      <p class={`outcome outcome-${d().outcome}`} data-testid="outcome">
        {t('decision.outcome')}: <strong>{t(`decision.${d().outcome}`)}</strong>
      </p>
      <Show when={d().id}>
        <p class="muted" data-testid="decision-id">
          {t('decision.id', { id: d().id! })}
        </p>
      </Show>
      <h3>{t('decision.reasons')}</h3>
      <Show when={d().reasons.length > 0} fallback={<p>{t('decision.noReasons')}</p>}>
        <ul data-testid="reasons">
          <For each={d().reasons}>
            {(r) => (
              <li>
                <code>{r.code}</code> — {r.message}{' '}
                <span class="muted">
                  ({r.source.document}, {r.source.section})
                </span>
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
              {tar().model === 'output'
                ? (() => {
                    const o = tar() as Extract<Decision['tariff'], { model: 'output' }>;
                    return `${t('decision.total')} ${formatCents(o.totalCents)} · ${t('decision.advance')} ${formatCents(o.advanceCents)} · ${t('decision.remainder')} ${formatCents(o.remainderCents)}`;
                  })()
                : (() => {
                    const e = tar() as Extract<Decision['tariff'], { model: 'effort' }>;
                    return `${e.units} ${e.unit} × ${formatCents(e.unitPriceCents)} = ${formatCents(e.totalCents)}`;
                  })()}
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
      <details>
        <summary>{t('decision.trace')}</summary>
        <ul class="trace" data-testid="trace">
          <For each={d().trace}>
            {(rt) => (
              <li class={rt.fired ? 'fired' : ''}>
                <strong>{rt.ruleId}</strong> <code>{rt.code}</code> —{' '}
                {rt.enabled ? (rt.fired ? t('decision.fired') : t('decision.notFired')) : t('decision.disabled')}
                <Show when={rt.conditions}>
                  {(c) => (
                    <ul>
                      <TraceNode node={c()} />
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
