/**
 * The audit page: search the decision log, open a decision with its case and trace, replay it
 * (recorded versions, versions in force, a chosen version) and see what differs; verify the log.
 */
import { hc } from 'hono/client';
import { createResource, createSignal, For, Show } from 'solid-js';
import {
  Case,
  type DecisionInLog,
  describeCase,
  formatDate,
  formatDateTime,
  IllustrativeRef,
  type Letter,
  motivationLetter,
  MUNICIPALITY_IDS,
  OUTCOMES,
} from '../../engine/browser.js';
import { DecisionView, money } from '../components/DecisionView.js';
import { describeIllustrative } from '../components/IllustrativeMark.js';
import { LetterPanel } from '../components/Letter.js';
import { ProblemMessage } from '../components/Problem.js';
import { api, asDomain, read, type OkOf } from '../lib/api.js';
import { formatCents, t } from '../lib/i18n.js';
import { listRuleSets } from '../lib/ruleset-versions.js';
import type { AppType } from '../../server/app.js';

type Decisions = typeof api.api.decisions;
type Replay = OkOf<Decisions[':id']['replay']['$post']>;
type Search = Parameters<Decisions['$get']>[0]['query'];
type Against = Parameters<Decisions[':id']['replay']['$post']>[0]['json']['against'];

type Logged = OkOf<Decisions[':id']['$get']>;
type Difference = Replay['differences'][number];

const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : t('audit.none'));
const versions = (refs: readonly { id: string; version: number }[]) =>
  refs.map((r) => `${r.id} v${r.version}`).join(', ');

/** A difference between a decision and its replay, in words. */
export function describeDifference(d: Difference): string {
  switch (d.field) {
    case 'engine':
      return t('audit.diff.engine', { before: d.before ?? t('audit.unknown'), after: d.after ?? t('audit.unknown') });
    case 'outcome':
      return t('audit.diff.outcome', { before: t(`decision.${d.before}`), after: t(`decision.${d.after}`) });
    case 'reasons':
      return t('audit.diff.reasons', { added: list(d.added), removed: list(d.removed) });
    case 'tariff': {
      const [before, after] = [d.before, d.after].map((x) => (x ? money(x.totalCents) : '—'));
      return t('audit.diff.tariff', { before: before!, after: after! });
    }
    case 'ruleSets':
      return t('audit.diff.ruleSets', { before: versions(d.before), after: versions(d.after) });
    case 'illustrative': {
      // each value as the replay names it, "ruleSet kind id", in words
      const words = (xs: readonly string[]) =>
        xs.map((x) => {
          const [ruleSet = '', kind = '', ...id] = x.split(' ');
          const parsed = IllustrativeRef.safeParse({ ruleSet, kind, id: id.join(' ') });
          return parsed.success ? describeIllustrative(parsed.data) : x;
        });
      return t('audit.diff.illustrative', { added: list(words(d.added)), removed: list(words(d.removed)) });
    }
    case 'trace':
      return t('audit.diff.trace', { rules: list(d.changedRules) });
  }
}

/** The case as received, in words; a case the schema no longer reads is shown as JSON only. */
function caseInWords(json: unknown): string[] {
  const parsed = Case.safeParse(json);
  return parsed.success ? describeCase(parsed.data) : [];
}

/** Where the server serves a decision's letter, as a page to open (typed by the routes). */
const letterUrl = (id: string) =>
  hc<AppType>(location.origin).api.decisions[':id'].motivation.$url({ param: { id } }).pathname;

/** The letter of a logged decision, built as the server builds it for `/motivation`. */
function letterOf(d: Logged): Letter | null {
  const parsed = Case.safeParse(d.case);
  if (!parsed.success) return null;
  return motivationLetter({
    decision: asDomain<DecisionInLog>(d),
    case: parsed.data,
    decisionId: d.id,
    decidedAt: d.decidedAt,
  });
}

