/**
 * The audit page: search the decision log, open a decision with its case and trace, replay it
 * (recorded versions, versions in force, a chosen version) and see what differs; verify the log.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { type DecisionInLog, MUNICIPALITY_IDS, OUTCOMES } from '../../engine/browser.js';
import { DecisionView } from '../components/DecisionView.js';
import { ProblemMessage } from '../components/Problem.js';
import { api, asDomain, read, type OkOf } from '../lib/api.js';
import { formatCents, t } from '../lib/i18n.js';

type Decisions = typeof api.api.decisions;
type Replay = OkOf<Decisions[':id']['replay']['$post']>;
type Search = Parameters<Decisions['$get']>[0]['query'];
type Against = Parameters<Decisions[':id']['replay']['$post']>[0]['json']['against'];

function DecisionDetail(props: { id: string }) {
  const [logged] = createResource(
    () => props.id,
    (id) => read(api.api.decisions[':id'].$get({ param: { id } })),
  );
  const [replay, setReplay] = createSignal<Replay | null>(null);
  const [chosen, setChosen] = createSignal('');
  const [error, setError] = createSignal<unknown>(null);
  async function run(against: Against) {
    setError(null);
    try {
      setReplay(await read(api.api.decisions[':id'].replay.$post({ param: { id: props.id }, json: { against } })));
    } catch (e) {
      setError(e);
    }
  }
  const describe = (d: Replay['differences'][number]) => {
    if (d.field === 'outcome')
      return `${t('decision.outcome')}: ${t(`decision.${d.before}`)} → ${t(`decision.${d.after}`)}`;
    if (d.field === 'reasons') return `${t('decision.reasons')}: +[${d.added.join(', ')}] −[${d.removed.join(', ')}]`;
    if (d.field === 'tariff') {
      const [before, after] = [d.before, d.after].map((x) => (x ? formatCents(x.totalCents) : '—'));
      return `${t('decision.tariff')}: ${before} → ${after}`;
    }
    if (d.field === 'ruleSets')
      return `${t('decision.ruleSets')}: ${d.after.map((r) => `${r.id} v${r.version}`).join(', ')}`;
    return `${d.field}: ${'changedRules' in d ? d.changedRules.join(', ') : ''}`;
  };
  return (
    <article class="card" data-testid="decision-detail">
      <Show
        when={logged()}
        fallback={
          <Show when={logged.error} fallback={<p>{t('common.loading')}</p>}>
            <ProblemMessage error={logged.error} />
          </Show>
        }
      >
        {(d) => (
          <>
            <DecisionView decision={asDomain<DecisionInLog>(d())} />
            <details>
              <summary>{t('audit.case')}</summary>
              <pre>{JSON.stringify(d().case, null, 2)}</pre>
            </details>
            <h3>{t('audit.replay')}</h3>
            <div class="toolbar">
              <button type="button" onClick={() => void run('recorded')} data-testid="replay-recorded">
                {t('audit.replayRecorded')}
              </button>
              <button type="button" onClick={() => void run('in-force')} data-testid="replay-in-force">
                {t('audit.replayInForce')}
              </button>
              <label for="replay-chosen" class="sr-only">
                {t('audit.replayChosen')}
              </label>
              <select id="replay-chosen" value={chosen()} onChange={(e) => setChosen(e.currentTarget.value)}>
                <option value="">{t('audit.replayChosen')}</option>
                <For each={d().ruleSets}>
                  {(r) => (
                    <For each={Array.from({ length: r.version + 2 }, (_, i) => i + 1)}>
                      {(v) => (
                        <option value={`${r.id}:${v}`}>
                          {r.id} v{v}
                        </option>
                      )}
                    </For>
                  )}
                </For>
              </select>
              <button
                type="button"
                disabled={!chosen()}
                onClick={() => {
                  const [ruleSet = '', version] = chosen().split(':');
                  void run({ ruleSet, version: Number(version) });
                }}
              >
                {t('audit.replay')}
              </button>
            </div>
            <Show when={replay()}>
              {(r) => (
                <div data-testid="replay-result" role="status">
                  <Show
                    when={r().identical}
                    fallback={
                      <>
                        <p>{t('audit.differs')}</p>
                        <ul>
                          <For each={r().differences}>{(x) => <li>{describe(x)}</li>}</For>
                        </ul>
                      </>
                    }
                  >
                    <p class="ok">{t('audit.identical')}</p>
                  </Show>
                </div>
              )}
            </Show>
            <Show when={error()}>
              <ProblemMessage error={error()} />
            </Show>
          </>
        )}
      </Show>
    </article>
  );
}

export function Audit(props: { decisionId?: string | undefined }) {
  const [filter, setFilter] = createSignal({ municipality: '', from: '', to: '', outcome: '', reasonCode: '' });
  // the same filters again are the same search: no new request
  const [query, setQuery] = createSignal<Search | undefined>(undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const [results] = createResource(query, (q) => read(api.api.decisions.$get({ query: q })));
  const [verify, setVerify] = createSignal<OkOf<typeof api.api.audit.verify.$get> | null>(null);
  const search = () => {
    // the selects offer the schema's values; the server checks what was typed (the reason code)
    const chosen = Object.fromEntries(Object.entries(filter()).filter(([, v]) => v !== '')) as Search;
    setQuery({ ...chosen, limit: '50' });
  };
  search();
  const set = (k: string, v: string) => setFilter({ ...filter(), [k]: v });
  return (
    <section>
      <h1>{t('audit.heading')}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <label for="audit-municipality">{t('audit.municipality')}</label>
        <select
          id="audit-municipality"
          value={filter().municipality}
          onChange={(e) => set('municipality', e.currentTarget.value)}
        >
          <option value="">{t('audit.any')}</option>
          <For each={[...MUNICIPALITY_IDS]}>{(m) => <option value={m}>{m}</option>}</For>
        </select>
        <label for="audit-from">{t('audit.from')}</label>
        <input id="audit-from" type="date" value={filter().from} onInput={(e) => set('from', e.currentTarget.value)} />
        <label for="audit-to">{t('audit.to')}</label>
        <input id="audit-to" type="date" value={filter().to} onInput={(e) => set('to', e.currentTarget.value)} />
        <label for="audit-outcome">{t('audit.outcome')}</label>
        <select id="audit-outcome" value={filter().outcome} onChange={(e) => set('outcome', e.currentTarget.value)}>
          <option value="">{t('audit.any')}</option>
          <For each={[...OUTCOMES]}>{(o) => <option value={o}>{t(`decision.${o}`)}</option>}</For>
        </select>
        <label for="audit-code">{t('audit.reasonCode')}</label>
        <input
          id="audit-code"
          value={filter().reasonCode}
          onInput={(e) => set('reasonCode', e.currentTarget.value.toUpperCase())}
        />
        <button type="submit" class="primary" data-testid="audit-search">
          {t('audit.search')}
        </button>
        <button
          type="button"
          onClick={async () => setVerify(await read(api.api.audit.verify.$get()))}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </button>
      </form>
      <Show when={verify()}>
        {(v) => (
          <p class={v().ok ? 'ok' : 'problem'} role="status" data-testid="verify-result">
            {v().ok
              ? t('audit.verifyOk', { n: v().checked })
              : t('audit.verifyBroken', { id: v().firstBroken!.id, reason: v().firstBroken!.reason })}
          </p>
        )}
      </Show>
      <Show when={!results.error} fallback={<ProblemMessage error={results.error} />}>
        <Show when={results()} fallback={<p>{t('common.loading')}</p>}>
          {(r) => (
            <>
              <p>{t('audit.results', { n: r().total })}</p>
              <table class="grid" data-testid="audit-results">
                <tbody>
                  <For each={r().items}>
                    {(row) => (
                      <tr class={props.decisionId === row.id ? 'selected' : ''}>
                        <td>{row.referenceDate}</td>
                        <td>{row.municipality}</td>
                        <td>{t(`decision.${row.outcome}`)}</td>
                        <td>{row.reasonCodes.join(', ')}</td>
                        <td>{row.totalCents === null ? '—' : formatCents(row.totalCents)}</td>
                        <td>
                          <a href={`#/audit/${row.id}`}>{t('audit.open')}</a>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </>
          )}
        </Show>
      </Show>
      <Show when={props.decisionId}>{(id) => <DecisionDetail id={id()} />}</Show>
    </section>
  );
}
