/** Money as people write it: every money field of the editor reads euros through `parseEuros`. */
import { describe, expect, it } from 'vitest';
import { EURO_MESSAGES, eurosForInput, parseEuros } from '../../editor/lib/euros.js';

const cents = (text: string) => {
  const r = parseEuros(text);
  return r.ok ? r.cents : r.error;
};

describe('parseEuros', () => {
  it('reads the four ways of writing twenty thousand euros as 2,000,000 cents', () => {
    for (const text of ['20000', '20.000', '20.000,00', '€ 20.000']) expect(cents(text), text).toBe(2_000_000);
  });

  it('reads cents after a comma, and a decimal point that can only be one', () => {
    expect(cents('4.860,50')).toBe(486_050);
    expect(cents('4860,5')).toBe(486_050);
    expect(cents('3672.00')).toBe(367_200);
    expect(cents('3672.5')).toBe(367_250);
    expect(cents('€20.000,-')).toBe(2_000_000);
    expect(cents(' 1.234.567 ')).toBe(123_456_700);
    expect(cents('0')).toBe(0);
    expect(cents('0,01')).toBe(1);
  });

  it('refuses an English or otherwise ambiguous spelling in Dutch, never guessing', () => {
    expect(cents('20,000.00')).toBe(EURO_MESSAGES.ambiguous);
    expect(cents('20,000')).toBe(EURO_MESSAGES.ambiguous);
    expect(cents('2.0000')).toBe(EURO_MESSAGES.ambiguous);
    expect(cents('1.2.3')).toBe(EURO_MESSAGES.ambiguous);
    expect(cents('1,000,000')).toBe(EURO_MESSAGES.ambiguous);
  });

  it('points at an empty, negative, unreadable or too precise amount, never 0', () => {
    expect(cents('')).toBe(EURO_MESSAGES.empty);
    expect(cents('  € ')).toBe(EURO_MESSAGES.empty);
    expect(cents('-5')).toBe(EURO_MESSAGES.negative);
    expect(cents('twintig')).toBe(EURO_MESSAGES.unreadable);
    expect(cents('12,3456')).toBe(EURO_MESSAGES.decimals);
    expect(cents('99999999999999999999')).toBe(EURO_MESSAGES.tooLarge);
    for (const message of Object.values(EURO_MESSAGES)) expect(message).not.toMatch(/\b(the|amount|invalid)\b/i);
  });

  it('shows amounts in fields as Dutch writes them, and reads them back unchanged', () => {
    for (const c of [0, 1, 486_050, 2_000_000, 367_200, 123_456_789]) {
      expect(cents(eurosForInput(c))).toBe(c);
    }
    expect(eurosForInput(2_000_000)).toBe('20.000');
    expect(eurosForInput(486_050)).toBe('4.860,50');
  });
});