function DecisionDetail(props: { id: string }) {
  const [logged] = createResource(
    () => props.id,
    (id) => read(api.api.decisions[':id'].$get({ param: { id } })),
  );
  // the published versions of the decision's rule sets: valid-from dates, hashes, the replay's choices
  const [sets] = createResource(() => listRuleSets(api));
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
  const published = (id: string, version: number) =>
    sets()
      ?.find((s) => s.id === id)
      ?.versions.find((v) => v.version === version);
  /** Every version that exists of the rule sets the decision used (its region and overlay). */
  const choices = (d: Logged) =>
    d.ruleSets.flatMap((r) =>
      (sets()?.find((s) => s.id === r.id)?.versions ?? []).map((v) => ({
        value: `${r.id}:${v.version}`,
        label: `${r.id} v${v.version} — ${t('overview.validFrom', { date: formatDate(v.validFrom) })}${v.version === r.version ? ` (${t('audit.recorded')})` : ''}`,
      })),
    );
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
            <dl class="facts" data-testid="decision-facts">
              <dt>{t('audit.decidedAt')}</dt>
              <dd data-testid="decided-at">
                <time datetime={d().decidedAt}>{formatDateTime(d().decidedAt)}</time>
              </dd>
              <dt>{t('audit.decidedBy')}</dt>
              <dd data-testid="decided-by">{d().decidedBy}</dd>
              <dt>{t('audit.decisionId')}</dt>
              <dd class="hash">{d().id}</dd>
              <dt>{t('audit.engine')}</dt>
              <dd data-testid="engine-version">{d().engine?.version ?? t('audit.unknown')}</dd>
              <dt>{t('illustrative.heading')}</dt>
              <dd data-testid="illustrative-count">
                {(d().illustrative ?? []).length === 0
                  ? t('illustrative.none')
                  : (d().illustrative ?? []).map(describeIllustrative).join('; ')}
              </dd>
              <dt>{t('audit.chainHash')}</dt>
              <dd class="hash">{d().hash}</dd>
            </dl>
            <h3>{t('audit.caseInWords')}</h3>
            <ul class="plain" data-testid="case-in-words">
              <For each={caseInWords(d().case)}>{(line) => <li>{line}</li>}</For>
            </ul>
            <details>
              <summary>{t('audit.caseJson')}</summary>
              <pre>{JSON.stringify(d().case, null, 2)}</pre>
            </details>
            <h3>{t('audit.versions')}</h3>
            <table class="grid versions" data-testid="decision-versions">
              <thead>
                <tr>
                  <th scope="col">{t('audit.ruleSet')}</th>
                  <th scope="col">{t('audit.version')}</th>
                  <th scope="col">{t('audit.validFrom')}</th>
                  <th scope="col">{t('audit.contentHash')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={d().ruleSets}>
                  {(r) => {
                    const p = () => published(r.id, r.version);
                    return (
                      <tr data-testid={`version-${r.id}`}>
                        <td>{r.id}</td>
                        <td>{r.version}</td>
                        <td data-testid="valid-from">{p() ? formatDate(p()!.validFrom) : '—'}</td>
                        <td>
                          <code class="hash" data-testid="content-hash">
                            {r.contentHash}
                          </code>
                          <Show when={sets()}>
                            <br />
                            <span class={p()?.contentHash === r.contentHash ? 'ok' : 'problem'}>
                              {!p()
                                ? t('audit.versionMissing')
                                : p()!.contentHash === r.contentHash
                                  ? t('audit.hashMatches')
                                  : t('audit.hashDiffers', { hash: p()!.contentHash })}
                            </span>
                          </Show>
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
            <DecisionView decision={asDomain<DecisionInLog>(d())} openTrace />
            <LetterPanel
              heading={t('letter.heading')}
              openLabel={t('letter.open')}
              letter={() => letterOf(d())}
              unavailable={t('letter.previewUnavailable')}
              pageUrl={letterUrl(d().id)}
              testId="letter-panel"
            />
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
              <select
                id="replay-chosen"
                value={chosen()}
                onChange={(e) => setChosen(e.currentTarget.value)}
                data-testid="replay-version"
              >
                <option value="">{t('audit.replayChosen')}</option>
                <For each={choices(d())}>{(c) => <option value={c.value}>{c.label}</option>}</For>
              </select>
              <button
                type="button"
                disabled={!chosen()}
                data-testid="replay-chosen"
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
                  <p data-testid="replay-outcome">
                    {t('audit.replayedOutcome', { outcome: t(`decision.${r().replayed.outcome}`) })}
                  </p>
                  <Show when={r().engineChanged}>
                    <p class="warning">{t('audit.engineChanged')}</p>
                  </Show>
                  <Show
                    when={r().identical}
                    fallback={
                      <>
                        <p>{t('audit.differs')}</p>
                        <ul data-testid="replay-differences">
                          <For each={r().differences}>{(x) => <li>{describeDifference(x)}</li>}</For>
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
  // the log is read-only for everyone; an auditor is told so, and sees no control that writes
  const [session] = createResource(() => read(api.api.session.$get()));
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
      <Show when={session()?.user?.role === 'auditor'}>
        <p class="muted" data-testid="read-only">
          {t('audit.readOnly')}
        </p>
      </Show>
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
                        <td>{formatDateTime(row.decidedAt)}</td>
                        <td>{row.decidedBy}</td>
                        <td>{row.referenceDate}</td>
                        <td>{row.municipality}</td>
                        <td>{t(`decision.${row.outcome}`)}</td>
                        <td>{row.reasonCodes.join(', ')}</td>
                        <td>{row.totalCents === null ? '—' : money(row.totalCents)}</td>
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
      <Show when={['auditor', 'policy-advisor', 'demo'].includes(session()?.user?.role ?? '')}>
        <GovernanceEvents />
      </Show>
    </section>
  );
}

/** Every submit, approval and rejection: who, when, change note or reason, content hash, impact. */
function GovernanceEvents() {
  const [events] = createResource(() => read(api.api.audit.governance.$get({ query: {} })));
  return (
    <section data-testid="governance-events">
      <h2>{t('gov.events')}</h2>
      <Show when={events.error}>
        <ProblemMessage error={events.error} />
      </Show>
      <Show when={events()}>
        {(list) => (
          <Show when={list().events.length > 0} fallback={<p class="muted">{t('gov.noEvents')}</p>}>
            <table>
              <thead>
                <tr>
                  <th>{t('gov.when')}</th>
                  <th>{t('gov.what')}</th>
                  <th>{t('gov.who')}</th>
                  <th>{t('gov.note')}</th>
                  <th>{t('gov.impact')}</th>
                  <th>{t('gov.hash')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={list().events}>
                  {(e) => (
                    <tr data-testid={`governance-${e.kind}`}>
                      <td>{e.at.slice(0, 16).replace('T', ' ')}</td>
                      <td>
                        {e.ruleSetId}: {t(`gov.kind.${e.kind}`)}
                        {e.version !== null ? ` (v${e.version})` : ''}
                        {e.validFrom ? ` · ${t('publish.validFrom')} ${e.validFrom}` : ''}
                      </td>
                      <td>{e.by}</td>
                      <td>{e.note}</td>
                      <td>
                        {e.impact
                          ? t('gov.eventImpact', {
                              changed: e.impact.changedCount,
                              processed: e.impact.processed,
                              before: formatCents(e.impact.tariffCents.before),
                              after: formatCents(e.impact.tariffCents.after),
                            })
                          : ''}
                      </td>
                      <td>
                        <code title={e.draftHash}>{e.draftHash.slice(7, 19)}</code>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </section>
  );
}
