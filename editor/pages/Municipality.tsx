/**
 * One municipality: the parameters its region opens, the region's default and the local value
 * side by side, bounds enforced as you type, publishing a new overlay version, its history.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import {
  overrideIssues,
  type MunicipalityOverlay,
  type Parameter,
  type RegionRuleSet,
  type RuleSetDocument,
} from '../../engine/browser.js';
import { parseNumber } from '../components/ConditionTree.js';
import { ProblemMessage } from '../components/Problem.js';
import { api, asDomain, read } from '../lib/api.js';
import { boundsInWords, parameterValueInWords } from '../lib/bounds.js';
import { eurosForInput, parseEuros } from '../lib/euros.js';
import { t } from '../lib/i18n.js';
import { guardUnsaved } from '../lib/unsaved.js';
import { fetchRuleSet, fetchVersion } from '../lib/ruleset-versions.js';
import { Timeline } from './Overview.js';

/** The value typed for a parameter, or why it cannot be read: amounts in euros, lists split on commas. */
export function parseTyped(
  p: Parameter,
  raw: string,
): { ok: true; value: Parameter['value'] } | { ok: false; error: string } {
  if (Array.isArray(p.value))
    return {
      ok: true,
      value: raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  if (p.type === 'cents') {
    const euros = parseEuros(raw);
    return euros.ok ? { ok: true, value: euros.cents } : euros;
  }
  // an emptied field is a mistake to point at, never 0
  const n = parseNumber(raw);
  if (n === null) return { ok: false, error: t('field.number') };
  if (p.type !== 'percentage' && !Number.isInteger(n)) return { ok: false, error: t('field.integer') };
  return { ok: true, value: n };
}

/** A parameter's value as its field shows it: `20.000` for an amount, `7`, `huisarts, SKJ`. */
function asText(p: Parameter, value: Parameter['value']): string {
  if (Array.isArray(value)) return value.join(', ');
  return p.type === 'cents' ? eurosForInput(value as number) : String(value);
}

/**
 * What is wrong with a value typed for a parameter, or null when it is fine: it cannot be read,
 * or it lies outside the region's bounds (told in words, with their reason). The bounds check is
 * the engine's own (`overrideIssues`), the one the server applies when the overlay is published.
 */
export function boundsProblem(name: string, p: Parameter, raw: string): string | null {
  const typed = parseTyped(p, raw);
  if (!typed.ok) return typed.error;
  return overrideIssues(name, p, typed.value).length > 0
    ? t('municipality.outOfBounds', { bounds: boundsInWords(p) })
    : null;
}

export function MunicipalityPage(props: { id: string }) {
  const [data, { refetch }] = createResource(async () => {
    const summary = await fetchRuleSet(api, props.id);
    const latest = summary.versions.at(-1)!;
    // a municipality's rule set is its overlay, and the overlay's region a region rule set
    const document = async (id: string, version: number) =>
      asDomain<RuleSetDocument>(await fetchVersion(api, id, version));
    const overlay = (await document(props.id, latest.version)) as MunicipalityOverlay;
    const regionSummary = await fetchRuleSet(api, overlay.region);
    const region = (await document(overlay.region, regionSummary.versions.at(-1)!.version)) as RegionRuleSet;
    return { summary, overlay, region };
  });
  const [values, setValues] = createSignal<Record<string, string>>({});
  /** Parameters set back to the region's value: the new version leaves them out. */
  const [resets, setResets] = createSignal<ReadonlySet<string>>(new Set());
  guardUnsaved(() => Object.keys(values()).length > 0 || resets().size > 0 || Object.keys(switches()).length > 0);
  const [switches, setSwitches] = createSignal<Record<string, boolean>>({});
  const optionalRules = () => (data()?.region.rules ?? []).filter((r) => r.optional?.municipalityMaySwitch);
  const enabled = (ruleId: string, byDefault: boolean) =>
    switches()[ruleId] ?? data()?.overlay.rules[ruleId]?.enabled ?? byDefault;
  const [validFrom, setValidFrom] = createSignal('');
  const [changeNote, setChangeNote] = createSignal('');
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<number | null>(null);
  /** With four eyes, the new version is submitted and another officer of the municipality approves it. */
  const [session] = createResource(() => read(api.api.session.$get()));
  const fourEyes = () => session()?.fourEyes ?? false;
  const [submitted, setSubmitted] = createSignal<string | null>(null);

  const open = () => Object.entries(data()?.region.parameters ?? {}).filter(([, p]) => p.municipalOverride.allowed);
  /** Whether the municipality has a value of its own (not set back to the region's). */
  const overridden = (name: string) =>
    values()[name] !== undefined || (!resets().has(name) && data()?.overlay.parameters[name] !== undefined);
  const current = (name: string, p: Parameter) =>
    values()[name] ??
    asText(p, (resets().has(name) ? p.value : (data()?.overlay.parameters[name] ?? p.value)) as Parameter['value']);
  const type = (name: string, text: string) => {
    setValues({ ...values(), [name]: text });
    const next = new Set(resets());
    next.delete(name);
    setResets(next);
  };
  const reset = (name: string) => {
    const { [name]: _, ...rest } = values();
    setValues(rest);
    setResets(new Set([...resets(), name]));
  };
  const problems = () =>
    open()
      .map(([name, p]) => [name, boundsProblem(name, p, current(name, p))] as const)
      .filter(([, x]) => x !== null);

  async function publish() {
    setError(null);
    setDone(null);
    setSubmitted(null);
    const d = data()!;
    const parameters: Record<string, unknown> = { ...d.overlay.parameters };
    for (const [name, p] of open()) {
      if (resets().has(name) && values()[name] === undefined) {
        delete parameters[name];
        continue;
      }
      const typed = parseTyped(p, current(name, p));
      if (!typed.ok) return setError(new Error(typed.error));
      parameters[name] = typed.value;
      if (JSON.stringify(parameters[name]) === JSON.stringify(p.value) && !(name in d.overlay.parameters))
        delete parameters[name];
    }
    const rules: Record<string, { enabled: boolean }> = { ...d.overlay.rules };
    for (const r of optionalRules()) {
      const on = enabled(r.id, r.optional!.enabledByDefault);
      if (on === r.optional!.enabledByDefault) delete rules[r.id];
      else rules[r.id] = { enabled: on };
    }
    try {
      // the values typed are checked against the region's bounds by the server too
      const overlay = { ...d.overlay, parameters, rules } as MunicipalityOverlay;
      const created = await read(api.api.rulesets[':id'].drafts.$post({ param: { id: props.id }, json: overlay }));
      const param = { id: props.id, draftId: created.draftId };
      if (fourEyes()) {
        await read(
          api.api.rulesets[':id'].drafts[':draftId'].submit.$post({
            param,
            json: { validFrom: validFrom(), changeNote: changeNote() },
          }),
        );
        setSubmitted(created.draftId);
      } else {
        const published = await read(
          api.api.rulesets[':id'].drafts[':draftId'].publish.$post({
            param,
            json: { validFrom: validFrom(), changes: changeNote() },
          }),
        );
        setDone(published.version);
      }
      setChangeNote('');
      setValues({});
      setResets(new Set<string>());
      setSwitches({});
      void refetch();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section>
      <Show
        when={data()}
        fallback={
          <Show when={data.error} fallback={<p>{t('common.loading')}</p>}>
            <ProblemMessage error={data.error} />
          </Show>
        }
      >
        {(d) => (
          <>
            <h1>{t('municipality.heading', { name: d().overlay.name ?? props.id })}</h1>
            <Show when={open().length > 0} fallback={<p>{t('municipality.none')}</p>}>
              <div class="scroll-x">
                <table class="grid">
                  <thead>
                    <tr>
                      <th>{t('municipality.parameter')}</th>
                      <th>{t('municipality.regionDefault')}</th>
                      <th>{t('municipality.current')}</th>
                      <th>{t('municipality.bounds')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={open()}>
                      {([name, p]) => {
                        const id = `muni-${name.replace(/\W+/g, '-')}`;
                        const problem = () => boundsProblem(name, p, current(name, p));
                        return (
                          <tr>
                            <th scope="row">
                              <label for={id}>{p.label}</label>
                              <div class="muted">
                                <code>{name}</code>
                              </div>
                            </th>
                            <td>{parameterValueInWords(p)}</td>
                            <td>
                              <span class={p.type === 'cents' ? 'euro-input' : undefined}>
                                <Show when={p.type === 'cents'}>
                                  <span aria-hidden="true">€</span>
                                </Show>
                                <input
                                  id={id}
                                  data-testid={id}
                                  value={current(name, p)}
                                  inputMode={p.type === 'cents' || p.type === 'percentage' ? 'decimal' : undefined}
                                  aria-invalid={problem() !== null}
                                  aria-describedby={`${id}-err`}
                                  onInput={(e) => type(name, e.currentTarget.value)}
                                />
                              </span>{' '}
                              <Show
                                when={overridden(name)}
                                fallback={<span class="muted">{t('municipality.followsRegion')}</span>}
                              >
                                <button
                                  type="button"
                                  class="link"
                                  onClick={() => reset(name)}
                                  data-testid={`${id}-reset`}
                                >
                                  {t('municipality.reset')}
                                </button>
                              </Show>
                              <Show when={problem()}>
                                <div id={`${id}-err`} class="problem" role="alert">
                                  {problem()}
                                </div>
                              </Show>
                            </td>
                            <td class="muted">{boundsInWords(p)}</td>
                          </tr>
                        );
                      }}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={optionalRules().length > 0}>
                <h2>{t('municipality.rules')}</h2>
                <ul class="plain">
                  <For each={optionalRules()}>
                    {(r) => (
                      <li>
                        <input
                          type="checkbox"
                          id={`switch-${r.id}`}
                          checked={enabled(r.id, r.optional!.enabledByDefault)}
                          onChange={(e) => setSwitches({ ...switches(), [r.id]: e.currentTarget.checked })}
                        />{' '}
                        <label for={`switch-${r.id}`}>
                          <code>{r.code}</code> — {r.message}
                        </label>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <p>
                <label for="muni-valid-from">{t('municipality.validFrom')}</label>{' '}
                <input
                  id="muni-valid-from"
                  type="date"
                  value={validFrom()}
                  onInput={(e) => setValidFrom(e.currentTarget.value)}
                />
              </p>
              <p>
                <label for="muni-change-note">{t('gov.changeNote')}</label>
                <br />
                <textarea
                  id="muni-change-note"
                  rows="2"
                  value={changeNote()}
                  onInput={(e) => setChangeNote(e.currentTarget.value)}
                />
              </p>
              <p>
                <button
                  type="button"
                  class="primary"
                  disabled={!validFrom() || !changeNote().trim() || problems().length > 0}
                  onClick={publish}
                  data-testid="muni-publish"
                >
                  {fourEyes() ? t('gov.submit') : t('municipality.publish')}
                </button>
              </p>
            </Show>
            <Show when={done()}>
              {(v) => (
                <p class="ok" role="status" data-testid="muni-published">
                  {t('publish.done', { version: v() })}
                </p>
              )}
            </Show>
            <Show when={submitted()}>
              {(draftId) => (
                <p class="ok" role="status" data-testid="muni-submitted">
                  {t('gov.submitted')} {t('gov.awaiting')}:{' '}
                  <a href={`#/rulesets/${props.id}/drafts/${draftId()}`}>{t('municipality.openSubmitted')}</a>
                </p>
              )}
            </Show>
            <Show when={error()}>
              <ProblemMessage error={error()} />
            </Show>
            <h2>{t('municipality.history')}</h2>
            <Timeline set={d().summary} />
          </>
        )}
      </Show>
    </section>
  );
}
