/**
 * The test cases each region ships (`rules/<region>/tests.json`): every one passes against the
 * published rule sets on both backends (decided as the server's test run decides them: the latest
 * regional version in place, with the overlay in force on the case's reference date), and together
 * they make every rule of the latest regional version fire at least once, except the rules listed
 * in UNREACHABLE with the reason no shipped case can make them fire.
 */
import { describe, expect, it } from 'vitest';
import {
  checkExpectation,
  composeCandidate,
  DEFAULT_RULES_DIR,
  loadTestSuites,
  REGION_IDS,
  TEST_SUITE_FILE,
  type RegionId,
} from '../engine/index.js';
import { BACKEND_NAMES, engine } from './support/factories.js';

const suites = loadTestSuites(DEFAULT_RULES_DIR);

/** Rules no shipped rule data lets fire, each with why; the editor shows them without test cases. */
const UNREACHABLE: Record<string, string> = {
  // admission.closedProductGroups is empty in IJsselland and no municipality may set it
  'ijsselland.toelating.productgroep-gesloten': 'geen gesloten productgroepen in IJsselland',
  // optional, off by default, and no shipped overlay switches it on
  'mijov.toelating.registratie': 'door geen gemeente aangezet',
  // every product in the MIJOV catalogue has a tariff for its unit and each of its levels
  'mijov.tarief.onbekend': 'elk product heeft een tarief',
};

function latestRegion(region: RegionId) {
  const versions = engine()
    .repository.all()
    .filter((v) => v.document.kind === 'region' && v.document.id === region);
  return versions.reduce((a, b) => (b.document.version > a.document.version ? b : a));
}

describe('shipped test cases', () => {
  it(`are one ${TEST_SUITE_FILE} per region, for its regional rule set`, () => {
    expect(suites.map((s) => s.suite.ruleSet).sort()).toEqual([...REGION_IDS].sort());
    for (const { file, suite } of suites) expect(file.replaceAll('\\', '/')).toBe(`rules/${suite.ruleSet}/tests.json`);
  });

  describe.each(BACKEND_NAMES)('on %s', (backend) => {
    it.each(suites.map((s) => [s.suite.ruleSet, s] as const))(
      '%s: every test case passes and every rule fires in one',
      async (region, { suite }) => {
        const e = engine(backend);
        const latest = latestRegion(region);
        const fired = new Map<string, number>();
        const failures: string[] = [];
        for (const t of suite.testCases) {
          const c = t.case;
          const effective = composeCandidate(c, e.repository.versionsInForce(c.municipality, c.referenceDate), latest);
          const result = checkExpectation(await e.decideWith(c, effective), t.expected);
          if (!result.pass)
            failures.push(
              `${t.name}: expected ${t.expected.outcome} [${t.expected.codes.join(', ')}], got ${result.actual.outcome} [${result.actual.codes.join(', ')}]`,
            );
          for (const id of result.ruleIds) fired.set(id, (fired.get(id) ?? 0) + 1);
        }
        expect(failures).toEqual([]);
        const rules = latest.document.kind === 'region' ? latest.document.rules.map((r) => r.id) : [];
        expect(rules.filter((id) => !fired.has(id) && !(id in UNREACHABLE))).toEqual([]);
        // an exception that has become reachable is no longer one
        expect(rules.filter((id) => fired.has(id) && id in UNREACHABLE)).toEqual([]);
      },
    );
  });

  it('list only rules that exist as unreachable', () => {
    const ids = new Set(
      REGION_IDS.flatMap((r) => {
        const d = latestRegion(r).document;
        return d.kind === 'region' ? d.rules.map((x) => x.id) : [];
      }),
    );
    expect(Object.keys(UNREACHABLE).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('are decided on reference dates the latest regional versions are in force on', () => {
    for (const { suite } of suites) {
      const from = latestRegion(suite.ruleSet).document.validFrom;
      for (const t of suite.testCases) expect(t.case.referenceDate >= from, t.name).toBe(true);
    }
  });
});
