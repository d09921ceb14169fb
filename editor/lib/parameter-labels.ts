/**
 * The Dutch labels of the parameters a decision's rule sets define, so that a trace reads
 * "minimumleeftijd dyslexie (7)" instead of "dyslexia.minAge". Only versions that exist are
 * fetched (a draft's decision names a version that was never published), and each once.
 */
import { createResource } from 'solid-js';
import type { RuleSetRef } from '../../engine/browser.js';
import type { ApiClient } from './api.js';
import { fetchVersion, listRuleSets } from './ruleset-versions.js';

export type Labels = Readonly<Record<string, string>>;

const cache = new Map<string, Promise<Labels>>();

/** The labels a rule set document gives its parameters (a region's; an overlay only sets values). */
export function labelsOf(document: unknown): Labels {
  const parameters = (document as { parameters?: unknown } | null)?.parameters;
  if (!parameters || typeof parameters !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [name, p] of Object.entries(parameters)) {
    if (p && typeof p === 'object' && 'label' in p && typeof p.label === 'string') out[name] = p.label;
  }
  return out;
}

async function versionLabels(client: ApiClient, ref: RuleSetRef): Promise<Labels> {
  const key = `${ref.id}@${ref.version}@${ref.contentHash}`;
  let labels = cache.get(key);
  if (!labels) {
    labels = fetchVersion(client, ref.id, ref.version).then(labelsOf, () => ({}));
    cache.set(key, labels);
  }
  return labels;
}

/** The parameter labels of the published versions among `refs`; unknown names fall back to themselves. */
export async function parameterLabels(client: ApiClient, refs: readonly RuleSetRef[]): Promise<Labels> {
  if (refs.length === 0) return {};
  const published = await listRuleSets(client).catch(() => []);
  const exists = (r: RuleSetRef) =>
    published.some(
      (s) => s.id === r.id && s.versions.some((v) => v.version === r.version && v.contentHash === r.contentHash),
    );
  const all = await Promise.all(refs.filter(exists).map((r) => versionLabels(client, r)));
  return Object.assign({}, ...all) as Labels;
}

/** A resource of the labels for a decision's rule sets. */
export function createParameterLabels(client: ApiClient, refs: () => readonly RuleSetRef[]) {
  const [labels] = createResource(
    () =>
      refs()
        .map((r) => `${r.id}@${r.version}@${r.contentHash}`)
        .join(',') || '-',
    () => parameterLabels(client, refs()),
  );
  return (name: string) => labels()?.[name];
}
