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
import { ProblemMessage } from '../components/Problem.js';
import { api, asDomain, read } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { fetchRuleSet, fetchVersion } from '../lib/ruleset-versions.js';
import { Timeline } from './Overview.js';

/** A parameter's bounds as a value outside them is told: the allowed values, a minimum count, or a range. */
export function boundsText(p: Parameter): string {
  const policy = p.municipalOverride;
  if (!Array.isArray(p.value)) return `${policy.min ?? '−∞'} … ${policy.max ?? '∞'}`;
  return [policy.allowedValues?.join(', '), policy.minItems === undefined ? undefined : `≥ ${policy.minItems}`]
    .filter((x) => x !== undefined)
    .join('; ');
}

/** The value typed for a parameter: a list split on commas, or a number (NaN when it is none). */
function parseTyped(p: Parameter, raw: string): unknown {
  if (Array.isArray(p.value))
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

/**
 * Why a value typed for a parameter is outside the region's bounds (the bounds, to show), or null
 * when it is fine. The check is the engine's own (`overrideIssues`), the one the server applies
 * when the overlay is published.
 */
export function boundsProblem(name: string, p: Parameter, raw: string): string | null {
  return overrideIssues(name, p, parseTyped(p, raw)).length > 0 ? boundsText(p) : null;
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
  const [switches, setSwitches] = createSignal<Record<string, boolean>>({});
  const optionalRules = () => (data()?.region.rules ?? []).filter((r) => r.optional?.municipalityMaySwitch);
  const enabled = (ruleId: string, byDefault: boolean) =>
    switches()[ruleId] ?? data()?.overlay.rules[ruleId]?.enabled ?? byDefault;
  const [validFrom, setValidFrom] = createSignal('');
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<number | null>(null);

  const open = () => Object.entries(data()?.region.parameters ?? {}).filter(([, p]) => p.municipalOverride.allowed);
  const current = (name: string, p: Parameter) =>
    values()[name] ??
    (() => {
      const v = (data()?.overlay.parameters[name] ?? p.value) as Parameter['value'];
      return Array.isArray(v) ? v.join(', ') : String(v);
    })();
  const problems = () =>
    open()
      .map(([name, p]) => [name, boundsProblem(name, p, current(name, p))] as const)
      .filter(([, x]) => x !== null);

  async function publish() {
    setError(null);
    setDone(null);
    const d = data()!;
    const parameters: Record<string, unknown> = { ...d.overlay.parameters };
    for (const [name, p] of open()) {
      const raw = current(name, p);
      parameters[name] = parseTyped(p, raw);
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
      const published = await read(
        api.api.rulesets[':id'].drafts[':draftId'].publish.$post({
          param: { id: props.id, draftId: created.draftId },
          json: { validFrom: validFrom() },
        }),
      );
      setDone(published.version);
      setValues({});
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
                          <td>{Array.isArray(p.value) ? p.value.join(', ') || '—' : String(p.value)}</td>
                          <td>
                            <input
                              id={id}
                              data-testid={id}
                              value={current(name, p)}
                              aria-invalid={problem() !== null}
                              aria-describedby={`${id}-err`}
                              onInput={(e) => setValues({ ...values(), [name]: e.currentTarget.value })}
                            />
                            <Show when={problem()}>
                              <div id={`${id}-err`} class="problem" role="alert">
                                {t('municipality.outOfBounds', { bounds: problem()! })}
                              </div>
                            </Show>
                          </td>
                          <td class="muted">
                            {p.municipalOverride.allowedValues
                              ? p.municipalOverride.allowedValues.join(', ')
                              : `${p.municipalOverride.min ?? '−∞'} … ${p.municipalOverride.max ?? '∞'}`}
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
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
                />{' '}
                <button
                  type="button"
                  class="primary"
                  disabled={!validFrom() || problems().length > 0}
                  onClick={publish}
                  data-testid="muni-publish"
                >
                  {t('municipality.publish')}
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
