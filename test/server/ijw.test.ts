/** JW315 requests over HTTP: decided, logged with the CBS code and without the BSN, answered in iJw terms. */
import { describe, expect, it } from 'vitest';
import { caseToJw315 } from '../../engine/ijw.js';
import { AllocationCase } from '../../engine/schema.js';
import { engine, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { serverPool } from './harness.js';

const pool = serverPool();
const server = () => pool();

function messageOf(input: unknown) {
  const validation = engine().validate(input);
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return caseToJw315(AllocationCase.parse(input), validation.effective);
}

describe('POST /api/ijw/jw315', () => {
  it('decides a request as its case does, answers a JW301-shaped allocation and logs no BSN', async () => {
    const s = await server();
    const input = mijovAllocation({ request: { units: 3, frequency: 'per-week' } });
    const message = messageOf(input);
    const res = await s.request('POST', '/api/ijw/jw315', {
      ...message,
      client: { ...message.client, bsn: '123456782' },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    const direct = await (await s.request('POST', '/api/evaluate?dryRun=true', input)).json();
    const { id: _a, ...decision } = body.decision;
    const { id: _b, ...expected } = direct;
    expect(decision).toEqual(expected);
    expect(body.antwoord.toewijzing).toMatchObject({
      toewijzingNummer: body.decision.id,
      gemeente: '0200',
      product: { categorie: '45', code: 'MIJ01' },
      omvang: { volume: 3, eenheid: '04', frequentie: '2' },
      budget: decision.tariff.totalCents,
    });
    const logged = await (await s.request('GET', `/api/decisions/${body.decision.id}`)).json();
    expect(logged.municipalityCode).toBe('0200');
    expect(JSON.stringify(logged)).not.toContain('123456782');
    const page = await (await s.request('GET', '/api/decisions?municipality=GM0200')).json();
    expect(page.items.map((i: { id: string; municipalityCode: string }) => [i.id, i.municipalityCode])).toEqual([
      [body.decision.id, '0200'],
    ]);
  });

  it('answers a problem naming the field of an unknown product category', async () => {
    const s = await server();
    const message = messageOf(ijsselAllocation());
    const res = await s.request('POST', '/api/ijw/jw315?dryRun=true', {
      ...message,
      aangevraagdProduct: { ...message.aangevraagdProduct, product: { categorie: '99' } },
    });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.code).toBe('INVALID_JW315');
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(['$.aangevraagdProduct.product.categorie']);
  });

  it('answers a case named by CBS code with the slug and the code', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/evaluate', ijsselAllocation({ municipality: 'GM0193' }));
    const d = await res.json();
    expect(d.municipalityCode).toBe('0193');
    const logged = await (await s.request('GET', `/api/decisions/${d.id}`)).json();
    expect(logged.case.municipality).toBe('GM0193');
    expect(logged.municipalityCode).toBe('0193');
    const page = await (await s.request('GET', '/api/decisions?municipality=zwolle')).json();
    expect(page.items[0]).toMatchObject({ municipality: 'zwolle', municipalityCode: '0193' });
  });
});
