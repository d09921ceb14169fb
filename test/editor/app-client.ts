/**
 * The editor's own API client over a real app on a temporary database, without a network
 * socket: the typed client's `fetch` is the app's `request`.
 */
import { afterAll } from 'vitest';
import { createApiClient } from '../../editor/lib/api.js';
import type { RegionRuleSet } from '../../engine/schema.js';
import { openServer, type Server } from '../server/harness.js';

// a demo answers requests to a loopback host only
const BASE = 'http://localhost';

export async function useAppClient() {
  const server = await openServer();
  const client = createApiClient(BASE, { fetch: async (input, init) => server.app.request(input, init) });
  afterAll(() => server.store.close());
  return { server, client };
}

/** A draft of IJsselland v2 with another crisis maximum; its id. */
export async function crisisDraft(server: Server, maxDays: number): Promise<string> {
  const v2 = (await (await server.request('GET', '/api/rulesets/ijsselland/versions/2')).json()) as RegionRuleSet;
  v2.parameters['crisis.maxDays']!.value = maxDays;
  const res = await server.request('POST', '/api/rulesets/ijsselland/drafts', v2);
  if (res.status !== 201) throw new Error(`draft refused: ${await res.text()}`);
  return ((await res.json()) as { draftId: string }).draftId;
}
