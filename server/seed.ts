/**
 * The first start: an empty store is filled from the repository's `rules/` folder, with every
 * rule set version and the test cases each region ships (`rules/<region>/tests.json`). Later
 * starts keep what users changed.
 */
import { DEFAULT_RULES_DIR, loadRuleSetFiles, loadTestSuites } from '../engine/index.js';
import type { Store } from './db/store.js';

export const SEEDED_BY = 'seed:rules/';

export function seedFromRules(store: Store, at: string, dir: string = DEFAULT_RULES_DIR) {
  const documents = loadRuleSetFiles(dir).map((f) => f.document);
  const suites = loadTestSuites(dir);
  return store.transaction(async (tx) => {
    const versions = await tx.ruleSets.seedIfEmpty(documents, at);
    const testCases =
      versions === 0
        ? 0
        : await tx.testCases.seedIfEmpty(
            suites.flatMap(({ suite }) =>
              suite.testCases.map((t, i) => ({
                ruleSetId: suite.ruleSet,
                name: t.name,
                caseJson: t.case,
                expectedOutcome: t.expected.outcome,
                expectedCodes: t.expected.codes,
                createdBy: SEEDED_BY,
                // one millisecond apart, so that the list keeps the file's order
                createdAt: new Date(Date.parse(at) + i).toISOString(),
              })),
            ),
          );
    return { versions, testCases };
  });
}
