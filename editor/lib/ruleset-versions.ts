/** A rule set's published versions and open drafts, as the rule set's page lists them. */
import { createResource } from 'solid-js';
import { read, type ApiClient, type OkOf } from './api.js';

/** One rule set with its versions and drafts, as the API lists it. */
export type RuleSetSummary = OkOf<ApiClient['api']['rulesets'][':id']['versions']['$get']>;

/** Every rule set with its versions and drafts: the overview, the test bench's choices. */
export async function listRuleSets(client: ApiClient) {
  return (await read(client.api.rulesets.$get())).ruleSets;
}

/** One rule set with its versions and drafts. */
export function fetchRuleSet(client: ApiClient, ruleSetId: string) {
  return read(client.api.rulesets[':id'].versions.$get({ param: { id: ruleSetId } }));
}

/** One published version's document. */
export function fetchVersion(client: ApiClient, ruleSetId: string, version: number) {
  return read(client.api.rulesets[':id'].versions[':n'].$get({ param: { id: ruleSetId, n: String(version) } }));
}

export function createRuleSetVersions(client: ApiClient, ruleSetId: string) {
  const [summary, { refetch }] = createResource(() => fetchRuleSet(client, ruleSetId));
  const versions = () => (summary()?.versions ?? []).map((v) => v.version);
  return { summary, versions, latest: () => versions().at(-1), refetch };
}
