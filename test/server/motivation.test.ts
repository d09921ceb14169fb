/**
 * `GET /api/decisions/{id}/motivation`: a letter for every logged decision, in Dutch, as text or
 * HTML by `Accept`, with every reason's message and source, the facts in words, the versions with
 * their hashes, the decision id and how to object.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../engine/index.js';
import { admission, dyslexiaCase, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { serverPool } from './harness.js';

const server = serverPool();

const EXAMPLES = new URL('../fixtures/examples/', import.meta.url);
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json') && f !== 'expected.json')
  .map((f) => JSON.parse(readFileSync(new URL(f, EXAMPLES), 'utf8')) as unknown);

const cases: unknown[] = [
  ...examples,
  dyslexiaCase(),
  dyslexiaCase({ referral: { referrer: 'huisarts' } }),
  dyslexiaCase({ youth: { birthDate: '2012-01-01' } }),
  ijsselAllocation({ request: { profile: 11, intensity: 'crisis', startDate: '2026-03-02', endDate: '2026-05-30' } }),
  mijovAllocation(),
  admission(),
];

describe('the motivation letter of a logged decision', () => {
  it('answers for every logged decision, in Dutch, with reasons, sources, facts, versions and objection', async () => {
    const s = await server();
    for (const input of cases) {
      const evaluated = await s.request('POST', '/api/evaluate', input);
      expect(evaluated.status).toBe(200);
      const decision = (await evaluated.json()) as Decision & { id: string };
      const res = await s.request('GET', `/api/decisions/${decision.id}/motivation`, undefined, {
        accept: 'text/plain',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^Gemeente /);
      expect(text).toContain(`Besluitnummer: ${decision.id}`);
      expect(text).toContain('Bezwaar maken');
      expect(text).toContain('zes weken');
      for (const r of decision.ruleSets) expect(text).toContain(`versie ${r.version}, ${r.contentHash}`);
      for (const reason of decision.reasons) {
        expect(text).toContain(reason.message);
        expect(text).toContain(`${reason.source.document}, ${reason.source.section}`);
      }
      if (decision.reasons.some((r) => r.effect !== 'info')) expect(text).toContain('Wij hebben gezien dat');
    }
  });

  it('answers HTML to a browser and plain text to anyone else', async () => {
    const s = await server();
    const { id } = (await (await s.request('POST', '/api/evaluate', dyslexiaCase())).json()) as { id: string };
    const html = await s.request('GET', `/api/decisions/${id}/motivation`, undefined, {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('@media print');
    const plain = await s.request('GET', `/api/decisions/${id}/motivation`, undefined, { accept: '*/*' });
    expect(plain.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(plain.headers.get('vary')).toBe('Accept');
  });

  it('answers 404 as a problem for a decision that is not in the log', async () => {
    const s = await server();
    const res = await s.request('GET', '/api/decisions/nope/motivation');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'DECISION_NOT_FOUND' });
  });
});
