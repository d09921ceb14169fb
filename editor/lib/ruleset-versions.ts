/** A rule set's published versions and open drafts, as the rule set's page lists them. */
import { createResource } from 'solid-js';
import type { ApiClient } from './api.js';

export interface RuleSetSummary {
  id: string;
  kind: 'region' | 'municipality';
  region: string;
  name: string;
  versions: {
    version: number;
    validFrom: string;
    validUntil: string | null;
    status: 'in-force' | 'scheduled' | 'superseded';
    publishedBy: string;
    publishedAt: string;
    contentHash: string;
  }[];
  drafts: { draftId: string; updatedAt: string; updatedBy: string }[];
}

export function createRuleSetVersions(client: ApiClient, ruleSetId: string) {
  const [summary, { refetch }] = createResource(() =>
    client.get<RuleSetSummary>(`/api/rulesets/${ruleSetId}/versions`),
  );
  const versions = () => (summary()?.versions ?? []).map((v) => v.version);
  return { summary, versions, latest: () => versions().at(-1), refetch };
}
