/**
 * Checking a decision against a test case's expectation: the one comparison behind the server's
 * test runs and the repository's own test of the shipped test cases.
 */
import type { Decision, TestExpectation } from './schema.js';

export interface TestOutcome {
  /** What the decision gave: its outcome and reason codes, in the order of its reasons. */
  actual: { outcome: Decision['outcome']; codes: string[] };
  /** The rules that fired (in trace order): what the test case covers. */
  ruleIds: string[];
  /** The outcome is the expected one and the reason codes are exactly the expected ones. */
  pass: boolean;
}

export function checkExpectation(decision: Decision, expected: TestExpectation): TestOutcome {
  const codes = decision.reasons.map((r) => r.code);
  const got = new Set(codes);
  const want = new Set(expected.codes);
  const pass =
    decision.outcome === expected.outcome && got.size === want.size && [...want].every((code) => got.has(code));
  return {
    actual: { outcome: decision.outcome, codes },
    ruleIds: decision.trace.filter((r) => r.fired).map((r) => r.ruleId),
    pass,
  };
}
