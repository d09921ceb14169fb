/** The test case module on a real temporary SQLite file. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir, type Store } from '../../server/db/open.js';
import { ijsselAllocation } from '../support/factories.js';

const AT = '2026-01-01T00:00:00.000Z';
const opened: Store[] = [];
function store() {
  const s = openDataDir(mkdtempSync(join(tmpdir(), 'store-test-cases-')));
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe('test cases', () => {
  it('lists a rule set’s cases in the order saved and deletes only within that rule set', () => {
    const s = store();
    const add = (ruleSetId: string, name: string, createdAt: string) =>
      s.testCases.add({
        ruleSetId,
        name,
        caseJson: ijsselAllocation(),
        expectedOutcome: 'granted',
        expectedCodes: [],
        createdBy: 'anna',
        createdAt,
      });
    const later = add('zwolle', 'a', '2026-01-02T00:00:00.000Z');
    const earlier = add('zwolle', 'b', AT);
    const other = add('deventer', 'c', AT);
    expect(s.testCases.list('zwolle')).toEqual([earlier, later]);
    expect(s.testCases.delete('zwolle', other.id)).toBe(false);
    expect(s.testCases.delete('deventer', other.id)).toBe(true);
    expect(s.testCases.list('deventer')).toEqual([]);
  });
});
