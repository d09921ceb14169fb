/**
 * A rule set's saved test cases and one run of them against a draft or a published version:
 * which pass, which fail, and what each decided.
 */
import { createResource, createSignal } from 'solid-js';
import type { ApiClient } from './api.js';

export interface TestCaseSummary {
  id: string;
  name: string;
  expected: { outcome: string };
}

export interface TestRunResult {
  passed: number;
  failed: number;
  results: {
    id: string;
    name: string;
    expected: { outcome: string; codes: string[] };
    actual: { outcome: string; codes: string[] } | null;
    pass: boolean;
    error?: string;
  }[];
}

/** A test case as listed: its result once run, `pass` undefined before. */
export interface TestRow {
  id: string;
  name: string;
  expected: { outcome: string };
  actual: { outcome: string } | null;
  pass: boolean | undefined;
}

export type TestCandidate = { draftId: string } | { version: number };

export function createTestRun(client: ApiClient, ruleSetId: string) {
  const [testCases, { refetch }] = createResource(() =>
    client.get<{ testCases: TestCaseSummary[] }>(`/api/rulesets/${ruleSetId}/tests`).then((r) => r.testCases),
  );
  const [result, setResult] = createSignal<TestRunResult | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  /** Runs every saved test case against the candidate; the server decides them, nothing is logged. */
  async function run(candidate: TestCandidate) {
    setError(null);
    try {
      const query =
        'draftId' in candidate ? `draftId=${encodeURIComponent(candidate.draftId)}` : `version=${candidate.version}`;
      setResult((await client.send<TestRunResult>('POST', `/api/rulesets/${ruleSetId}/tests/run?${query}`)).data);
      // the list may have changed since it was loaded (a colleague added a case)
      void refetch();
    } catch (e) {
      setError(e);
    }
  }

  const rows = (): TestRow[] =>
    result()?.results ?? (testCases() ?? []).map((x) => ({ ...x, pass: undefined, actual: null }));

  return { testCases, result, error, rows, run };
}
export type TestRunState = ReturnType<typeof createTestRun>;
