/**
 * Impact analysis of a draft before it is published: how many logged decisions it would change,
 * outcomes and tariffs before and after as a chart, and the changed decisions with their audit links.
 */
import { createEffect, createSignal, For, Show } from 'solid-js';
import { api } from '../../lib/api.js';
import { formatCents, t } from '../../lib/i18n.js';
import { createImpactJob, type ImpactJob } from '../../lib/impact-job.js';
import { ProblemMessage } from '../Problem.js';

export function ImpactChart(props: { job: ImpactJob }) {
  const outcomes = ['granted', 'review', 'rejected'] as const;
  const max = () =>
    Math.max(1, ...outcomes.flatMap((o) => [props.job.outcomes.before[o] ?? 0, props.job.outcomes.after[o] ?? 0]));
  return (
    <figure class="chart" data-testid="impact-chart">
      <svg viewBox="0 0 360 150" role="img" aria-label={t('publish.impact')}>
        <For each={outcomes}>
          {(o, i) => {
            const x = 20 + i() * 115;
            const h = (n: number) => (n / max()) * 100;
            return (
              <g>
                <rect
                  x={x}
                  y={110 - h(props.job.outcomes.before[o] ?? 0)}
                  width="40"
                  height={h(props.job.outcomes.before[o] ?? 0)}
                  class="bar-before"
                />
                <rect
                  x={x + 45}
                  y={110 - h(props.job.outcomes.after[o] ?? 0)}
                  width="40"
                  height={h(props.job.outcomes.after[o] ?? 0)}
                  class="bar-after"
                />
                <text x={x + 42} y="128" text-anchor="middle">
                  {t(`decision.${o}`)}
                </text>
                <text x={x + 20} y={105 - h(props.job.outcomes.before[o] ?? 0)} text-anchor="middle">
                  {props.job.outcomes.before[o] ?? 0}
                </text>
                <text x={x + 65} y={105 - h(props.job.outcomes.after[o] ?? 0)} text-anchor="middle">
                  {props.job.outcomes.after[o] ?? 0}
                </text>
              </g>
            );
          }}
        </For>
      </svg>
      <figcaption>
        <span class="legend bar-before" /> {t('impact.before')} <span class="legend bar-after" /> {t('impact.after')} ·{' '}
        {t('impact.tariff')}: {formatCents(props.job.tariffCents.before)} → {formatCents(props.job.tariffCents.after)}
      </figcaption>
    </figure>
  );
}

export function ImpactPanel(props: { ruleSetId: string; draftId: string; onDone?: (jobId: string) => void }) {
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const impact = createImpactJob(api);
  // the finished analysis the approver saw: its summary is kept with the approval
  createEffect(() => {
    const job = impact.job();
    if (job?.status === 'done') props.onDone?.(job.id);
  });
  const start = () => impact.start({ ruleSet: props.ruleSetId, draftId: props.draftId }, { from: from(), to: to() });
  return (
    <section class="impact">
      <h3>{t('publish.impact')}</h3>
      <label for="impact-from">{t('publish.impactFrom')}</label>{' '}
      <input id="impact-from" type="date" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} />{' '}
      <label for="impact-to">{t('publish.impactTo')}</label>{' '}
      <input id="impact-to" type="date" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />{' '}
      <button type="button" onClick={() => void start()} data-testid="run-impact">
        {t('publish.runImpact')}
      </button>
      <Show when={impact.job()}>
        {(j) => (
          <>
            <progress
              max="1"
              value={j().progress}
              aria-label={t('impact.progress', { done: j().processed, total: j().total })}
            />{' '}
            <span>{t('impact.progress', { done: j().processed, total: j().total })}</span>
            <Show when={impact.running()}>
              <button type="button" onClick={() => void impact.cancel()}>
                {t('impact.cancel')}
              </button>
            </Show>
            <ImpactChart job={j()} />
            <p data-testid="impact-changed">{t('impact.changed', { n: j().changedCount })}</p>
            <Show when={j().skipped > 0}>
              <p class="muted">{t('impact.skipped', { n: j().skipped, reason: j().skippedReason ?? '' })}</p>
            </Show>
            <ul>
              <For each={j().changed}>
                {(c) => (
                  <li>
                    <a href={`#/audit/${c.decisionId}`}>
                      {c.municipality} {c.referenceDate}
                    </a>
                    : {t(`decision.${c.before.outcome as 'granted'}`)} → {t(`decision.${c.after.outcome as 'granted'}`)}
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
      <Show when={impact.error()}>
        <ProblemMessage error={impact.error()} />
      </Show>
    </section>
  );
}
