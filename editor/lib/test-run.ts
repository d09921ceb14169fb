/**
 * A rule set's saved test cases and one run of them against a draft or a published version:
 * which pass, which fail, what each decided and which rules it made fire; and the test cases
 * themselves, to open, change, run alone and delete.
 */
import { createResource, createSignal } from 'solid-js';
import { read, type ApiClient, type OkOf } from './api.js';
import type { ImpactCandidate } from './impact-job.js';

type TestsEndpoint = ApiClient['api']['rulesets'][':id']['tests'];
/** One run's result as the API answers it: counts and each test case with what it decided. */
export type TestRunResult = OkOf<TestsEndpoint['run']['$post']>;
type TestResult = TestRunResult['results'][number];
/** A saved test case as the API lists it. */
export type SavedTestCase = OkOf<TestsEndpoint[':testId']['$get']>;
/** What a test case is saved as: its name, case and expectation. */
export type TestCaseInput = Parameters<TestsEndpoint['$post']>[0]['json'];

/** A test case as listed: its result once run, `pass` undefined before. */
export type TestRow = Pick<TestResult, 'id' | 'name' | 'case' | 'expected' | 'actual'> & {
  pass: boolean | undefined;
  ruleIds: string[];
  error?: string | undefined;
};

/**
 * What to run the test cases against: a saved draft (as if valid from `validFrom`, else its own
 * date) or a published version, as the API names a candidate (here without its rule set: the test
 * cases belong to one).
 */
export type TestCandidate =
  | (ImpactCandidate extends infer C ? (C extends unknown ? Omit<C, 'ruleSet'> : never) : never)
  | { draftId: string; validFrom?: string };

const query = (candidate: TestCandidate) =>
  'draftId' in candidate
    ? {
        draftId: candidate.draftId,
        ...('validFrom' in candidate && candidate.validFrom ? { validFrom: candidate.validFrom } : {}),
      }
    : { version: String(candidate.version) };

/** Reason codes typed as a comma (or space) separated list, in capitals, each once. */
export function parseCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}

export function createTestRun(client: ApiClient, ruleSetId: string) {
  const tests = () => client.api.rulesets[':id'].tests;
  const [testCases, { refetch }] = createResource(
    async () => (await read(tests().$get({ param: { id: ruleSetId } }))).testCases,
  );
  const [result, setResult] = createSignal<TestRunResult | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  /** Runs every saved test case against the candidate; the server decides them, nothing is logged. */
  async function run(candidate: TestCandidate) {
    setError(null);
    try {
      setResult(await read(tests().run.$post({ param: { id: ruleSetId }, query: query(candidate) })));
      // the list may have changed since it was loaded (a colleague added a case)
      void refetch();
    } catch (e) {
      setError(e);
    }
  }

  /** Runs one test case alone; its row in the last run (if any) shows the new result. */
  async function runOne(testId: string, candidate: TestCandidate) {
    setError(null);
    try {
      const { validFrom, ...one } = await read(
        tests()[':testId'].run.$post({ param: { id: ruleSetId, testId }, query: query(candidate) }),
      );
      const previous = result();
      const others = (previous?.results ?? []).filter((r) => r.id !== testId);
      const known = previous?.results.some((r) => r.id === testId);
      const results = known ? (previous?.results ?? []).map((r) => (r.id === testId ? one : r)) : [...others, one];
      setResult({
        validFrom,
        passed: results.filter((r) => r.pass).length,
        failed: results.filter((r) => !r.pass).length,
        results,
      });
      return one;
    } catch (e) {
      setError(e);
      return undefined;
    }
  }

  /** Saves a changed test case; the server checks its case and answers each issue with its path. */
  async function save(testId: string, input: TestCaseInput) {
    const saved = await read(tests()[':testId'].$put({ param: { id: ruleSetId, testId }, json: input }));
    // a stale result would show the old expectation beside the new one
    setResult((r) => r && { ...r, results: r.results.map((x) => (x.id === testId ? { ...x, ...saved } : x)) });
    await refetch();
    return saved;
  }

  async function remove(testId: string) {
    await read(tests()[':testId'].$delete({ param: { id: ruleSetId, testId } }));
    setResult((r) => {
      if (!r) return r;
      const results = r.results.filter((x) => x.id !== testId);
      return {
        ...r,
        results,
        passed: results.filter((x) => x.pass).length,
        failed: results.filter((x) => !x.pass).length,
      };
    });
    await refetch();
  }

  const rows = (): TestRow[] =>
    result()?.results ?? (testCases() ?? []).map((x) => ({ ...x, pass: undefined, actual: null, ruleIds: [] }));

  /** How many test cases of the last run made each rule fire (rules that none did: 0). */
  function coverage(ruleIds: readonly string[]): { ruleId: string; count: number }[] {
    const counts = new Map(ruleIds.map((id) => [id, 0]));
    for (const r of result()?.results ?? [])
      for (const id of new Set(r.ruleIds)) if (counts.has(id)) counts.set(id, counts.get(id)! + 1);
    return [...counts].map(([ruleId, count]) => ({ ruleId, count }));
  }

  return { testCases, result, error, rows, run, runOne, save, remove, coverage, refetch };
}
export type TestRunState = ReturnType<typeof createTestRun>;
