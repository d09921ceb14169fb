/** Regions and their municipalities, each rule set's versions on a timeline, drafts. */
import { createResource, For, Show, Suspense } from 'solid-js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { ProblemMessage } from '../components/Problem.js';
import { listRuleSets, type RuleSetSummary } from '../lib/ruleset-versions.js';

export function Timeline(props: { set: RuleSetSummary }) {
  return (
    <ol class="timeline" aria-label={`${t('overview.versions')} ${props.set.name}`}>
      <For each={props.set.versions}>
        {(v) => (
          <li
            class={`tl tl-${v.status}`}
            title={t('overview.publishedBy', { who: v.publishedBy, when: v.publishedAt.slice(0, 10) })}
          >
            <strong>v{v.version}</strong> {t('overview.validFrom', { date: v.validFrom })}
            <Show when={v.validUntil}> {t('overview.until', { date: v.validUntil! })}</Show>{' '}
            <span class="chip">{t(`overview.${v.status === 'in-force' ? 'inForce' : v.status}`)}</span>
          </li>
        )}
      </For>
      <Show when={props.set.drafts.length > 0}>
        <li class="tl tl-draft">{t('overview.drafts', { n: props.set.drafts.length })}</li>
      </Show>
    </ol>
  );
}

export function Overview() {
  const [sets] = createResource(() => listRuleSets(api));
  const regions = () => (sets() ?? []).filter((s) => s.kind === 'region');
  const municipalitiesOf = (region: string) =>
    (sets() ?? []).filter((s) => s.kind === 'municipality' && s.region === region);
  return (
    <section>
      <h1>{t('overview.heading')}</h1>
      <Suspense fallback={<p>{t('common.loading')}</p>}>
        <Show when={!sets.error} fallback={<ProblemMessage error={sets.error} />}>
          <For each={regions()}>
            {(region) => (
              <article class="card region" data-testid={`region-${region.id}`}>
                <header>
                  <h2>{region.name}</h2>
                  <a class="button" href={`#/rulesets/${region.id}`}>
                    {t('overview.openEditor')}
                  </a>
                </header>
                <Timeline set={region} />
                <h3>{t('overview.municipalities')}</h3>
                <table class="grid">
                  <tbody>
                    <For each={municipalitiesOf(region.id)}>
                      {(m) => (
                        <tr>
                          <th scope="row">{m.name}</th>
                          <td>
                            <Timeline set={m} />
                          </td>
                          <td>
                            <a href={`#/municipalities/${m.id}`}>{t('overview.openMunicipality')}</a>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </article>
            )}
          </For>
        </Show>
      </Suspense>
    </section>
  );
}
