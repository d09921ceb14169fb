/** Regions and their municipalities, each rule set's versions on a timeline, drafts. */
import { createResource, For, Show, Suspense } from 'solid-js';
import { api } from '../lib/api.js';
import { formatDate, formatDateTime, t } from '../lib/i18n.js';
import { ProblemMessage } from '../components/Problem.js';
import { listRuleSets, type RuleSetSummary } from '../lib/ruleset-versions.js';

type VersionStatus = RuleSetSummary['versions'][number]['status'];

/** A version's status in words: nu geldig, gepland, vervangen. */
export const statusLabel = (status: VersionStatus) => t(`overview.${status === 'in-force' ? 'inForce' : status}`);

/** Where a published version is read, without a draft: the rule set editor in read-only mode. */
export const versionHref = (ruleSetId: string, version: number) => `#/rulesets/${ruleSetId}/versions/${version}`;

/** A rule set's versions as chips on a line; each chip opens its version read-only ('Bekijken'). */
export function Timeline(props: { set: RuleSetSummary }) {
  return (
    <ol class="timeline" aria-label={`${t('overview.versions')} ${props.set.name}`}>
      <For each={props.set.versions}>
        {(v) => (
          <li
            class={`tl tl-${v.status}`}
            title={t('overview.publishedBy', { who: v.publishedBy, when: formatDateTime(v.publishedAt) })}
          >
            <a
              href={versionHref(props.set.id, v.version)}
              aria-label={t('overview.viewVersion', { version: v.version })}
              data-testid={`chip-${props.set.id}-v${v.version}`}
            >
              <strong>v{v.version}</strong>
            </a>{' '}
            {t('overview.validFrom', { date: formatDate(v.validFrom) })}
            <Show when={v.validUntil}> {t('overview.until', { date: formatDate(v.validUntil!) })}</Show>{' '}
            <span class="chip">{statusLabel(v.status)}</span>
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
                <div class="scroll-x">
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
                </div>
              </article>
            )}
          </For>
        </Show>
      </Suspense>
    </section>
  );
}
