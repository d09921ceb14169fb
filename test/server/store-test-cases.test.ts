/** The test case module on every store (see stores.ts). */
import { describe, expect, it } from 'vitest';
import { freshStores, storeFactories } from './stores.js';
import { ijsselAllocation } from '../support/factories.js';

const AT = '2026-01-01T00:00:00.000Z';

describe.each(storeFactories)('on $name', (factory) => {
  const store = freshStores(factory);

  describe('test cases', () => {
    it('lists a rule set’s test cases in the order saved and changes or deletes only within that rule set', async () => {
      const s = await store();
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
      const later = await add('zwolle', 'a', '2026-01-02T00:00:00.000Z');
      const earlier = await add('zwolle', 'b', AT);
      const other = await add('deventer', 'c', AT);
      expect(await s.testCases.list('zwolle')).toEqual([earlier, later]);
      expect(await s.testCases.get('zwolle', other.id)).toBeUndefined();
      const change = { name: 'd', caseJson: { x: 1 }, expectedOutcome: 'rejected', expectedCodes: ['A'] };
      expect(await s.testCases.update('zwolle', later.id, change)).toEqual({ ...later, ...change });
      expect(await s.testCases.update('deventer', later.id, change)).toBeUndefined();
      expect(await s.testCases.delete('zwolle', other.id)).toBe(false);
      expect(await s.testCases.delete('deventer', other.id)).toBe(true);
      expect(await s.testCases.seedIfEmpty([])).toBe(0);
      expect((await s.counts()).testCases).toBe(2);
    });
  });
});
