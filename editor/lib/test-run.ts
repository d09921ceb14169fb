/**
 * A rule set's saved test cases and one run of them against a draft or a published version:
 * which pass, which fail, and what each decided.
 */
import { createResource, createSignal } from 'solid-js';
import { read, type ApiClient, type OkOf } from './api.js';
import type { ImpactCandidate } from './impact-job.js';

type TestsEndpoint = ApiClient['api']['rulesets'][':id']['tests'];
/** One run's result as the API answers it: counts and each test case with what it decided. */
export type TestRunResult = OkOf<TestsEndpoint['run']['$post']>;
type TestResult = TestRunResult['results'][number];

/** A test case as listed: its result once run, `pass` undefined before. */
export type TestRow = Pick<TestResult, 'id' | 'name' | 'expected' | 'actual'> & { pass: boolean | undefined };

/**
 * What to run the test cases against: a saved draft or a published version, as the API names a
 * candidate (here without its rule set: the test cases belong to one).
 */
export type TestCandidate = ImpactCandidate extends infer C ? (C extends unknown ? Omit<C, 'ruleSet'> : never) : never;

export function createTestRun(client: ApiClient, ruleSetId: string) {
  const [testCases, { refetch }] = createResource(
    async () => (await read(client.api.rulesets[':id'].tests.$get({ param: { id: ruleSetId } }))).testCases,
  );
  const [result, setResult] = createSignal<TestRunResult | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  /** Runs every saved test case against the candidate; the server decides them, nothing is logged. */
  async function run(candidate: TestCandidate) {
    setError(null);
    try {
      setResult(await read(client.api.rulesets[':id'].tests.run.$post({ param: { id: ruleSetId }, query: candidate })));
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
