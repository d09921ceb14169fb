// @vitest-environment jsdom
/**
 * A decision as the editor shows it, against a real server on a temporary database: the tariff
 * in euros with the "voorlopige waarde" marker, the list of provisional values, the trace as
 * Dutch sentences with the parameters' labels; the letter, marked as a preview; the replay's
 * differences in words.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'solid-js/web';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DecisionView } from '../../editor/components/DecisionView.js';
import { LetterView } from '../../editor/components/Letter.js';
import { describeDifference } from '../../editor/pages/Audit.js';
import { Case, type Decision, motivationLetter } from '../../engine/browser.js';
import { openServer } from '../server/harness.js';

const server = await openServer();
const realFetch = globalThis.fetch;
// jsdom gives import.meta.url another scheme: the tests run from the repository's root
const example = (name: string): unknown => JSON.parse(readFileSync(resolve('test/fixtures/examples', name), 'utf8'));

beforeAll(() => {
  // the editor's client calls same-origin paths; the app answers them without a socket
  globalThis.fetch = async (input, init) => server.app.request(input instanceof Request ? input : String(input), init);
});
afterAll(() => {
  globalThis.fetch = realFetch;
  server.store.close();
});

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  document.body.innerHTML = '';
});

async function decide(c: unknown): Promise<Decision & { id: string | null }> {
  const res = await server.app.request('/api/evaluate?dryRun=true', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(c),
  });
  expect(res.status).toBe(200);
  return res.json();
}

function mount(node: () => ReturnType<typeof DecisionView>) {
  const el = document.createElement('div');
  document.body.append(el);
  dispose = render(node, el);
  return el;
}

const byTestId = (el: Element, id: string) => [...el.querySelectorAll(`[data-testid="${id}"]`)];

describe('DecisionView', () => {
  it('marks the tariff and the decision that rest on a provisional tariff, in euros', async () => {
    const d = await decide(example('dyslexia-granted.json'));
    expect(d.illustrative).toContainEqual({ ruleSet: 'ijsselland', kind: 'tariff', id: 'profiel-12.perspectief' });
    const el = mount(() => <DecisionView decision={d} openTrace />);
    expect(byTestId(el, 'outcome')[0]!.textContent).toContain('toegekend');
    expect(byTestId(el, 'outcome')[0]!.textContent).toContain('voorlopige waarde');
    const tariff = byTestId(el, 'tariff')[0]!;
    expect(tariff.textContent).toContain('€ 4.860');
    expect(byTestId(tariff, 'illustrative-mark')).toHaveLength(1);
    const notice = byTestId(el, 'illustrative')[0]!;
    expect(notice.textContent).toContain('tarief');
    expect(notice.textContent).toContain('profiel-12.perspectief');
  });

  it('writes the trace as Dutch sentences, with the labels of the rule set’s parameters', async () => {
    const d = await decide(example('dyslexia-granted.json'));
    const el = mount(() => <DecisionView decision={d} openTrace />);
    const conditions = () => byTestId(el, 'condition').map((c) => c.textContent ?? '');
    expect(conditions().some((c) => /^✔ profiel \(12\) is gelijk aan 12: voldaan/.test(c))).toBe(true);
    // the labels arrive from the published version
    await expect
      .poll(() => conditions().find((c) => c.includes('leeftijd in jaren')))
      .toMatch(/leeftijd in jaren \(\d+\) is kleiner dan Dyslexiezorg: minimumleeftijd \(7\): niet voldaan/);
  });

  it('shows no marker on a decision without provisional values, and a reason with its code and source', async () => {
    const d = await decide(example('dyslexia-gp-referral.json'));
    expect(d.illustrative).toEqual([]);
    const el = mount(() => <DecisionView decision={d} />);
    expect(byTestId(el, 'illustrative-mark')).toHaveLength(0);
    expect(byTestId(el, 'illustrative')).toHaveLength(0);
    const reasons = byTestId(el, 'reasons')[0]!.textContent ?? '';
    expect(reasons).toContain('REFERRER_NOT_ALLOWED');
    expect(reasons).toContain('bron:');
  });
});

describe('the letter on screen', () => {
  it('marks a preview as VOORBEELD and says it was not logged', async () => {
    const c = example('crisis-too-long.json');
    const d = await decide(c);
    const letter = motivationLetter({
      decision: d,
      case: Case.parse(c),
      decisionId: null,
      decidedAt: '2026-03-02T09:15:00.000Z',
      preview: true,
    });
    const el = mount(() => <LetterView letter={letter} />);
    expect(byTestId(el, 'letter-preview-mark')[0]!.textContent).toContain('VOORBEELD');
    expect(el.textContent).toContain('Bezwaar maken');
    expect(el.textContent).toContain('geen (voorbeeld, niet vastgelegd)');
    expect(el.textContent).toContain('2 maart 2026 om 10:15 (CET)');
  });
});

describe("the replay's differences in words", () => {
  it('names another engine version and the provisional values added and removed', () => {
    expect(describeDifference({ field: 'engine', before: '0.1.0', after: '0.2.0' })).toBe(
      'andere versie van de rekenregels: 0.1.0 → 0.2.0',
    );
    expect(describeDifference({ field: 'engine', before: null, after: '0.2.0' })).toBe(
      'andere versie van de rekenregels: onbekend → 0.2.0',
    );
    expect(
      describeDifference({ field: 'illustrative', added: ['ijsselland tariff profiel-2.perspectief'], removed: [] }),
    ).toBe('voorlopige waarden: erbij tarief profiel-2.perspectief (ijsselland); eraf geen');
    expect(describeDifference({ field: 'outcome', before: 'granted', after: 'review' })).toBe(
      'uitkomst: toegekend → beoordelen',
    );
  });
});
