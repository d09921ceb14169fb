/**
 * The engine keeps one bounded cache of compiled rule sets: saving a draft and trying it on the
 * test bench, again and again, must not keep every version of the draft in memory, while the
 * composition that live evaluations use stays compiled.
 */
import { describe, expect, it } from 'vitest';
import { COMPILED_CACHE_LIMIT } from '../../engine/index.js';
import { ijsselAllocation } from '../support/factories.js';
import { openServer } from './harness.js';

describe('the compiled rule set cache', () => {
  it('stays bounded over many draft saves tried on the test bench, and keeps the composition in use', async () => {
    const s = await openServer();
    const live = ijsselAllocation({ municipality: 'zwolle', referenceDate: '2026-03-02' });
    const base = await (await s.request('GET', '/api/rulesets/zwolle/versions/1')).json();
    const created = await s.request('POST', '/api/rulesets/zwolle/drafts', base);
    expect(created.status).toBe(201);
    const { draftId } = await created.json();
    let etag = created.headers.get('etag')!;

    const saves = COMPILED_CACHE_LIMIT + 30;
    for (let i = 0; i < saves; i++) {
      // every save changes the content, so every test-bench run composes a new rule set
      const saved = await s.request(
        'PUT',
        `/api/rulesets/zwolle/drafts/${draftId}`,
        { ...base, name: `Zwolle, poging ${i}` },
        { 'if-match': etag },
      );
      expect(saved.status).toBe(200);
      etag = saved.headers.get('etag')!;
      const tried = await s.request('POST', `/api/rulesets/zwolle/drafts/${draftId}/evaluate`, live);
      expect(tried.status).toBe(200);
      // live traffic meanwhile keeps the composition in force the most recently used
      expect((await s.request('POST', '/api/evaluate?dryRun=true', live)).status).toBe(200);
    }

    const engine = await s.service.engine();
    expect(engine.cacheStats().limit).toBe(COMPILED_CACHE_LIMIT);
    expect(engine.cacheStats().size).toBeLessThanOrEqual(COMPILED_CACHE_LIMIT);
    expect(engine.isCached(engine.repository.effectiveOn('zwolle', '2026-03-02')!)).toBe(true);
    await s.store.close();
  });
});
